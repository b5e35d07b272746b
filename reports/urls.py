from django.urls import path

from . import views
from .summaries import views as summary_views
from .unit_reports import views as unit_report_views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/units/<int:pk>/summary.pdf", views.unit_summary_pdf, name="unit_summary_pdf"),
    path("reports/units/<int:pk>/roster/", views.document_request, name="document_request"),
    path("reports/forms/", views.forms, name="forms"),
    path("reports/forms/<slug:code>/<int:pk>/<int:year>.xlsx", views.form_xlsx, name="form_xlsx"),
    path("reports/forms/<slug:code>/<int:pk>/<int:year>.pdf", views.form_pdf, name="form_pdf"),
    path("reports/forms/<slug:code>/<int:pk>/<int:year>/document/", views.form_document, name="form_document"),
    path("reports/villages/<int:pk>/<int:year>/posting-list.pdf", views.posting_list_pdf, name="posting_list"),
    *unit_report_views.urlpatterns,
    *summary_views.urlpatterns,
]
