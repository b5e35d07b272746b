from django.urls import path

from common.jobs import status_view

from . import views
from .models import Document

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:pk>/", views.document_detail, name="document"),
    path("<int:pk>/status/", status_view, {"model": Document}, name="status"),
    path("<int:pk>/download/", views.document_download, name="download"),
]
