"""The settings manage.py picks (wsgi.py would pick base for production)."""

from .base import *  # noqa: F403

DEBUG = True
SETTINGS_NAME = "dev"
