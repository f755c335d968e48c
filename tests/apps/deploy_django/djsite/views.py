from django.http import HttpResponse, JsonResponse


def index(request):
    return HttpResponse("<!doctype html><title>djsite</title><h1>django page</h1>")


def scheme(request):
    return JsonResponse(
        {
            "scheme": request.scheme,
            "host": request.get_host(),
            "remote": request.META["REMOTE_ADDR"],
        }
    )
