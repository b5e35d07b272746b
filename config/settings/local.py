"""Settings for `make run` on a developer's or demo machine.

DEBUG stays off (as in base, unless DEBUG=1 is set), so a tester meets the product's own error pages, never
Django's technical ones. Static files are served by whitenoise straight from static/ and the apps' folders (the
finders, read on each request), so a clean clone needs no collectstatic.
"""

from .base import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Mails (notifications, reminders) are written as files, one per message, under .data/mail.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = BASE_DIR / ".data" / "mail"  # noqa: F405
