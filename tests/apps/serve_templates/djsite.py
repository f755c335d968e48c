"""A one-module Django project rendering templates from ``DIRS`` and from an app's folder.

``pages/`` is a ``TEMPLATES`` ``DIRS`` folder with a name of its own; ``blog`` is an
installed app whose templates Django finds through ``APP_DIRS``. Django's default
loaders are cached (also with ``DEBUG = True``), as in every Django project.
"""

import os
from pathlib import Path

from django.conf import settings
from django.shortcuts import render
from django.urls import path

HERE = Path(__file__).resolve().parent

settings.configure(
    DEBUG=True,
    SECRET_KEY="only-for-tests",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    MIDDLEWARE=[],
    INSTALLED_APPS=["blog"],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [HERE / "pages"],
            "APP_DIRS": True,
        }
    ],
)


def home(request):
    return render(request, "home.html", {"pid": os.getpid()})


def post(request):
    return render(request, "blog/post.html", {"pid": os.getpid()})


urlpatterns = [path("", home), path("post", post)]

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
