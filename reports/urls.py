from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/units/<int:pk>/summary.pdf", views.unit_summary_pdf, name="unit_summary_pdf"),
    path("reports/units/<int:pk>/roster/", views.document_request, name="document_request"),
]
