"""Idle CPU and time to first response in a tree with 20,000 extra files.

The project folder gets the hello app plus 20,000 small files in 200 watched
sub-folders (not excluded, so the watcher has to cover them). For
``flaskit run --debug`` and ``flask run --debug`` side by side: the time from
starting the command to the first 200 response, then the CPU time used by all
of the server's processes while idle for 30 s.

    python benchmarks/idle_and_startup.py
    python benchmarks/idle_and_startup.py --idle 10 --files 5000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import HELLO_APP, load_average, start_server

TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """utime + stime of every live process in a process group."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def make_tree(folder: Path, files: int) -> None:
    """The app and ``files`` extra files, 100 per folder."""
    (folder / "app.py").write_text(HELLO_APP.format(token="ready"))
    for i in range(files):
        sub = folder / "assets" / f"part{i // 100:03d}"
        if i % 100 == 0:
            sub.mkdir(parents=True)
        (sub / f"file{i:05d}.txt").write_text(f"extra file {i}\n")


def main() -> None:
    """Measure both servers and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idle measurement")
    parser.add_argument("--tools", nargs="+", default=["flaskit", "flask"])
    args = parser.parse_args()
    print(f"{args.files} extra files, {args.idle:g} s idle; load average {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-idle-") as tmp:
        folder = Path(tmp)
        make_tree(folder, args.files)
        for tool in args.tools:
            server, first = start_server(tool, folder, expect=b"ready")
            try:
                time.sleep(2.0)  # let start-up work finish
                before = group_cpu_seconds(server.proc.pid)
                time.sleep(args.idle)
                used = group_cpu_seconds(server.proc.pid) - before
            finally:
                server.stop()
            label = "flask run --debug" if tool == "flask" else "flaskit run --debug"
            print(
                f"  {label:20} first response {first * 1000:7.0f} ms   "
                f"idle CPU {used / args.idle * 100:5.2f}% of a core "
                f"({used:.2f} s of CPU in {args.idle:g} s)"
            )
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
