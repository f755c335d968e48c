"""Sum up the recovery times the fault suite recorded: ``python -m tests.serve.fault_times FILE``.

``FILE`` holds one JSON object per line (``{"fault": ..., "seconds": ...}``), appended by
``tests/serve/test_faults.py`` when ``FAULT_SUITE_RECORD`` names it; run the suite
several times into the same file, then print each fault's count, median and maximum.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def summary(path: Path) -> list[tuple[str, int, float, float]]:
    """(fault, runs, median seconds, max seconds) for each fault, in first-seen order."""
    times: dict[str, list[float]] = defaultdict(list)
    for line in path.read_text().splitlines():
        if line.strip():
            entry = json.loads(line)
            times[entry["fault"]].append(float(entry["seconds"]))
    return [(f, len(t), statistics.median(t), max(t)) for f, t in times.items()]


def main(argv: list[str]) -> None:
    """Print the table."""
    rows = summary(Path(argv[0]))
    width = max(len(fault) for fault, *_ in rows)
    print(f"{'fault':<{width}}  runs  median s  max s")
    for fault, runs, median, most in rows:
        print(f"{fault:<{width}}  {runs:>4}  {median:>8.3f}  {most:>5.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
