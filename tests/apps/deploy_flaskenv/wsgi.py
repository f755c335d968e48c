"""Production entry point: what the server should run."""

from devapp import create_app

application = create_app(production=True)
