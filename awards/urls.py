from django.urls import include, path

app_name = "awards"
urlpatterns = [
    path("", include("awards.decisions.urls")),
]
