"""Where a view lives: its qualified name, source file and line."""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ViewInfo:
    """The qualified name (``module.qualname``) and source location of a view."""

    name: str
    file: str | None
    line: int | None


def describe_view(view: object) -> ViewInfo:
    """Describe a view function, class-based view, bound method, partial or callable object."""
    return ViewDescriber().describe(view)


class ViewDescriber:
    """Describes many views, resolving each source file once (apps have thousands of views
    in a handful of files)."""

    def __init__(self) -> None:
        self._files: dict[str, str | None] = {}

    def describe(self, view: object) -> ViewInfo:
        """Describe one view; see :func:`describe_view`."""
        target = _innermost(view)
        code = getattr(target, "__code__", None)
        if code is not None:
            return ViewInfo(
                _qualified_name(target), self._file(code.co_filename), code.co_firstlineno
            )
        file, line = _source_location(target)
        return ViewInfo(_qualified_name(target), file, line)

    def _file(self, filename: str) -> str | None:
        if filename not in self._files:
            path = Path(filename)
            self._files[filename] = str(path.resolve()) if path.is_file() else None
        return self._files[filename]


def _innermost(view: object) -> object:
    for _ in range(20):  # bounded: wrappers can form cycles
        view_class = getattr(view, "view_class", None)  # Flask's View.as_view()
        if isinstance(view_class, type):
            return view_class
        if isinstance(view, functools.partial):
            view = view.func
            continue
        func = getattr(view, "__func__", None)  # bound method
        if func is not None:
            view = func
            continue
        wrapped = getattr(view, "__wrapped__", None)  # functools.wraps
        if wrapped is not None and wrapped is not view:
            view = wrapped
            continue
        break
    if not (inspect.isfunction(view) or inspect.isclass(view) or inspect.isbuiltin(view)):
        return type(view)  # a callable instance: describe its class
    return view


def _qualified_name(obj: object) -> str:
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{module}.{qualname}" if module else str(qualname)


def _source_location(obj: object) -> tuple[str | None, int | None]:
    try:
        file = inspect.getsourcefile(obj)  # type: ignore[arg-type]
    except TypeError:
        return None, None
    if file is None:
        return None, None
    try:
        _, line = inspect.getsourcelines(obj)  # type: ignore[arg-type]
    except (OSError, TypeError):
        line = None
    return str(Path(file).resolve()), line or None
