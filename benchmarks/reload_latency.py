"""Reload latency: from a file write to the first response carrying the new code.

Runs ``flaskit run --debug`` and ``flask run --debug`` (its default stat
reloader) side by side on a hello app and on a heavier app, while a client
requests ``/`` on a new connection every 2 ms. Every reload rewrites app.py in
place with a new token of the same size (the hardest case for cached
bytecode), then waits for the token to be served. Failed or refused requests
are counted.

    python benchmarks/reload_latency.py              # 30 reloads per tool and app
    python benchmarks/reload_latency.py --reloads 50 --apps hello --tools flaskit rig

``installed`` and ``isolated`` compare the two ways to install flaskit, from its
wheel, with the same releases of Flask and the apps' libraries: ``installed`` runs
``flaskit run --debug`` from a venv that holds flaskit and the project's packages;
``isolated`` runs it from a venv of its own (pipx-style, no Flask) with the app in
a project venv without flaskit (``--python``). The venvs are made once, at the start.

    python benchmarks/reload_latency.py --apps hello heavy --tools installed isolated

``rig`` is benchmarks/fork_rig.py, a bare fork server with Flask preloaded and
no drain, checks or live reload: the floor flaskit is compared with.

flaskit writes each reload's phases (event seen, batch flushed, fork asked,
forked, app imported, ready, old generation stopped accepting, first new
response) to ``FLASKIT_RUN_TIMINGS_FILE``; the median of each is printed.

flask gets at least 1.05 s between writes, so its own ``.pyc`` check (mtime in
seconds and size) cannot serve it stale code; flaskit gets no such help.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    HEAVY_APP,
    HELLO_APP,
    IsolatedInstall,
    Poller,
    isolated_install,
    load_average,
    start_server,
    summary,
)

APPS = {"hello": HELLO_APP, "heavy": HEAVY_APP}
WAIT_FOR_RELOAD = 15.0
LABELS = {
    "flaskit": "flaskit run --debug",
    "installed": "flaskit in project",
    "isolated": "flaskit isolated",
    "flask": "flask run --debug",
    "rig": "fork rig",
}


@dataclass
class Result:
    """One tool on one app."""

    latencies: list[float]
    poller: Poller
    missed: int
    phases: list[dict[str, float]] = field(default_factory=list)  # flaskit's own, per reload


def measure(tool: str, app: str, reloads: int, isolated: IsolatedInstall | None = None) -> Result:
    """Reload ``reloads`` times while polling; flaskit's phases from its timings file."""
    with (
        tempfile.TemporaryDirectory(prefix=f"bench-{tool}-") as tmp,
        tempfile.TemporaryDirectory(prefix="bench-timings-") as timings_dir,
    ):
        folder = Path(tmp)
        source = folder / "app.py"
        source.write_text(APPS[app].format(token="v0000"))
        timings = Path(timings_dir) / "timings.jsonl"  # outside the watched folder
        env = {"FLASKIT_RUN_TIMINGS_FILE": str(timings)}
        server, _ = start_server(tool, folder, expect=b"v0000", isolated=isolated, extra_env=env)
        latencies: list[float] = []
        missed = 0
        try:
            with Poller(server.port) as poller:
                time.sleep(0.5)
                last_write = 0.0
                for i in range(1, reloads + 1):
                    if tool == "flask":
                        time.sleep(max(0.0, last_write + 1.05 - time.perf_counter()))
                    token = f"v{i:04d}".encode()
                    written = time.perf_counter()
                    source.write_text(APPS[app].format(token=token.decode()))
                    last_write = written
                    deadline = written + WAIT_FOR_RELOAD
                    while token not in poller.seen_at and time.perf_counter() < deadline:
                        time.sleep(0.001)
                    if token in poller.seen_at:
                        latencies.append((poller.seen_at[token] - written) * 1000)
                    else:
                        missed += 1
                    time.sleep(random.uniform(0.15, 0.35))
        finally:
            server.stop()
        phases = []
        if timings.exists():
            phases = [json.loads(line)["phases_ms"] for line in timings.read_text().splitlines()]
        return Result(latencies, poller, missed, phases)


def phase_medians(phases: list[dict[str, float]]) -> str:
    """The median of each phase over the reloads, in order."""
    names = list(dict.fromkeys(name for record in phases for name in record))
    parts = [
        f"{name} {statistics.median(r[name] for r in phases if name in r):.1f}" for name in names
    ]
    return ", ".join(parts)


def main() -> None:
    """Run the comparison and print it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reloads", type=int, default=30)
    parser.add_argument("--apps", nargs="+", default=list(APPS), choices=list(APPS))
    parser.add_argument(
        "--tools", nargs="+", default=["flaskit", "rig", "flask"], choices=list(LABELS)
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-isolated-") as tmp:
        wanted = {"installed", "isolated"} & set(args.tools)
        isolated = isolated_install(Path(tmp)) if wanted else None
        compare(args.apps, args.tools, args.reloads, isolated)


def compare(
    apps: list[str], tools: list[str], reloads: int, isolated: IsolatedInstall | None
) -> None:
    """Measure every tool on every app, in turn, and print the ratios."""
    print(f"reload latency, {reloads} reloads each; load average {load_average()}")
    for app in apps:
        results: dict[str, float] = {}
        for tool in tools:
            result = measure(tool, app, reloads, isolated)
            latencies, poller = result.latencies, result.poller
            label = LABELS[tool]
            print(
                f"  {app:5} {label:20} {summary(latencies)}  "
                f"failed requests {len(poller.failures)}/{poller.requests}  "
                f"reloads not seen {result.missed}"
            )
            if poller.failures:
                print(f"        failures: {sorted(set(poller.failures))}")
            if result.phases:
                print(
                    f"        phases, median ms after the previous one ({len(result.phases)} "
                    f"reloads): {phase_medians(result.phases)}"
                )
            if latencies:
                results[tool] = statistics.median(latencies)
        if "flask" in results and "flaskit" in results:
            ratio = results["flask"] / results["flaskit"]
            print(f"  {app:5} flask p50 / flaskit p50 = {ratio:.1f}x")
        if "isolated" in results and "installed" in results:
            ratio = results["isolated"] / results["installed"]
            print(f"  {app:5} flaskit isolated p50 / in-project p50 = {ratio:.2f}x")
        if "rig" in results and "flaskit" in results:
            ratio = results["flaskit"] / results["rig"]
            print(f"  {app:5} flaskit p50 / rig p50 = {ratio:.2f}x")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
