"""A one-module Django project with DEBUG off and its own 404 and 500 pages."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="-".join(["django", "s3cr3t", "key"]),
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def boom(request):
    raise RuntimeError("custom-django-boom")


def home(request):
    return HttpResponse("<html><body><h1>django home</h1></body></html>")


def not_found(request, exception):
    return HttpResponseNotFound("<html><body><h1>our own django 404</h1></body></html>")


def server_error(request):
    return HttpResponseServerError("<html><body><h1>our own django 500</h1></body></html>")


handler404 = not_found
handler500 = server_error
urlpatterns = [path("", home), path("boom", boom)]

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
