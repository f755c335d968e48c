"""The reloaders ``flaskit run --reloader`` offers: the one table of their names.

Imports nothing, so the command line can offer the names without loading the server.
"""

from __future__ import annotations

AUTO = "auto"
EVENTS = "events"
POLL = "poll"

RELOADERS: dict[str, str] = {
    AUTO: "file-system events, polling where the system has none to give",
    EVENTS: "file-system events (watchdog: inotify, FSEvents, ...)",
    POLL: "polling the files the app uses (Docker bind mounts, WSL, NFS, SSHFS)",
}
