"""The stylesheet and script inlined into the debug pages (no external resources).

The colours of code and values come from rich's export: its classes name CSS
variables (``--rich-*``) set for the light and the dark palette by
:func:`flaskit.debugpage.richrender.palette_css`, appended here.
"""

from __future__ import annotations

from flaskit.debugpage.richrender import palette_css

_PAGE_STYLE = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --panel: #f6f8fa; --border: #d1d9e0;
  --accent: #cf222e; --accent-bg: #ffebe9; --current: #fff5b1; --link: #0969da;
  --masked: #8c959f; --lib: #6e7781; --fn: #8250df; --template: #116329;
  --hint-bg: #ddf4ff; --hint-border: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --panel: #151b23; --border: #3d444d;
    --accent: #ff7b72; --accent-bg: #2d1417; --current: #3b3212; --link: #4493f8;
    --masked: #6e7681; --lib: #8b949e; --fn: #d2a8ff; --template: #7ee787;
    --hint-bg: #0c2d6b; --hint-border: #4493f8;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
code, pre, textarea, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas,
  "DejaVu Sans Mono", monospace; font-size: 13px; }
a { color: var(--link); }
h1 { font-size: 26px; margin: 4px 0; color: var(--accent); overflow-wrap: anywhere; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h2 small { font-weight: normal; color: var(--muted); }
.eyebrow { margin: 0; color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
.message { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 16px; margin: 6px 0 10px; }
.where { color: var(--muted); margin: 0; }
header { border-bottom: 1px solid var(--border); padding-bottom: 14px; }
nav { margin-top: 12px; display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 14px; }
#hints { margin-top: 16px; }
.hint { border: 1px solid var(--hint-border); background: var(--hint-bg); border-radius: 6px;
  padding: 10px 14px; margin: 8px 0; }
.hint h2 { font-size: 16px; margin: 0 0 6px; overflow-wrap: anywhere; }
.hint-tag { display: inline-block; font-size: 11px; text-transform: uppercase;
  letter-spacing: .05em;
  background: var(--hint-border); color: var(--bg); border-radius: 4px; padding: 1px 6px;
  vertical-align: 2px; margin-right: 4px; }
.hint-detail, .hint-fix { margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.hint-fix { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: 13px; }
.hint-fix b { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.note { background: var(--panel); border-left: 3px solid var(--link); padding: 6px 10px;
  margin: 8px 0; white-space: pre-wrap; }
.chain { color: var(--muted); font-style: italic; margin: 22px 0; }
.frame { border: 1px solid var(--border); border-radius: 6px; margin: 6px 0;
  background: var(--bg); }
.frame > summary { cursor: pointer; padding: 6px 10px; list-style-position: inside;
  overflow-wrap: anywhere; }
.frame.library > summary { color: var(--lib); font-size: 13px; padding: 3px 10px; }
.frame.library { border-style: dashed; }
.frame[open] > summary { border-bottom: 1px solid var(--border); }
.frame .path { font-weight: 600; }
.frame.library .path { font-weight: normal; }
.frame .fn { color: var(--fn); }
.tag { display: inline-block; font-size: 11px; border: 1px solid var(--border);
  border-radius: 10px; padding: 0 7px; margin-left: 6px; color: var(--muted); }
.tag.template { color: var(--template); }
.editor { font-size: 12px; margin-left: 10px; }
.peek { display: block; margin: 2px 0 0 18px; color: var(--muted); white-space: pre;
  overflow: hidden; text-overflow: ellipsis; }
.frame[open] .peek { display: none; }
.body { padding: 8px 10px; }
pre.code { margin: 0; padding: 6px 0; background: var(--panel); border-radius: 4px;
  overflow-x: auto; line-height: 1.45; }
pre.code, code.value { color: var(--rich-fg); }
.line { display: block; padding: 0 10px 0 4px; white-space: pre; }
.line.current { background: var(--current); }
table.vars { border-collapse: collapse; width: 100%; margin-top: 8px; font-size: 13px; }
table.vars th, table.vars td { text-align: left; vertical-align: top; padding: 3px 8px;
  border-top: 1px solid var(--border); }
table.vars th { width: 1%; white-space: nowrap; font-family: ui-monospace, SFMono-Regular,
  Menlo, Consolas, "DejaVu Sans Mono", monospace; font-weight: 600; }
table.vars td code { white-space: pre-wrap; overflow-wrap: anywhere; }
.masked { color: var(--masked); font-style: italic; }
.exc-line { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: 14px; margin: 12px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.exc-line b { color: var(--accent); }
.omitted { text-align: center; color: var(--muted); margin: 10px 0; }
.panel { background: var(--panel); border: 1px solid var(--border); border-radius: 6px;
  padding: 10px 14px; }
h3 { font-size: 14px; margin: 14px 0 4px; }
textarea { width: 100%; min-height: 16em; background: var(--panel); color: var(--fg);
  border: 1px solid var(--border); border-radius: 6px; padding: 10px; }
button { font: inherit; font-size: 13px; padding: 3px 12px; border-radius: 6px;
  border: 1px solid var(--border); background: var(--panel); color: var(--fg); cursor: pointer; }
footer { margin-top: 36px; padding-top: 12px; border-top: 1px solid var(--border);
  color: var(--muted); font-size: 13px; }
footer span { margin-right: 14px; white-space: nowrap; }
.deferred { margin: 0; font-size: 13px; }
.routes td, .routes th { font-size: 13px; }
.routes tr.near th, .routes tr.near td { background: var(--current); }
"""
STYLE = _PAGE_STYLE + palette_css()

# Progressive enhancement only: everything is readable and selectable without it (a
# frame the page left out links to the kept page that has it).
SCRIPT = """
(function () {
  Array.prototype.forEach.call(document.querySelectorAll("details[data-src]"), function (frame) {
    frame.addEventListener("toggle", function () {
      if (!frame.open || frame.hasAttribute("data-loading")) { return; }
      frame.setAttribute("data-loading", "");
      fetch(frame.getAttribute("data-src"), {headers: {Accept: "text/html"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          frame.querySelector(".body").innerHTML = html;
          frame.removeAttribute("data-src");
        }, function () { frame.removeAttribute("data-loading"); });  // the link stays
    });
  });
})();
(function () {
  var button = document.getElementById("copy-text");
  var area = document.getElementById("plain-text");
  if (!button || !area) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(done, function () {
        area.select(); document.execCommand("copy"); done();
      });
    } else {
      area.select(); document.execCommand("copy"); done();
    }
  });
})();
"""
