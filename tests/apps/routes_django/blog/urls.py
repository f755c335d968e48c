"""The blog app's URLconf, namespaced by app_name."""

from django.urls import path

from blog import views

app_name = "blog"

urlpatterns = [
    path("", views.PostList.as_view(), name="index"),
    path("new/", views.post_new, name="new"),
    path("<int:pk>/", views.PostDetail.as_view(), name="detail"),
    path("<slug:slug>/", views.post_by_slug, name="by-slug"),
]
