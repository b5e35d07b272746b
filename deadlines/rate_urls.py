from django.urls import path

from . import rate_views

app_name = "rates"
urlpatterns = [
    path("", rate_views.rate_list, name="list"),
    path("<int:pk>/", rate_views.rate_detail, name="detail"),
    path("<int:pk>/missing/", rate_views.rate_missing, name="missing"),
]
