"""The supervisor's decisions about generations, with no process, socket or clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from flaskit.serve.classify import Kind
from flaskit.serve.folders import FolderState
from flaskit.serve.lifecycle import (
    Arrival,
    BatchPlan,
    Deadlines,
    Death,
    Forking,
    ForkRemedy,
    Outcome,
    Remedy,
    Session,
    State,
    Timer,
    after_fallback,
    on_batch,
    on_fork_timeout,
    on_gone,
    on_ready,
    on_timers,
    should_replace_dead,
    stop_grace,
)

RELOADING = Session(reload=True, forking=True, fallback_pending=False)


def death(state: State, **changes: bool) -> Death:
    fields = {"spawned": False, "current": False, "crash_page": False, "fallback": False}
    fields.update(changes)
    return Death(state=state, **fields)


# ---------------------------------------------------------------- ready


def test_the_first_generation_to_report_takes_over():
    assert on_ready(State.STARTING, 1, None) is Arrival.TAKE_OVER


def test_a_newer_generation_takes_over_from_the_serving_one():
    assert on_ready(State.STARTING, 3, 2) is Arrival.TAKE_OVER


def test_a_generation_overtaken_by_a_newer_one_is_stopped_when_it_reports():
    # 2 and 3 were started; 3 was ready first: 2 must not take the socket back.
    assert on_ready(State.STARTING, 2, 3) is Arrival.OVERTAKEN


def test_a_generation_already_told_to_stop_stays_stopped():
    assert on_ready(State.STOPPING, 4, 3) is Arrival.IGNORE


@pytest.mark.parametrize("state", [State.READY, State.FAILED])
def test_serving_states_serve(state):
    assert state.serving
    assert not State.STARTING.serving
    assert not State.STOPPING.serving


# ---------------------------------------------------------------- a worker dies, per state


def test_a_forked_worker_dying_while_importing_is_retried_spawned():
    assert on_gone(death(State.STARTING), RELOADING) == Outcome(Remedy.RETRY_SPAWNED)


def test_its_spawned_retry_dying_too_serves_the_crash_and_ends_the_fallback():
    pending = Session(reload=True, forking=True, fallback_pending=True)
    outcome = on_gone(death(State.STARTING, spawned=True, fallback=True), pending)
    assert outcome == Outcome(Remedy.SERVE_CRASH, fallback_over=True)


def test_a_second_forked_death_during_a_fallback_is_not_retried_again():
    pending = Session(reload=True, forking=True, fallback_pending=True)
    assert on_gone(death(State.STARTING), pending).remedy is Remedy.SERVE_CRASH


def test_a_spawned_worker_dying_while_importing_serves_the_crash():
    spawning = Session(reload=True, forking=False, fallback_pending=False)
    outcome = on_gone(death(State.STARTING, spawned=True), spawning)
    assert outcome == Outcome(Remedy.SERVE_CRASH)


def test_the_crash_page_worker_dying_too_is_reported_not_retried():
    outcome = on_gone(death(State.STARTING, spawned=True, crash_page=True), RELOADING)
    assert outcome == Outcome(Remedy.REPORT)


def test_without_reload_a_worker_dying_while_importing_ends_the_session():
    once = Session(reload=False, forking=False, fallback_pending=False, others_left=False)
    assert on_gone(death(State.STARTING, spawned=True), once) == Outcome(Remedy.REPORT, exit=True)


def test_the_serving_worker_dying_is_replaced():
    for state in (State.READY, State.FAILED):
        assert on_gone(death(state, current=True), RELOADING) == Outcome(Remedy.REPLACE)


def test_without_reload_the_serving_worker_dying_ends_the_session():
    once = Session(reload=False, forking=True, fallback_pending=False, others_left=False)
    assert on_gone(death(State.READY, current=True), once) == Outcome(Remedy.REPORT, exit=True)


def test_an_older_generation_dying_changes_nothing():
    # Overtaken (ready, not current) and gone before its stop landed.
    assert on_gone(death(State.READY), RELOADING) == Outcome(Remedy.NOTHING)


def test_a_stopping_worker_exiting_is_expected():
    assert on_gone(death(State.STOPPING, current=True), RELOADING) == Outcome(Remedy.NOTHING)


def test_nothing_is_retried_while_shutting_down():
    down = Session(reload=True, forking=True, fallback_pending=False, shutting_down=True)
    for state in State:
        assert on_gone(death(state, current=True), down) == Outcome(Remedy.NOTHING)


def test_a_worker_dying_while_importing_without_fork_server_or_reload_is_reported():
    once = Session(reload=False, forking=False, fallback_pending=False, others_left=True)
    assert on_gone(death(State.STARTING, spawned=True), once) == Outcome(Remedy.REPORT)


@pytest.mark.parametrize("state", [State.READY, State.FAILED])
def test_an_overtaken_serving_generation_dying_without_reload_ends_only_when_alone(state):
    alone = Session(reload=False, forking=True, fallback_pending=False, others_left=False)
    assert on_gone(death(state), alone) == Outcome(Remedy.NOTHING, exit=True)


# ---------------------------------------------------------------- fork fallback, end to end


def test_a_fallback_whose_spawned_worker_serves_stops_forking_unless_killed_from_outside():
    # The forked worker died importing: retried spawned; that one is ready.
    assert on_gone(death(State.STARTING), RELOADING).remedy is Remedy.RETRY_SPAWNED
    assert after_fallback(killed_from_outside=False) is Forking.STOP
    # kill -9 or the OOM killer: forking is not to blame.
    assert after_fallback(killed_from_outside=True) is Forking.KEEP


# ---------------------------------------------------------------- stopping


def test_a_generation_still_importing_is_stopped_without_grace():
    assert stop_grace(State.STARTING, 3.0) == 0.0


@pytest.mark.parametrize("state", [State.READY, State.FAILED, State.STOPPING])
def test_a_serving_generation_gets_the_drain_grace(state):
    assert stop_grace(state, 3.0) == 3.0


# ---------------------------------------------------------------- batches

APP = Path("/p/app.py")
ENV = Path("/p/.env")
PAGE = Path("/p/templates/index.html")
STYLE = Path("/p/static/site.css")
LOGO = Path("/p/static/logo.png")


def test_a_code_change_starts_a_generation():
    plan = on_batch({Kind.RESTART: [APP]}, FolderState.SAME)
    assert plan == BatchPlan(restart=(APP,))


def test_a_config_change_reads_the_environment_again_and_starts_a_generation():
    plan = on_batch({Kind.CONFIG: [ENV], Kind.RESTART: [APP]}, FolderState.SAME)
    assert plan == BatchPlan(restart=(ENV, APP), environment=True)


def test_a_restart_takes_the_template_changes_of_its_batch_with_it():
    # The new generation renders the new template: no refresh of the old one.
    plan = on_batch({Kind.RESTART: [APP], Kind.TEMPLATE: [PAGE]}, FolderState.SAME)
    assert plan.refresh == ()
    assert plan.restart == (APP,)


def test_template_css_and_static_changes_refresh_the_pages_in_kind_order():
    changes = {Kind.STATIC: [LOGO], Kind.CSS: [STYLE], Kind.TEMPLATE: [PAGE]}
    plan = on_batch(changes, FolderState.SAME)
    assert plan == BatchPlan(
        refresh=((Kind.TEMPLATE, (PAGE,)), (Kind.CSS, (STYLE,)), (Kind.STATIC, (LOGO,)))
    )


def test_an_empty_kind_is_not_refreshed():
    plan = on_batch({Kind.CSS: [], Kind.TEMPLATE: [PAGE]}, FolderState.SAME)
    assert plan.refresh == ((Kind.TEMPLATE, (PAGE,)),)


@pytest.mark.parametrize("folders", [FolderState.MISSING, FolderState.REPLACED])
def test_a_batch_does_nothing_while_a_folder_is_gone_or_was_just_replaced(folders):
    changes = {Kind.RESTART: [APP], Kind.CONFIG: [ENV], Kind.TEMPLATE: [PAGE]}
    assert on_batch(changes, folders) == BatchPlan()


# ---------------------------------------------------------------- timers


def test_no_deadline_is_due_before_its_time():
    deadlines = Deadlines(kill_at=10.0, fork_at=10.0, notice_at=10.0)
    assert on_timers(deadlines, State.STARTING, 9.99) == ()
    assert deadlines.earliest() == 10.0
    assert Deadlines().earliest() is None


def test_a_stopping_worker_past_its_grace_is_killed():
    assert on_timers(Deadlines(kill_at=5.0), State.STOPPING, 5.0) == (Timer.KILL,)


def test_a_fork_not_answered_in_time_times_out():
    assert on_timers(Deadlines(fork_at=3.0), State.STARTING, 4.0) == (Timer.FORK_TIMEOUT,)


def test_a_slow_import_is_noticed_only_while_importing():
    late = Deadlines(notice_at=5.0)
    assert on_timers(late, State.STARTING, 6.0) == (Timer.SLOW_IMPORT,)
    for state in (State.READY, State.FAILED, State.STOPPING, State.GONE):
        assert on_timers(late, state, 6.0) == ()
    assert on_timers(late, State.STARTING, 6.0, shutting_down=True) == ()


def test_several_deadlines_due_at_once_come_in_order():
    every = Deadlines(kill_at=1.0, fork_at=2.0, notice_at=3.0)
    assert on_timers(every, State.STARTING, 3.0) == (
        Timer.KILL,
        Timer.FORK_TIMEOUT,
        Timer.SLOW_IMPORT,
    )
    assert every.earliest() == 1.0


def test_a_fork_timeout_replaces_a_stopped_fork_server_and_spawns_past_a_busy_one():
    assert on_fork_timeout(server_stopped=True) is ForkRemedy.REPLACE_SERVER
    assert on_fork_timeout(server_stopped=False) is ForkRemedy.RESPAWN


def test_a_dead_worker_is_replaced_once_its_pause_is_over_unless_one_is_coming():
    assert should_replace_dead(shutting_down=False, serving=False, starting=False)
    assert not should_replace_dead(shutting_down=True, serving=False, starting=False)
    assert not should_replace_dead(shutting_down=False, serving=True, starting=False)
    assert not should_replace_dead(shutting_down=False, serving=False, starting=True)
