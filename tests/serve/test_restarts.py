"""When a dead worker is replaced."""

from __future__ import annotations

from flaskit.serve.restarts import MAX_PAUSE, RestartPolicy


def test_a_young_death_is_replaced_at_once_and_a_row_of_them_backs_off() -> None:
    policy = RestartPolicy()
    assert policy.pause(0.05) == 0.0  # issue 13.3: never "not at all"
    pauses = [policy.pause(0.05) for _ in range(8)]
    assert pauses[0] > 0
    assert pauses == sorted(pauses)
    assert pauses[-1] == MAX_PAUSE


def test_a_worker_that_served_a_while_or_an_edit_starts_a_new_row() -> None:
    policy = RestartPolicy()
    policy.pause(0.1)
    assert policy.pause(0.1) > 0
    assert policy.pause(30.0) == 0.0
    assert policy.pause(0.1) == 0.0
    policy.pause(None)
    policy.reset()
    assert policy.pause(None) == 0.0
