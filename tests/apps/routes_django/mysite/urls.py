"""The root URLconf: includes with and without namespaces, path() and re_path()."""

from django.urls import include, path, re_path
from django.views.generic import RedirectView

from mysite import views

api_patterns = [
    path("items/", views.api_items, name="items"),
    path("items/<int:item_id>/", views.ApiItem.as_view(), name="item"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("blog/", include("blog.urls")),
    path("api/v1/", include((api_patterns, "api"), namespace="v1")),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", views.archive, name="archive"),
    path("archive/<int:year>/<int:month>/", views.archive, name="archive-month"),
    path("files/<path:name>", views.files),
    path("contact/", views.contact, name="contact"),
    path("ping/", views.ping, name="ping"),
    path("t/<uuid:token>/", views.token, name="token"),
    path("go-home/", RedirectView.as_view(url="/"), name="go-home"),
]
