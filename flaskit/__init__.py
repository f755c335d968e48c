"""flaskit: the command-line companion for Flask and any WSGI app."""

__version__ = "0.1.0"
