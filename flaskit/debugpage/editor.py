""" "Open in editor" links: ``--editor vscode|pycharm|sublime|PATTERN``."""

from __future__ import annotations

from pathlib import PureWindowsPath
from urllib.parse import quote

from flaskit.errors import UsageProblem

# {path} is a URL path: forward slashes and always a leading slash ("/C:/..." on Windows).
EDITORS = {
    "vscode": "vscode://file{path}:{line}:{column}",
    "vscodium": "vscodium://file{path}:{line}:{column}",
    "cursor": "cursor://file{path}:{line}:{column}",
    "pycharm": "pycharm://open?file={path}&line={line}",
    "idea": "idea://open?file={path}&line={line}",
    "sublime": "subl://open?url=file://{path}&line={line}",
    "textmate": "txmt://open?url=file://{path}&line={line}",
}
_FORBIDDEN_SCHEMES = ("javascript:", "data:", "vbscript:")


def editor_pattern(editor: str | None) -> str | None:
    """The link pattern for an ``--editor`` value; raises :class:`UsageProblem` if unusable."""
    if not editor:
        return None
    name = editor.strip()
    if name.lower() in EDITORS:
        return EDITORS[name.lower()]
    names = ", ".join(EDITORS)
    if "{path}" not in name:
        raise UsageProblem(
            f"Unknown editor '{editor}'. Use one of {names}, or a URL pattern with {{path}} "
            "and {line}, for example --editor 'myeditor://open?file={path}&line={line}'."
        )
    if name.lower().lstrip().startswith(_FORBIDDEN_SCHEMES):
        raise UsageProblem(
            f"The editor pattern '{editor}' uses a script URL. Use the URL scheme your editor "
            "registers, for example 'myeditor://open?file={path}&line={line}'."
        )
    try:
        name.format(path="/x", line=1, column=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise UsageProblem(
            f"The editor pattern '{editor}' can only use the placeholders {{path}}, {{line}} and "
            f"{{column}} ({type(exc).__name__}: {exc}). Double other braces: {{{{ and }}}}."
        ) from exc
    return name


def editor_link(pattern: str, filename: str, line: int, column: int = 1) -> str:
    """The link that opens ``filename`` at ``line`` with ``pattern``."""
    path = filename.replace("\\", "/") if PureWindowsPath(filename).drive else filename
    if not path.startswith("/"):
        path = "/" + path
    return pattern.format(path=quote(path, safe="/:"), line=line, column=column)
