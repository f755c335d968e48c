"""flaskit vs flask: `--help` outside and inside a project, and `routes` on a
generated 1,000-route app.

Run:  python benchmarks/cli_speed.py [--runs N]

Both tools run as their installed console scripts from the same virtualenv, in
one run, alternating, so machine load affects both alike. Prints the median
wall time of each and the ratio flaskit / flask (lower is better). The bar for
`--help` outside a project is a ratio of at most 0.5; inside a project both
import the app to list its commands, so they are shown side by side.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def make_app(folder: Path, routes: int) -> None:
    lines = ["from flask import Flask, Blueprint", "", "app = Flask(__name__)", ""]
    for blueprint in range(10):
        lines.append(
            f"bp{blueprint} = Blueprint('bp{blueprint}', __name__, url_prefix='/bp{blueprint}')"
        )
    for i in range(routes):
        owner = f"bp{i % 10}" if i % 2 else "app"
        converter = "<int:item_id>" if i % 3 == 0 else "<name>"
        lines += [
            f"@{owner}.route('/section{i}/{converter}', methods=['GET', 'POST'])",
            f"def view_{i}(**kwargs):",
            f"    return 'view {i}'",
            "",
        ]
    lines += [f"app.register_blueprint(bp{b})" for b in range(10)]
    (folder / "bigapp.py").write_text("\n".join(lines) + "\n")


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


def compare(
    label: str, ours: list[str], theirs: list[str], cwd: Path, env: dict[str, str], runs: int
) -> float:
    for argv in (ours, theirs):  # warm the file cache; the first run is not counted
        timed(argv, cwd, env)
    a, b = [], []
    for _ in range(runs):
        a.append(timed(ours, cwd, env))
        b.append(timed(theirs, cwd, env))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"| {label:<32} | {ma * 1000:9.1f} ms | {mb * 1000:9.1f} ms | {ma / mb:5.2f} |")
    return ma / mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--routes", type=int, default=1000)
    args = parser.parse_args()
    # Bytecode caching on, as on users' machines: the warm-up run writes the caches.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FLASK_", "FLASKIT_")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as empty:
        folder = Path(tmp)
        make_app(folder, args.routes)
        app_env = env | {"FLASK_APP": "bigapp"}
        flaskit, flask = str(BIN / "flaskit"), str(BIN / "flask")
        print(
            f"median of {args.runs} runs each, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
        )
        print(f"| {'command':<32} | {'flaskit':>12} | {'flask':>12} | ratio |")
        print(f"|{'-' * 34}|{'-' * 14}|{'-' * 14}|-------|")
        # --help in a folder without an app: nothing to import but the tools themselves.
        outside = compare(
            "--help, outside a project",
            [flaskit, "--help"],
            [flask, "--help"],
            Path(empty),
            env,
            args.runs,
        )
        # Inside the project both import the app (and plugins) to list its commands.
        compare(
            "--help, inside the project",
            [flaskit, "--help"],
            [flask, "--help"],
            folder,
            app_env,
            args.runs,
        )
        compare(
            f"routes ({args.routes} routes, piped)",
            [flaskit, "routes"],
            [flask, "routes"],
            folder,
            app_env,
            args.runs,
        )
        verdict = "meets" if outside <= 0.5 else "MISSES"
        print(f"\n--help outside a project: ratio {outside:.2f}, {verdict} the bar of 0.5")


if __name__ == "__main__":
    main()
