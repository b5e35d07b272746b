"""The awards' URLs under /awards/: each area adds its own module here."""

from django.urls import include, path

from .nominations import views as nominations

app_name = "awards"
urlpatterns = [
    path("", include(nominations.urlpatterns)),
    path("", include("awards.decisions.urls")),
    path("registry/", include("awards.registry.urls")),
]
