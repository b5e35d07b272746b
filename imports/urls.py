from django.urls import path

from common.jobs import status_view

from . import views
from .models import ExportJob, ImportJob

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.upload, name="upload"),
    path("template/", views.template, name="template"),
    path("export/households/", views.export_households, name="export_households"),
    path("export/members.xlsx", views.export_members, name="export_members"),
    path("export/reviews.xlsx", views.export_reviews, name="export_reviews"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/status.json", status_view, {"model": ExportJob}, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/status.json", status_view, {"model": ImportJob}, name="status"),
    path("<int:pk>/errors.xlsx", views.error_workbook, name="errors"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
