"""flaskit's debug page vs werkzeug's debugger page, for the same errors, in one run.

Run:  python benchmarks/debugpage.py [--runs N]

Two errors:

* flask-14: a Flask view failing 14 frames below the WSGI entry point
  (Flask's own frames included), with a few locals per frame;
* deep-60: a plain WSGI app whose error is 60 frames deep, every frame in a
  different function of one generated 3,000-line module, so each frame sits
  at a different depth of the file (nothing is repeated between frames).

Each request goes through the whole middleware as a WSGI call:
``flaskit.debugpage.wrap(app)`` and ``werkzeug.debug.DebuggedApplication(app)``,
alternating, client address 127.0.0.1. "page" is the time until the middleware
yields the page body (what the browser waits for): for flaskit that includes
the report of every frame, rich's rendering of each open frame's window
(``Syntax``) and values (a ``Text`` each), recorded by one Console and exported
as HTML, and the hints;
"total" adds what both do after it: flaskit prints its rich traceback,
werkzeug writes its text traceback to wsgi.errors (both into in-memory
streams).

flaskit keeps rich's rendering of each window and value, by what it shows, for
later pages of the same middleware (the framework's frames are the same in
every error of an app). So each error is timed twice:

* cold: every request through a new middleware on each side (built before the
  clock starts): nothing kept from an earlier page, as for the first error
  after a start or a reload (Python's linecache keeps the source files, for both);
* warm: every request through one middleware, the same error again (the page
  reloaded): rich's rendering of it all comes from what was kept; the report is
  still built from scratch.

The page opens the five frames of the app nearest the error and renders them;
the others (Flask's, and the app's further up a deep stack) are one line each,
rendered when opened (the browser fetches them). werkzeug renders every
frame's source into its page. So each error is also timed a third way, for
reference:

* all: cold, with every frame rendered into the page, as the kept page a
  browser without JavaScript is linked to has them (no target: this is what
  leaving the closed frames for later saves).

Printed: medians and the ratio flaskit / werkzeug (lower is better).

For reference, the same deep-60 error rendered by rich's own
``rich.traceback.Traceback`` (whole-file lexing per frame, which the issue
warns about) is timed once.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}


def flask_app() -> Any:
    """A Flask app whose error is 14 frames below the WSGI entry point."""
    from flask import Flask

    app = Flask("bench_flask")
    app.config["SECRET_KEY"] = "bench-secret-value"
    app.config["PROPAGATE_EXCEPTIONS"] = True  # as in debug mode, for both debuggers

    def level(n: int, payload: dict[str, Any]) -> int:
        items = list(payload.items())
        if n == 0:
            return 1 // (len(items) - len(payload))
        return level(n - 1, {**payload, f"k{n}": n})

    @app.route("/fail/<int:item>")
    def fail(item: int) -> str:
        user = {"id": item, "name": "Ada", "roles": ["admin", "dev"]}
        return str(level(6, {"user": user}))

    return app


def write_big_module(folder: Path, frames: int = 60, lines: int = 3000) -> Path:
    """A module of ``lines`` lines with ``frames`` chained functions spread through it."""
    spacing = lines // frames
    body: list[str] = ['"""Generated for the debug page benchmark."""', ""]
    for index in range(frames):
        target = index * spacing + 3
        while len(body) < target - 1:
            filler = len(body)
            body.append(
                f"CONSTANT_{filler} = {{'value': {filler}, 'text': 'filler line {filler}'}}"
            )
        call = (
            f"    return step_{index + 1}(depth + 1, data)"
            if index < frames - 1
            else "    raise LookupError(f'no item at depth {depth}: {data!r}')"
        )
        body += [
            f"def step_{index}(depth, data):",
            f'    """Step {index}: a docstring, then a few statements."""',
            f"    label = 'step {index}'",
            "    data = dict(data, last=label)",
            call,
        ]
    while len(body) < lines:
        body.append(f"TRAILER_{len(body)} = {len(body)}")
    path = folder / "bench_big_module.py"
    path.write_text("\n".join(body) + "\n")
    return path


def deep_app(folder: Path) -> Any:
    """A plain WSGI app failing 60 frames deep in the generated module."""
    sys.path.insert(0, str(folder))
    import bench_big_module  # type: ignore[import-not-found]

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        return bench_big_module.step_1(0, {"path": environ.get("PATH_INFO")})

    return app


def median_ms(run: Callable[[], object], runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class Timed:
    """One error request through a WSGI middleware: time to the page, time to the end.

    ``make`` builds the middleware: once (warm), or before each request, off the
    clock (``fresh``: cold).
    """

    def __init__(self, make: Callable[[], Any], path: str, marker: bytes, fresh: bool) -> None:
        from werkzeug.test import EnvironBuilder

        self.make = make
        self.fresh = fresh
        self.app = make()
        self.builder = lambda: EnvironBuilder(path, environ_base=LOCAL).get_environ()
        self.marker = marker
        self.page: list[float] = []
        self.total: list[float] = []

    def __call__(self) -> None:
        if self.fresh:
            self.app = self.make()
        environ = self.builder()
        environ["wsgi.errors"] = io.StringIO()
        status: list[str] = []
        started = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):
            body = iter(self.app(environ, lambda s, h, e=None: status.append(s)))
            first = next(body)
            page_done = time.perf_counter()
            rest = b"".join(body)  # the terminal traceback is printed after the page
            getattr(body, "close", lambda: None)()
        finished = time.perf_counter()
        assert status[0].startswith("500")
        assert self.marker in first + rest
        self.page.append((page_done - started) * 1000)
        self.total.append((finished - started) * 1000)

    def clear(self) -> None:
        self.page.clear()
        self.total.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="measured requests per side")
    options = parser.parse_args()

    from werkzeug.debug import DebuggedApplication

    from flaskit.debugpage import DebugPageConfig, wrap
    from flaskit.debugpage.report import build_report, collect_versions

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_big_module(folder)
        cases = [
            ("flask-14", flask_app(), "/fail/7", 150.0),
            ("deep-60", deep_app(folder), "/deep", None),
        ]
        print(
            f"debug page for one error: median of {options.runs} requests, alternating sides "
            f"(load average {os.getloadavg()[0]:.2f}; shared machine)"
        )
        print(
            "page = until the page body is produced; total = also the terminal traceback; "
            "cold = a new middleware per request, warm = the same error again\n"
        )
        header = (
            f"{'error':<9} {'frames':>6} {'mode':<5} | {'flaskit page':>12} "
            f"{'werkzeug page':>13} {'ratio':>6} | {'flaskit total':>13} "
            f"{'werkzeug total':>14} {'ratio':>6} | target"
        )
        print(header)
        print("-" * len(header))
        versions = collect_versions()
        for name, app, path, absolute in cases:
            error = _capture(app, path)
            # Less _capture's own frame: the count the middleware sees.
            frames = len(build_report(error, phase="request", versions=versions).main.frames) - 1
            del error
            for mode in ("cold", "warm", "all"):
                fresh = mode != "warm"
                ours = Timed(
                    lambda app=app: wrap(app, DebugPageConfig(app_spec="bench", root=folder)),
                    path,
                    b"flaskit",
                    fresh,
                )
                theirs = Timed(lambda app=app: DebuggedApplication(app), path, b"Werkzeug", fresh)
                with every_frame_rendered(mode == "all"):
                    for timed in (ours, theirs):
                        for _ in range(3):
                            timed()
                        timed.clear()
                    for _ in range(options.runs):
                        ours()
                        theirs()
                our_page, our_total = statistics.median(ours.page), statistics.median(ours.total)
                their_page = statistics.median(theirs.page)
                their_total = statistics.median(theirs.total)
                ratio = our_page / their_page
                target = f"page <= 2x werkzeug: {'met' if ratio <= 2 else 'MISSED'}"
                if mode == "all":
                    target = "reference: every frame rendered up front"
                elif absolute is not None:
                    met = "met" if our_page <= absolute else "MISSED"
                    target += f"; page <= {absolute:.0f} ms: {met}"
                print(
                    f"{name:<9} {frames:>6} {mode:<5} | {our_page:>9.1f} ms {their_page:>10.1f} ms "
                    f"{ratio:>5.2f}x | {our_total:>10.1f} ms {their_total:>11.1f} ms "
                    f"{our_total / their_total:>5.2f}x | {target}"
                )

        from rich.console import Console
        from rich.traceback import Traceback

        error = _capture(cases[1][1], "/deep")
        console = Console(file=io.StringIO(), width=100)

        def rich_traceback() -> None:
            console.print(Traceback.from_exception(type(error), error, error.__traceback__))

        rich_ms = median_ms(rich_traceback, 1, warmup=0)
        print(
            f"\nreference: rich.traceback.Traceback of deep-60, lexing whole files (1 run): "
            f"{rich_ms:,.0f} ms"
        )


@contextlib.contextmanager
def every_frame_rendered(enabled: bool) -> Iterator[None]:
    """While ``enabled``, error pages have every frame in them: rendered as if the error
    were not kept, so no frame is left for the browser to fetch."""
    from flaskit.debugpage import page

    real = page.render_page
    if enabled:
        page.render_page = functools.partial(_eager, real)  # type: ignore[assignment]
    try:
        yield
    finally:
        page.render_page = real  # type: ignore[assignment]


def _eager(real: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    return real(*args, **{**kwargs, "stored": None})


def _capture(app: Any, path: str) -> BaseException:
    """The exception ``app`` raises for ``path``."""
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path, environ_base=LOCAL).get_environ()
    try:
        app(environ, lambda *args: None)
    except Exception as exc:
        return exc
    raise RuntimeError(f"{path} did not fail")


if __name__ == "__main__":
    main()
