"""Project-level views: functions, method-restricted functions and class-based views."""

from django.http import HttpResponse
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST


def home(request):
    return HttpResponse("home")


class AboutView(View):
    def get(self, request):
        return HttpResponse("about")


def archive(request, year, month=None):
    return HttpResponse(f"{year}-{month}")


def files(request, name):
    return HttpResponse(name)


@require_http_methods(["GET", "POST"])
def contact(request):
    return HttpResponse("contact")


@require_POST
def ping(request):
    return HttpResponse("pong")


def token(request, token):
    return HttpResponse(str(token))


def api_items(request):
    return HttpResponse("items")


class ApiItem(View):
    def get(self, request, item_id):
        return HttpResponse(str(item_id))

    def delete(self, request, item_id):
        return HttpResponse(status=204)
