"""The awards' URLs under /awards/: each area includes its own module."""

from django.urls import include, path

app_name = "awards"

urlpatterns = [
    path("", include("awards.decisions.urls")),
    path("registry/", include("awards.registry.urls")),
]
