"""The channel between the processes and the messages on it."""

from __future__ import annotations

import os

import pytest

from flaskit.serve.protocol import (
    Change,
    Channel,
    Closed,
    Exited,
    Fork,
    Forked,
    Preload,
    Ready,
    Served,
    Setup,
    Stale,
    Started,
    Stop,
    Unsafe,
    decode,
    encode,
)


def test_the_channel_carries_messages_and_file_descriptors():
    ours, theirs_sock = Channel.pair()
    theirs = Channel(theirs_sock)
    read_end, write_end = os.pipe()
    try:
        assert ours.send(Fork(3, fds=(read_end,)))
        ours.send(Preload(("flask",), {"/x/flask/__init__.py": 7}))
        first = theirs.receive_one()
        second = theirs.receive_one()
        assert isinstance(first, Fork)
        assert second == Preload(("flask",), {"/x/flask/__init__.py": 7})
        assert first.generation == 3
        (passed,) = first.fds
        os.write(write_end, b"x")
        assert os.read(passed, 1) == b"x"
        os.close(passed)
        ours.close()
        assert theirs.receive() is None  # the other end is gone
    finally:
        os.close(read_end)
        os.close(write_end)
        theirs.close()


@pytest.mark.parametrize(
    "message",
    [
        Setup("cGlja2xl"),
        Preload(("flask", "jinja2"), {"/f.py": 1}),
        Fork(2),
        Started(10),
        Forked(2, 11),
        Exited(11, -9),
        Stale(0, None),
        Stale(2, "/lib/x.py"),
        Unsafe(3),
        Stop(3.0),
        Change("css", ("/p/static/a.css",)),
        Ready(12, None, 1.0, 2.0, 3.0, ("flask",), {"/f.py": 1}, {"/p/app.py": "ab"}),
        Ready(12, error="SyntaxError: bad", folders={"templates": ["/p/templates"]}),
        Closed(4.5),
        Served(5.5),
    ],
)
def test_every_message_survives_the_wire(message):
    """Each message type encodes to one JSON line and decodes to an equal message."""
    ours, theirs_sock = Channel.pair()
    theirs = Channel(theirs_sock)
    try:
        assert ours.send(message)
        assert theirs.receive_one() == message
    finally:
        ours.close()
        theirs.close()


def test_an_unknown_or_malformed_message_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="unknown message"):
        decode({"op": "reboot"})
    with pytest.raises(ValueError, match="malformed message"):
        decode({"op": "stop"})  # no grace
    assert decode(encode(Stop(1.0))) == Stop(1.0)
