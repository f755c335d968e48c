"""A Flask app with one route per way of failing, for the debug page tests.

Secret values are built at run time, so a test that finds one in the page
proves the page leaked it (not merely that the source was shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, abort, jsonify, render_template, request, stream_with_context


def secret(name: str) -> str:
    """A recognisable secret value that never appears literally in this file."""
    return "-".join([name, "s3cr3t", str(len(name) * 7919)])


LOCAL_SECRET = secret("local")
NESTED_SECRET = secret("nested")
CONFIG_SECRET = secret("config")
DB_SECRET = secret("database")
FIELD_SECRET = secret("field")
QUOTED_SECRET = secret('quo"ted')  # markupsafe escapes its quote as &#34;
APOSTROPHE_SECRET = secret("it's")  # inside a longer string's repr: it\'s


@dataclass
class Settings:
    """A dataclass whose field name looks secret."""

    host: str
    api_key: str


class BrokenRepr:
    """An object whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


def create_app(template_folder: str | None = None) -> Flask:
    """The sample app."""
    app = Flask(__name__, template_folder=template_folder)
    app.config["SECRET_KEY"] = CONFIG_SECRET
    app.config["DATABASE_PASSWORD"] = DB_SECRET
    app.config["GREETING"] = "hello from config"

    @app.route("/")
    def index() -> str:
        return "home"

    @app.route("/items/")
    def items() -> str:
        return "items"

    @app.route("/items/<int:item_id>")
    def item(item_id: int) -> str:
        if item_id == 0:
            abort(404)
        return f"item {item_id}"

    @app.route("/users/<name>", methods=["GET", "POST"])
    def user(name: str) -> str:
        return name

    @app.route("/fail")
    def fail() -> str:
        api_token = LOCAL_SECRET
        settings = {"debug": True, "password": NESTED_SECRET, "nested": {"user": "ada"}}
        config = Settings(host="db.local", api_key=NESTED_SECRET)
        visible_number = 41 + 1
        marker = "visible-local-value"
        return helper(visible_number, api_token, settings, config, marker)

    @app.route("/chained")
    def chained() -> str:
        try:
            {}["missing-key"]
        except KeyError as exc:
            raise RuntimeError("lookup failed") from exc
        return ""

    @app.route("/context")
    def context() -> str:
        try:
            int("not a number")
        except ValueError:
            return str(1 / 0)
        return ""

    @app.route("/message")
    def message() -> str:
        raise ValueError(request.args.get("text", ""))

    @app.route("/markup")
    def markup() -> str:
        note = request.args.get("text", "")  # noqa: F841 - a local for the page to show
        raise LookupError("see local")

    @app.route("/leaky")
    def leaky() -> str:
        session_token = LOCAL_SECRET
        raise PermissionError(f"token {session_token} was refused")

    @app.route("/quoted")
    def quoted() -> str:
        api_token = QUOTED_SECRET
        raise PermissionError(f"token {api_token} was refused")

    @app.route("/apostrophe")
    def apostrophe() -> str:
        password = APOSTROPHE_SECRET
        said = f'they said "{password}"'
        raise ValueError(repr(said))

    @app.route("/broken-repr")
    def broken_repr() -> str:
        # Locals for the page to show.
        thing = BrokenRepr()  # noqa: F841
        huge_text = "x" * 5_000_000  # noqa: F841
        huge_list = list(range(1_000_000))  # noqa: F841
        nested: list[object] = []
        for _ in range(50_000):
            nested = [nested]
        raise TypeError("values above")

    @app.route("/form", methods=["POST"])
    def form() -> str:
        _ = request.form["username"]
        raise ValueError("form failed")

    @app.route("/form-unread", methods=["POST"])
    def form_unread() -> str:
        raise ValueError("failed before reading the form")

    @app.route("/template")
    def template() -> str:
        return render_template("page.html", title="Hi", items=[1, 2])

    @app.route("/template-syntax")
    def template_syntax() -> str:
        return render_template("broken.html", title="Hi")

    @app.route("/stream-early")
    def stream_early() -> Response:
        def generate() -> object:
            raise ValueError("failed before the first chunk")
            yield "never"

        return Response(stream_with_context(generate()))

    @app.route("/stream-late")
    def stream_late() -> Response:
        def generate() -> object:
            yield "first chunk\n"
            raise ValueError("failed after the first chunk")

        return Response(stream_with_context(generate()))

    @app.route("/forbidden")
    def forbidden() -> str:
        abort(403)

    @app.route("/deep/<int:depth>")
    def deep(depth: int) -> str:
        return descend(depth, [])

    @app.route("/json-missing")
    def json_missing() -> Response:
        response = jsonify(error="not here")
        response.status_code = 404
        return response

    return app


def descend(depth: int, path: list[int]) -> str:
    """One frame per level of ``depth``, each with locals of its own, then an error."""
    path = [*path, depth]
    if depth == 0:
        raise LookupError(f"nothing at the bottom of {len(path)} calls")
    return descend(depth - 1, path)


def helper(
    number: int, token: str, settings: dict[str, object], config: Settings, marker: str
) -> str:
    """Two levels down, so the page has more than one user frame."""
    total = number * 2
    return str(total / (number - 42))
