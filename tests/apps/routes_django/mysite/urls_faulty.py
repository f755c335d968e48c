"""Django mistakes --check finds: a pattern shadowed by an earlier one, and one
view under two names that take the same arguments."""

from django.http import HttpResponse
from django.urls import path


def page(request, slug):
    return HttpResponse(slug)


def new_page(request):
    return HttpResponse("new")


def home(request):
    return HttpResponse("home")


urlpatterns = [
    path("", home, name="home"),
    path("index/", home, name="index"),
    path("<slug:slug>/", page, name="page"),
    path("new/", new_page, name="new"),  # never reached: <slug:slug>/ matches "new" first
]
