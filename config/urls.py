"""URL wiring: each app owns its URLs; authentication and language switching come from Django."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from units.forms import LoginForm

urlpatterns = [
    path("", include("reports.urls")),
    path("units/", include("units.urls")),
    path("households/", include("households.urls")),
    path("imports/", include("imports.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
