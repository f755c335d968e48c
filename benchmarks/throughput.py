"""Requests per second for a hello view: flaskit run against flask run, same load.

The load generator is ApacheBench (``ab``, from apache2-utils) on loopback:
``-c 8`` concurrent connections for a fixed number of requests, bounded by
``-t`` seconds. Both servers run without debug and with their request log
going to a pipe nobody reads slower than it is written (/dev/null). Each server
is measured ``--rounds`` times, alternating, and the best round is kept.

    python benchmarks/throughput.py
    python benchmarks/throughput.py --requests 5000 --rounds 3 --debug
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import HELLO_APP, load_average, start_server


def ab(port: int, requests: int, concurrency: int, seconds: int) -> tuple[float, int]:
    """(requests per second, failed requests) from one ab run."""
    result = subprocess.run(
        [
            "ab",
            "-q",
            # -t implies -n 50000, so the count must come after it to apply.
            "-t",
            str(seconds),
            "-n",
            str(requests),
            "-c",
            str(concurrency),
            "-s",
            "10",
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=False,
    )
    rps = re.search(r"Requests per second:\s+([\d.]+)", result.stdout)
    failed = re.search(r"Failed requests:\s+(\d+)", result.stdout)
    if rps is None or failed is None:
        raise RuntimeError(f"ab failed: {result.stdout}\n{result.stderr}")
    return float(rps.group(1)), int(failed.group(1))


def main() -> None:
    """Alternate the servers, print the best round of each and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20, help="cap per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--debug", action="store_true", help="run both with --debug")
    args = parser.parse_args()
    if shutil.which("ab") is None:
        sys.exit("ab is not installed: apt-get install apache2-utils")
    mode = "--debug" if args.debug else "no debug"
    print(
        f"hello view, {args.requests} requests x {args.rounds} rounds, -c {args.concurrency}, "
        f"{mode}; load average {load_average()}"
    )
    best: dict[str, tuple[float, int]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-rps-") as tmp:
        folder = Path(tmp)
        (folder / "app.py").write_text(HELLO_APP.format(token="hello"))
        for _round in range(args.rounds):
            for tool in ("flaskit", "flask"):
                server, _ = start_server(tool, folder, debug=args.debug, expect=b"hello")
                try:
                    ab(server.port, 200, args.concurrency, args.seconds)  # warm up
                    rps, failed = ab(server.port, args.requests, args.concurrency, args.seconds)
                finally:
                    server.stop()
                print(f"  round {_round + 1} {tool:8} {rps:8.1f} req/s  failed {failed}")
                if tool not in best or rps > best[tool][0]:
                    best[tool] = (rps, failed)
    for tool, (rps, failed) in best.items():
        print(f"  best {tool:8} {rps:8.1f} req/s  failed {failed}")
    print(f"  flaskit / flask = {best['flaskit'][0] / best['flask'][0]:.2f}x")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
