"""Where templates come from: built-in, a local folder, or an installed package.

An installed package offers templates through the entry-point group
``flaskit.templates``; the entry point's name is the template's name and its
object is the template folder: a package (its folder), or a ``str`` /
``os.PathLike`` attribute naming the folder.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
import types
from dataclasses import dataclass
from pathlib import Path

from flaskit.errors import UsageProblem
from flaskit.scaffold.manifest import MANIFEST, Manifest, load_manifest
from flaskit.scaffold.render import TemplateError

ENTRY_POINT_GROUP = "flaskit.templates"
DEFAULT_TEMPLATE = "package"


@dataclass(frozen=True)
class TemplateSource:
    """A template's name, folder and where it was found."""

    name: str
    root: Path
    origin: str

    def load(self) -> Manifest:
        """Read and check the template's manifest."""
        return load_manifest(self.root, self.name)


@dataclass(frozen=True)
class Listing:
    """One line of ``flaskit new --list-templates``."""

    name: str
    origin: str
    description: str
    problem: str | None = None


def builtin_root() -> Path:
    """The folder holding the built-in templates.

    Installed from a wheel, they are the package data ``flaskit/project_templates``;
    in a source checkout (an editable install) they are the top-level
    ``project_templates`` folder beside the package.
    """
    packaged = importlib.resources.files("flaskit") / "project_templates"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "project_templates"


def builtin_templates() -> list[TemplateSource]:
    """The built-in templates, by name."""
    root = builtin_root()
    if not root.is_dir():
        return []
    return [
        TemplateSource(child.name, child, "built-in")
        for child in sorted(root.iterdir())
        if (child / MANIFEST).is_file()
    ]


def installed_templates() -> tuple[list[TemplateSource], list[Listing]]:
    """Templates offered by installed packages, and the entry points that are broken."""
    found: list[TemplateSource] = []
    broken: list[Listing] = []
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist.name if entry_point.dist else "an installed package"
        origin = f"package {dist}"
        try:
            root = _entry_point_root(entry_point)
        except TemplateError as exc:
            broken.append(Listing(entry_point.name, origin, "", exc.message))
            continue
        found.append(TemplateSource(entry_point.name, root, origin))
    return found, broken


def find_template(spec: str | None, layout: str | None, cwd: Path) -> TemplateSource:
    """The template named by ``--template`` (a name or a folder) and ``--layout``."""
    if spec is None:
        return _builtin(layout or DEFAULT_TEMPLATE)
    if _looks_like_path(spec):
        return _local(spec, cwd)
    builtins = {t.name: t for t in builtin_templates()}
    if spec in builtins:
        return builtins[spec]
    installed, broken = installed_templates()
    for source in installed:
        if source.name == spec:
            return source
    for listing in broken:
        if listing.name == spec:
            raise TemplateError(
                f"The template '{spec}' from {listing.origin} is broken: {listing.problem}"
            )
    if (cwd / spec / MANIFEST).is_file():
        return _local(spec, cwd)
    names = ", ".join(sorted({*builtins, *(t.name for t in installed)}))
    raise UsageProblem(
        f"There is no template called '{spec}'. Available: {names}. A folder holding a "
        f"{MANIFEST} works too (--template ./path/to/template); "
        "flaskit new --list-templates shows them all."
    )


def list_templates() -> list[Listing]:
    """Every template flaskit can find, built-in first, with its description."""
    installed, broken = installed_templates()
    listings = []
    for source in [*builtin_templates(), *installed]:
        try:
            listings.append(Listing(source.name, source.origin, source.load().description))
        except TemplateError as exc:
            listings.append(Listing(source.name, source.origin, "", exc.message))
    return listings + broken


def _builtin(name: str) -> TemplateSource:
    for source in builtin_templates():
        if source.name == name:
            return source
    raise TemplateError(
        f"The built-in template '{name}' is missing from {builtin_root()}: "
        "reinstall flaskit (pip install --force-reinstall flaskit)."
    )


def _local(spec: str, cwd: Path) -> TemplateSource:
    root = (cwd / Path(spec).expanduser()).resolve()
    if not root.is_dir():
        raise UsageProblem(
            f"The template folder '{spec}' does not exist (looked for {root}). "
            "Give the path of a folder holding a template.toml, or a template name."
        )
    if not (root / MANIFEST).is_file():
        raise UsageProblem(
            f"'{spec}' is a folder without a {MANIFEST}, so it is not a flaskit template. "
            "Point --template at the folder that holds template.toml."
        )
    return TemplateSource(root.name, root, f"folder {root}")


def _looks_like_path(spec: str) -> bool:
    return "/" in spec or "\\" in spec or spec.startswith((".", "~"))


def _entry_point_root(entry_point: importlib.metadata.EntryPoint) -> Path:
    label = f"entry point '{entry_point.name} = {entry_point.value}'"
    try:
        target = entry_point.load()
    except Exception as exc:
        raise TemplateError(f"{label} cannot be loaded: {type(exc).__name__}: {exc}") from exc
    if isinstance(target, types.ModuleType):
        folder = importlib.resources.files(target)
        root = folder if isinstance(folder, Path) else None
    elif isinstance(target, str | os.PathLike):
        root = Path(target)
    else:
        root = None
    if root is None or not (root / MANIFEST).is_file():
        raise TemplateError(
            f"{label} must name a package or a folder path holding {MANIFEST}; it gave {target!r}."
        )
    return root
