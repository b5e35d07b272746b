"""Forms of the unit browser and sign-in."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def day(self):
        if self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return timezone.localdate()


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. After 5 failed attempts the account is locked for 30 minutes."),
        "inactive": _("This account is disabled. Ask your administrator."),
    }
