"""Blog views: class-based with several methods, and plain functions."""

from django.http import HttpResponse
from django.views import View


class PostList(View):
    def get(self, request):
        return HttpResponse("posts")

    def post(self, request):
        return HttpResponse("created", status=201)


def post_new(request):
    return HttpResponse("new post form")


class PostDetail(View):
    http_method_names = ("get", "put", "delete", "head", "options")

    def get(self, request, pk):
        return HttpResponse(f"post {pk}")

    def put(self, request, pk):
        return HttpResponse(f"updated {pk}")

    def post(self, request, pk):  # not in http_method_names: never dispatched
        return HttpResponse("unreachable")


def post_by_slug(request, slug):
    return HttpResponse(slug)
