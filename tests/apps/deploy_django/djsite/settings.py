"""Production-style settings: DEBUG off, hosts and static files as real projects set them."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJSITE_SECRET_KEY", "k3x9-q0v7-deploy-test-only-2f8a1c")
DEBUG = False
# Real projects read their hosts from the environment; the tests pick them.
ALLOWED_HOSTS = os.environ.get("DJSITE_ALLOWED_HOSTS", "example.test,.example.test").split(",")
ROOT_URLCONF = "djsite.urls"
INSTALLED_APPS = ["django.contrib.staticfiles", "djsite"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
