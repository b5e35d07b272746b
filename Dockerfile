# One image for web (gunicorn), worker (celery worker) and beat (celery beat); see docs/deployment.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango (and harfbuzz-subset, or it warns); gettext provides msgfmt.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. With only pyproject.toml present,
# `pip install .` installs the pinned dependencies and no code: the code runs from /app (on PYTHONPATH),
# beside its templates, static files and translations, so there is one copy of it, not two.
COPY pyproject.toml ./
RUN pip install . && rm -rf build *.egg-info

COPY . .
RUN for po in locale/*/LC_MESSAGES/django.po locale_thirdparty/*/LC_MESSAGES/django.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done

# collectstatic imports the production settings, which require these; the values exist only for this step.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    SECRET_KEY=collectstatic-build-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgresql://build:build@localhost:5432/build \
    python manage.py collectstatic --noinput

# A non-root user that cannot change the code; its home holds caches (fontconfig for WeasyPrint).
# MEDIA_ROOT is a volume that starts out owned by this user.
RUN groupadd --system --gid 1000 vnn \
    && useradd --system --uid 1000 --gid vnn --create-home --home-dir /home/vnn vnn \
    && mkdir -p /srv/media \
    && chown vnn:vnn /srv/media
USER vnn

ENV DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/srv/media
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--config", "config/gunicorn.py", "--bind", "0.0.0.0:8000"]
