"""A one-module Django project: settings, one view, the URLconf and the WSGI app."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=True,
    SECRET_KEY="only-for-tests",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request, name):
    return HttpResponse(f"django says hello to {name}")


urlpatterns = [path("hello/<str:name>", hello)]

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
