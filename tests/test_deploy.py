"""Ready to deploy: production settings pass `check --deploy`, migrations and translations are complete, the
compose file validates and the static files collect under production settings (as the Docker build does)."""

import io
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PO_VI = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES = "python manage.py makemessages -l vi --ignore=static --ignore=.venv --ignore=.data"


def run(args, *, cwd=ROOT, env=None):
    """Run a command; return (exit code, stdout and stderr together)."""
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def production_env(**values):
    """A clean environment for production settings: nothing from a developer's shell but PATH and the services."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "DATABASE_URL", "REDIS_URL") if key in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", PYTHONDONTWRITEBYTECODE="1", **values)
    return env


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory):
    """A copy of the files git would commit (tracked and new, not ignored), for commands that write into the tree."""
    code, out = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"])
    assert code == 0, f"`git ls-files` failed (is this a git checkout?):\n{out}"
    copy = tmp_path_factory.mktemp("source")
    for name in filter(None, out.split("\0")):
        source = ROOT / name
        if source.is_file():  # skip files deleted in the working tree
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def test_check_deploy_is_clean_under_production_settings():
    env = production_env(SECRET_KEY=secrets.token_urlsafe(45), ALLOWED_HOSTS="example.gov.vn")
    assert len(env["SECRET_KEY"]) == 60
    code, out = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env)
    assert code == 0 and "WARNINGS" not in out, (
        f"`manage.py check --deploy` reports issues under config.settings.production; fix the settings there "
        f"(do not silence the check):\n{out}"
    )


@pytest.mark.django_db
def test_migrations_are_committed():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(
            f"Models have changes without a migration (exit {exit_.code}): run `python manage.py makemigrations` "
            f"and commit the result.\n{out.getvalue()}"
        )


@pytest.fixture
def compose(tmp_path):
    """Run docker-compose on the project's compose file, hermetically: an empty --env-file instead of a local .env."""
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail(
            "docker-compose is not installed; install Debian's: "
            "`apt-get install -y --no-install-recommends docker-compose` (scripts/system-deps.sh test does)."
        )
    env_file = tmp_path / "empty.env"
    env_file.write_text("")

    def compose(*args, **variables):
        env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "ALLOWED_HOSTS")}
        env.update(variables)
        return run([binary, "--env-file", str(env_file), "-f", "docker-compose.yml", *args], env=env)

    return compose


def test_compose_file_is_valid(compose):
    code, out = compose(
        "config", "-q", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.gov.vn", POSTGRES_PASSWORD="compose-test"
    )
    assert code == 0, f"docker-compose.yml does not validate with docker-compose 1.29 (`config -q`):\n{out}"


def test_compose_refuses_to_start_without_a_secret_key(compose):
    code, out = compose("config", "-q", ALLOWED_HOSTS="example.gov.vn", POSTGRES_PASSWORD="compose-test")
    assert code != 0 and "SECRET_KEY" in out, (
        f"docker-compose.yml must require SECRET_KEY (`${{SECRET_KEY:?...}}`), never fall back to a known key:\n{out}"
    )


def entry_key(entry):
    return (entry.msgctxt or "", entry.msgid)


def describe(entries):
    return "\n".join(f"  {e.msgid!r}" + (f" (context {e.msgctxt!r})" if e.msgctxt else "") for e in entries)


def is_untranslated(entry):
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def test_vietnamese_catalogue_is_fully_translated():
    po = polib.pofile(str(PO_VI))
    live = [entry for entry in po if not entry.obsolete]  # polib keeps the header out of the entries
    untranslated = [entry for entry in live if is_untranslated(entry)]
    fuzzy = [entry for entry in live if "fuzzy" in entry.flags]
    assert not untranslated, f"{PO_VI.relative_to(ROOT)} has entries without a translation:\n{describe(untranslated)}"
    assert not fuzzy, f"{PO_VI.relative_to(ROOT)} has fuzzy entries; check and unmark them:\n{describe(fuzzy)}"


@pytest.mark.parametrize(
    "po", sorted(ROOT.glob("locale*/*/LC_MESSAGES/django.po")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_catalogue_compiles_without_a_warning(po, tmp_path):
    # make compiles them with exactly this command; a newcomer should see no warning scroll past.
    code, out = run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)])
    assert code == 0 and not out.strip(), out


def test_vietnamese_catalogue_matches_the_source(source_copy):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONDONTWRITEBYTECODE": "1"}
    code, out = run([sys.executable, "manage.py", *MAKEMESSAGES.split()[2:]], cwd=source_copy, env=env)
    assert code == 0, f"makemessages failed:\n{out}"

    def live(path):
        return {entry_key(entry): entry for entry in polib.pofile(str(path)) if not entry.obsolete}

    committed, regenerated = live(PO_VI), live(source_copy / PO_VI.relative_to(ROOT))
    missing = [regenerated[key] for key in sorted(regenerated.keys() - committed.keys())]
    stale = [committed[key] for key in sorted(committed.keys() - regenerated.keys())]
    assert not missing and not stale, (
        f"{PO_VI.relative_to(ROOT)} is out of date: run `{MAKEMESSAGES}`, translate the new entries, "
        f"and commit it.\nIn the source but not in the catalogue:\n{describe(missing) or '  -'}\n"
        f"In the catalogue but no longer in the source:\n{describe(stale) or '  -'}"
    )


def test_static_files_collect_under_production_settings(source_copy):
    # The Docker build runs exactly this; the manifest storage fails on any reference to a missing file.
    env = production_env(
        SECRET_KEY="collectstatic-build-only-not-a-secret",
        ALLOWED_HOSTS="localhost",
        DATABASE_URL="postgresql://build:build@localhost:5432/build",
    )
    code, out = run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=source_copy, env=env)
    tail = "\n".join(out.strip().splitlines()[-12:])
    assert code == 0, (
        "`collectstatic` fails under production settings (CompressedManifestStaticFilesStorage), so the Docker "
        "build would fail. A vendored file referencing an absent source map: delete its `sourceMappingURL` "
        f"comment line.\n{tail}"
    )
    assert (source_copy / ".data" / "staticfiles" / "staticfiles.json").is_file()
