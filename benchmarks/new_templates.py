"""`flaskit new` per built-in template, side by side with cookiecutter and a plain copy.

For each template, in one run:

* ``flaskit new`` as a user runs it (a new process each time), and ``create_project``
  in-process (the cost of flaskit's own work without interpreter start-up);
* cookiecutter rendering an equivalent template: the same files, the same Jinja
  sources with the same values, the same copied-not-rendered files (built here
  from the flaskit template; its output is checked to be byte-identical);
* ``shutil.copytree`` of the generated tree: the floor for writing those files.

The figure is the median wall time of several runs. Run from the repository root:

    .venv/bin/python benchmarks/new_templates.py [--runs 9]

cookiecutter is optional (pip install cookiecutter); without it its columns say so.
"""

from __future__ import annotations

import argparse
import filecmp
import io
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flaskit.scaffold.create import NewConfig, create_project  # noqa: E402
from flaskit.scaffold.plan import RENDER_SUFFIX, Plan  # noqa: E402

NAME = "demo-site"
TEMPLATES = {
    "module": ["--layout", "module"],
    "package": [],
    "tutorial": ["--template", "tutorial"],
}
_VARIABLE = re.compile(r"\{\{\s*(\w+)")


def median_ms(action: Callable[[int], object], runs: int) -> float:
    """Median wall time of ``action(i)`` over ``runs`` calls, in milliseconds."""
    times = []
    for index in range(runs):
        start = time.perf_counter()
        action(index)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def flaskit_cli(options: list[str], out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "flaskit", "new", NAME, "--no-input", "-o", str(out), *options],
        check=True,
        capture_output=True,
        cwd=REPO,
    )


def flaskit_config(key: str, out: Path) -> NewConfig:
    template = "tutorial" if key == "tutorial" else None
    layout = "module" if key == "module" else None
    return NewConfig(NAME, out, out, template=template, layout=layout)


def cookiecutter_template(plan: Plan, where: Path) -> Path:
    """The flaskit template as a cookiecutter template with the same output."""
    project = where / "{{ cookiecutter.project_name }}"
    copy_only = []
    context = dict(plan.context)
    preamble = "".join(f"{{% set {k} = cookiecutter.{k} %}}" for k in context)
    for item in plan.files:
        relative = item.source.relative_to(plan.template.root).as_posix()
        relative = _VARIABLE.sub(r"{{ cookiecutter.\1", relative).removesuffix(RENDER_SUFFIX)
        destination = project / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if item.rendered:
            destination.write_text(preamble + item.source.read_text(encoding="utf-8"))
        else:
            shutil.copyfile(item.source, destination)
            copy_only.append(relative)
        shutil.copymode(item.source, destination)
    context["_copy_without_render"] = copy_only
    (where / "cookiecutter.json").write_text(json.dumps(context))
    return where


def same_tree(left: Path, right: Path) -> bool:
    files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    other = sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    return files == other and all(filecmp.cmp(left / f, right / f, shallow=False) for f in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per measurement (median)")
    args = parser.parse_args()
    runs = args.runs
    try:
        from cookiecutter.main import cookiecutter
    except ImportError:
        cookiecutter = None
        print("cookiecutter is not installed (pip install cookiecutter): its columns are empty.")
    cookiecutter_bin = Path(sys.executable).parent / "cookiecutter"

    rows = []
    with tempfile.TemporaryDirectory(prefix="flaskit-bench-") as scratch:
        base = Path(scratch)
        config_file = base / "cookiecutter.yaml"
        config_file.write_text(
            f"cookiecutters_dir: {base / 'cc-cache'}\nreplay_dir: {base / 'cc-replay'}\n"
        )
        for key, options in TEMPLATES.items():
            work = base / key
            work.mkdir()
            cli_ms = median_ms(lambda i, o=options, w=work: flaskit_cli(o, w / f"cli{i}"), runs)
            api_ms = median_ms(
                lambda i, k=key, w=work: create_project(
                    flaskit_config(k, w / f"api{i}"), None, io.StringIO()
                ),
                runs,
            )
            plan = create_project(flaskit_config(key, work / "plan"), None, io.StringIO()).plan
            generated = plan.target
            copy_ms = median_ms(
                lambda i, g=generated, w=work: shutil.copytree(g, w / f"copy{i}" / NAME), runs
            )
            row = [key, str(len(plan.files)), cli_ms, None, api_ms, None, copy_ms, "-"]
            if cookiecutter is not None:
                template = cookiecutter_template(plan, work / "cc-template")

                def cc_cli(i: int, t: Path = template, w: Path = work) -> None:
                    subprocess.run(
                        [
                            str(cookiecutter_bin),
                            "--no-input",
                            *("--config-file", str(config_file)),
                            *("-o", str(w / f"cccli{i}"), str(t)),
                        ],
                        check=True,
                        capture_output=True,
                    )

                def cc_api(i: int, t: Path = template, w: Path = work) -> None:
                    cookiecutter(
                        str(t),
                        no_input=True,
                        output_dir=str(w / f"ccapi{i}"),
                        config_file=str(config_file),
                    )

                row[3] = median_ms(cc_cli, runs)
                row[5] = median_ms(cc_api, runs)
                identical = same_tree(generated, work / "ccapi0" / NAME)
                row[7] = "yes" if identical else "NO"
            rows.append(row)

    print(f"\nflaskit new, median of {runs} runs (ms); ratio = flaskit / peer, below 1 is faster\n")
    header = (
        f"{'template':<9} {'files':>5}  {'flaskit CLI':>11} {'cookiecutter CLI':>16} {'ratio':>6}"
        f"  {'create_project':>14} {'cookiecutter()':>14} {'ratio':>6}  {'copytree':>8}"
        f"  {'same output':>11}"
    )
    print(header)
    print("-" * len(header))
    for key, files, cli_ms, cc_cli_ms, api_ms, cc_api_ms, copy_ms, same in rows:
        print(
            f"{key:<9} {files:>5}  {cli_ms:>11.1f} {_ms(cc_cli_ms):>16}"
            f" {_ratio(cli_ms, cc_cli_ms):>6}"
            f"  {api_ms:>14.1f} {_ms(cc_api_ms):>14} {_ratio(api_ms, cc_api_ms):>6}"
            f"  {copy_ms:>8.2f}  {same:>11}"
        )
    print(
        "\ncopytree copies the finished tree (no rendering, no checks): the floor for the writes."
    )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _ratio(ours: float, theirs: float | None) -> str:
    return "-" if theirs is None else f"{ours / theirs:.2f}x"


if __name__ == "__main__":
    main()
