"""Settings for the test suite: real PostgreSQL and Redis, fast password hashing."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests use their own Redis database so that a demo running beside them is not disturbed.
CELERY_BROKER_URL = env("TEST_REDIS_URL", default=CELERY_BROKER_URL.rsplit("/", 1)[0] + "/15")  # noqa: F405
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
