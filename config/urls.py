"""URL wiring: each app owns its URLs; authentication and language switching come from Django."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from units.forms import LoginForm
from units.views import SetPasswordView

urlpatterns = [
    path("", include("reports.urls")),
    path("units/", include("units.urls")),
    path("households/", include("households.urls")),
    path("imports/", include("imports.urls")),
    path("documents/", include("documents.urls")),
    path("movement/", include("movement.urls")),
    path("awards/", include("awards.urls")),
    path("notifications/", include("deadlines.urls")),
    path("reporting-rates/", include("deadlines.rate_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # An administrator's password-setting link (units.selectors.password_links); no e-mail reset is offered.
    path(
        "accounts/password/<uidb64>/<token>/",
        SetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/password/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
