"""Live reload: from a save to the open page showing the change, in a real browser.

Runs ``flaskit run --debug`` and python-livereload (``livereload.Server(app.wsgi_app)``,
the usual way to get live reload with Flask; its defaults, with the templates and
static folders watched) side by side on the same Flask site, each driven by
Debian's chromium through Playwright. For each of a template, a stylesheet and
a view (app.py), it saves an edit and times until the open page shows it: the
heading's text, the heading's computed colour, the view's output. The time is
taken in the page (a sampler at every animation frame and at DOMContentLoaded
logs to sessionStorage when what is shown changes), against the same clock as
the save, so Playwright's own delays after a navigation do not count.

The page (``/form`` of tests/apps/livereload_site) has state a reload loses:
before each round the benchmark types into a text field (which keeps the focus),
scrolls down and sets a JavaScript variable. After each template edit it checks
that all four (text, focus, scroll, variable) are still there and counts the
page loads (flaskit morphs the page in place: none); it counts page loads during
the stylesheet edits too (a hot swap has none). A view edit restarts the app and
reloads the page: for flaskit it also prints the part spent in the browser, from
the page hearing that the new generation serves to the page showing its output.

    python benchmarks/livereload.py                # 10 edits of each kind per tool
    python benchmarks/livereload.py --edits 30 --tools flaskit

Needs the dev extra (``pip install -e '.[dev]'``: playwright, livereload) and
/usr/bin/chromium. Fair to the peer: it writes no bytecode (a same-size edit of
app.py within one second cannot serve it stale code), and it gets 3.2 s between
edits, because it ignores every change within 3 s of its last browser reload;
flaskit gets 0.3-0.5 s. After a Python change the peer restarts (tornado's
autoreload) and reloads the browser after its default ``restart_delay`` of 2 s.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO, Server, clean_env, free_port, get, load_average, summary

SITE = REPO / "tests" / "apps" / "livereload_site"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
WAIT = 15.0  # seconds before an edit counts as never shown
PAGE = "/form"
SCROLL = 600  # px
KINDS = ("template", "stylesheet", "view")
GAP = {"flaskit": (0.3, 0.5), "livereload": (3.2, 3.4)}  # seconds between edits (see above)

# What the page shows, logged with the time whenever it changes; sessionStorage
# keeps the log across reloads.
SAMPLER = """
(() => {
  function sample() {
    const h = document.getElementById('message');
    const v = document.getElementById('view');
    if (h && v) {
      const state = [h.textContent, getComputedStyle(h).color, v.textContent].join('|');
      if (state !== window.__shown) {
        window.__shown = state;
        const log = JSON.parse(sessionStorage.getItem('shown') || '[]');
        log.push([Date.now(), state]);
        sessionStorage.setItem('shown', JSON.stringify(log.slice(-20)));
      }
    }
    requestAnimationFrame(sample);
  }
  document.addEventListener('DOMContentLoaded', sample);
  // flaskit only: when the page hears that a new generation serves (after a Python edit).
  addEventListener('flaskit:live-reload', (event) => {
    const own = document.querySelector('script[data-generation]');
    const hello = event.detail.type === 'hello';
    if (hello && own && event.detail.generation !== own.dataset.generation) {
      sessionStorage.setItem('noticed', String(Date.now()));
    }
  });
})();
"""

PEER = """\
import sys

from livereload import Server

from app import app

app.debug = True  # Flask re-reads edited templates
server = Server(app.wsgi_app)
server.watch("templates/")
server.watch("static/")
server.serve(host="127.0.0.1", port=int(sys.argv[1]))
"""


@dataclass
class Result:
    """The latencies of one kind of edit for one tool."""

    latencies_ms: list[float] = field(default_factory=list)
    missed: int = 0
    loads: int = 0
    kept: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KEPT, 0))
    browser_ms: list[float] = field(default_factory=list)  # new generation heard -> shown


KEPT = ("typed text", "focus", "scroll", "JS variable")

# The page's state after an edit, as [typed text, focused id, scrollY, the variable].
STATE = (
    "() => [document.getElementById('name')?.value, document.activeElement?.id,"
    " Math.round(scrollY), window.__kept ?? null]"
)


def prepare(page: Any, n: int) -> list[Any]:
    """Give the page state a reload loses; the state as :data:`STATE` reads it."""
    page.fill("#name", f"typed-{n}")  # focuses the field
    page.evaluate(f"() => {{ window.__kept = {n}; scrollTo(0, {SCROLL}); }}")
    return [f"typed-{n}", "name", SCROLL, n]


def start(tool: str, folder: Path) -> Server:
    """Start the tool in ``folder`` and wait for the page."""
    port = free_port()
    env = clean_env()
    if tool == "flaskit":
        argv = [sys.executable, "-m", "flaskit", "run", "--debug", "--port", str(port)]
    else:
        (folder / "serve_peer.py").write_text(PEER)
        argv = [sys.executable, "serve_peer.py", str(port)]
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    proc = subprocess.Popen(
        argv,
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(tool, proc, port)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and proc.poll() is None:
        try:
            if get(port, timeout=1)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"{tool} did not serve within 30 s")


def timed(
    page: Any, edit: Callable[[], None], shown: str, expected: str
) -> tuple[float, float | None] | None:
    """Seconds from the save to the page first showing ``expected`` (a part of the
    sampler's state), and from the page hearing of a new generation to that (None
    without one); None if ``shown`` did not become true within :data:`WAIT`."""
    saved_ms = time.time() * 1000
    edit()
    try:
        page.wait_for_function(shown, timeout=WAIT * 1000)
    except Exception:
        return None
    log = page.evaluate("JSON.parse(sessionStorage.getItem('shown') || '[]')")
    seen = [t for t, state in log if t >= saved_ms and expected in state.split("|")]
    if not seen:
        raise RuntimeError(f"the page showed {expected!r} but the sampler never logged it: {log}")
    noticed = float(page.evaluate("Number(sessionStorage.getItem('noticed') || 0)"))
    after = (min(seen) - noticed) / 1000 if saved_ms <= noticed <= min(seen) else None
    return (min(seen) - saved_ms) / 1000, after


def text_is(element: str, value: str) -> str:
    """A predicate (a function: a page's CSP may forbid evaluating a string)."""
    return f"() => document.getElementById({element!r})?.textContent === {value!r}"


def rewrite(path: Path, old: str, new: str) -> Callable[[], None]:
    """An edit: replace text in a file, in place."""

    def edit() -> None:
        text = path.read_text()
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new))

    return edit


