"""Installed packages under names that translate (Django takes an app's name from its AppConfig)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in protection")
