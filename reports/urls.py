from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/units/<int:pk>/summary.pdf", views.unit_summary_pdf, name="unit_summary_pdf"),
    path("reports/units/<int:pk>/roster/", views.document_request, name="document_request"),
    path("reports/documents/", views.document_list, name="documents"),
    path("reports/documents/<int:pk>/", views.document_detail, name="document"),
    path("reports/documents/<int:pk>/status/", views.document_status, name="document_status"),
    path("reports/documents/<int:pk>/download/", views.document_download, name="document_download"),
]
