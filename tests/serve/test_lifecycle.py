"""The supervisor's decisions about generations, with no process, socket or clock."""

from __future__ import annotations

import pytest

from flaskit.serve.lifecycle import (
    Arrival,
    Death,
    Outcome,
    Remedy,
    Session,
    State,
    on_gone,
    on_ready,
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
