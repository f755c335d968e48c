"""A one-module Django project with DEBUG = True: Django would show its own pages.

Secrets are built at run time, so finding one in a response proves a leak.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=True,
    SECRET_KEY="-".join(["django", "s3cr3t", "key"]),
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def boom(request):
    api_key = "-".join(["django", "s3cr3t", "local"])
    raise RuntimeError(f"django-boom {len(api_key)}")


def missing(request):
    raise Http404("no such thing")


def denied(request):
    raise PermissionDenied


def home(request):
    return HttpResponse("<html><body><h1>django home</h1></body></html>")


urlpatterns = [
    path("", home),
    path("boom", boom),
    path("missing", missing),
    path("denied", denied),
]

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
