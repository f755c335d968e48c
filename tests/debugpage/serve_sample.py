"""Serve the sample app wrapped by the debug page on 127.0.0.1:PORT (for the browser test).

python -m tests.debugpage.serve_sample PORT
"""

from __future__ import annotations

import sys
from pathlib import Path

from werkzeug.serving import make_server

from flaskit.debugpage import DebugPageConfig, wrap
from tests.debugpage import sample_app

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Bind, say so on stdout, serve until terminated."""
    port = int(sys.argv[1])
    app = sample_app.create_app(template_folder=str(HERE / "templates"))
    config = DebugPageConfig(
        app_spec="tests.debugpage.sample_app:create_app()", root=HERE, editor="vscode"
    )
    server = make_server("127.0.0.1", port, wrap(app, config), threaded=True)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
