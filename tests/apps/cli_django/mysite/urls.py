from django.conf import settings
from django.http import HttpResponse
from django.urls import path


def index(request):
    return HttpResponse(f"django settings={settings.SETTINGS_NAME}")


urlpatterns = [path("", index, name="index")]