def measure(tool: str, edits: int, browser: Any) -> dict[str, Result]:
    """Every kind of edit, ``edits`` times, against one running tool."""
    results = {kind: Result() for kind in KINDS}
    with tempfile.TemporaryDirectory(prefix=f"bench-live-{tool}-") as tmp:
        folder = Path(tmp) / "site"
        shutil.copytree(SITE, folder, ignore=shutil.ignore_patterns("__pycache__"))
        server = start(tool, folder)
        context = browser.new_context()
        context.add_init_script(SAMPLER)
        loads: list[str] = []
        try:
            page = context.new_page()
            page.on("load", lambda p: loads.append(p.url))
            page.goto(f"http://127.0.0.1:{server.port}{PAGE}")
            time.sleep(1.5)  # both clients connected
            color = "getComputedStyle(document.getElementById('message') || document.body).color"
            for n in range(1, edits + 1):
                steps = {
                    "template": (
                        rewrite(
                            folder / "templates/form.html", f"template-{n}", f"template-{n + 1}"
                        ),
                        text_is("message", f"template-{n + 1}"),
                        f"template-{n + 1}",
                    ),
                    "stylesheet": (
                        lambda n=n: (folder / "static/site.css").write_text(
                            f"h1 {{ color: rgb({n}, 99, 99); }}\n"
                        ),
                        f"() => {color} === 'rgb({n}, 99, 99)'",
                        f"rgb({n}, 99, 99)",
                    ),
                    "view": (
                        rewrite(folder / "app.py", f'"view-{n}"', f'"view-{n + 1}"'),
                        text_is("view", f"view-{n + 1}"),
                        f"view-{n + 1}",
                    ),
                }
                state = prepare(page, n)
                for kind in KINDS:
                    edit, shown, expected = steps[kind]
                    before = len(loads)
                    times = timed(page, edit, shown, expected)
                    result = results[kind]
                    if times is None:
                        result.missed += 1
                    else:
                        result.latencies_ms.append(times[0] * 1000)
                        if times[1] is not None:
                            result.browser_ms.append(times[1] * 1000)
                        if kind == "template":
                            now = page.evaluate(STATE)
                            for name, old, new in zip(KEPT, state, now, strict=True):
                                result.kept[name] += old == new
                    time.sleep(random.uniform(*GAP.get(tool, (0.3, 0.5))))
                    result.loads += len(loads) - before
        finally:
            context.close()
            server.stop()
    return results


def main() -> None:
    """Run the comparison and print it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--tools", nargs="+", default=["flaskit", "livereload"])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"save -> page shows it, {args.edits} edits of each kind; load average {load_average()}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            results = {tool: measure(tool, args.edits, browser) for tool in args.tools}
        finally:
            browser.close()
    labels = {"flaskit": "flaskit run --debug", "livereload": "python-livereload 2.7"}
    for kind in KINDS:
        print(f"\n{kind}")
        medians: dict[str, float] = {}
        shown: dict[str, int] = {}
        for tool in args.tools:
            result = results[tool][kind]
            extra = f"  page loads {result.loads}" if kind != "view" else ""
            if kind == "template":
                kept = ", ".join(f"{name} {count}" for name, count in result.kept.items())
                extra += f"\n  {'':24} kept after the edit (of {len(result.latencies_ms)}): {kept}"
            if kind == "view" and result.browser_ms:
                extra += (
                    f"\n  {'':24} of which in the browser (new generation heard -> shown): "
                    f"{summary(result.browser_ms)}"
                )
            print(
                f"  {labels.get(tool, tool):24} {summary(result.latencies_ms)}"
                f"  not shown within {WAIT:.0f} s: {result.missed}/{args.edits}{extra}"
            )
            if result.latencies_ms:
                medians[tool] = statistics.median(result.latencies_ms)
                shown[tool] = len(result.latencies_ms)
        if "flaskit" in medians and len(medians) > 1:
            for tool, median in medians.items():
                if tool != "flaskit":
                    print(
                        f"  median ratio {tool} / flaskit: {median / medians['flaskit']:.1f}x"
                        f"  (medians of the {shown[tool]} and {shown['flaskit']} edits shown)"
                    )
    print(f"\nload average after the run {load_average()}")


if __name__ == "__main__":
    main()
