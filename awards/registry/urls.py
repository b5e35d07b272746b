"""The award registry's URLs, included by awards/urls.py under "registry/" (names in the "awards" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.registry_list, name="registry"),
    path("export/", views.registry_export, name="registry_export"),
    path("<int:pk>/", views.award_detail, name="registry_award"),
    path("statistics/", views.statistics, name="registry_statistics"),
    path("statistics/xlsx/", views.statistics_xlsx, name="registry_statistics_xlsx"),
    path("0603n/", views.form_0603, name="registry_0603"),
    path("0603n/xlsx/", views.form_0603_xlsx, name="registry_0603_xlsx"),
]
