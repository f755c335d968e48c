"""The worker's side of the channel, in process."""

from __future__ import annotations

import os

from flaskit.serve.protocol import (
    Change,
    Channel,
)


def test_the_worker_context_hands_messages_and_drains_to_its_hooks():
    from flaskit.serve.worker import WorkerContext

    ours, theirs = Channel.pair()
    context = WorkerContext(7, Channel(theirs))
    messages: list[dict[str, object]] = []
    drained: list[int] = []
    context.on_message(messages.append)
    context.on_drain(lambda: drained.append(context.generation))
    context.dispatch(Change("css", ("/p/static/a.css",)))
    assert messages == [{"op": "change", "kind": "css", "paths": ["/p/static/a.css"]}]
    context.stop(2.0)
    assert context.stopping.is_set()
    assert os.read(context.wake_fd, 1) == b"s"
    context.drained()
    context.drained()
    assert drained == [7]  # once
    ours.close()
    theirs.close()
