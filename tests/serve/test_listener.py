"""The listening socket."""

from __future__ import annotations

import socket

import pytest

from flaskit.errors import FlaskitError
from flaskit.serve import listener


def test_a_port_in_use_names_the_port_and_the_option():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(FlaskitError) as info:
            listener.bind("127.0.0.1", port)
    message = info.value.format_message()
    assert f"Port {port}" in message
    assert "--port" in message
    assert info.value.exit_code == 1
