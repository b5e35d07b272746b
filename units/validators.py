"""Password rules with messages in our catalogue where Django's Vietnamese one lags behind its English."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 reworded the "too short" message and its Vietnamese catalogue has no translation for it yet."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: it must have at least %(n)s character.",
            "This password is too short: it must have at least %(n)s characters.",
            self.min_length,
        ) % {"n": self.min_length}
