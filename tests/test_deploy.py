"""Production is the default: the settings an operator must give, and nothing unsafe without them."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "x9" * 30 + "-production-like-secret-key-for-the-check"
# Exactly what an operator sets: nothing else from this test run leaks in.
PRODUCTION = {
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "comhla.example.org",
    "DATABASE_URL": "postgres://comhla@127.0.0.1:5432/comhla",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run manage.py with only `env` (and PATH) in the environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "project.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_only_the_four_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_the_server_refuses_to_start() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_key_once_published_in_the_repository_is_refused() -> None:
    published = "comhla-embedded-development-key-not-for-production-use-0123456789"
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": published})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_https_is_on_unless_turned_off() -> None:
    show = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    assert manage("shell", "-v", "0", "-c", show, env=PRODUCTION).stdout.split() == ["True"] * 3
    off = manage("shell", "-v", "0", "-c", show, env={**PRODUCTION, "COMHLA_HTTPS": "0"})
    assert off.stdout.split() == ["False"] * 3


def test_health_checks_answer_over_plain_http_behind_the_proxy() -> None:
    # docker-compose's health check asks daphne directly, without TLS.
    show = "from django.conf import settings as s; print(s.SECURE_REDIRECT_EXEMPT)"
    exempt = manage("shell", "-v", "0", "-c", show, env=PRODUCTION).stdout
    assert "healthz" in exempt and "readyz" in exempt


def test_without_mail_settings_an_emailed_code_is_never_written_to_a_log() -> None:
    send = (
        "from django.core.mail import send_mail; "
        "send_mail('Your sign-in code', 'Your code is QX7T-93KD', 'comhla@example.org', "
        "['jean@example.org'])"
    )
    result = manage("shell", "-v", "0", "-c", send, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "QX7T-93KD" not in output and "jean@example.org" not in output
    assert "not sent" in result.stderr  # the operator is told to set EMAIL_HOST


def test_the_embedded_run_shows_emailed_codes_when_asked() -> None:
    send = "from django.core.mail import send_mail; send_mail('s', 'Your code is QX7T-93KD', 'a@example.org', ['b@example.org'])"
    env = {"SECRET_KEY": SECRET, "COMHLA_HTTPS": "0", "COMHLA_CONSOLE_EMAIL": "1"}
    assert "QX7T-93KD" in manage("shell", "-v", "0", "-c", send, env=env).stdout


def test_the_image_compiles_every_translation_with_gettext_installed(tmp_path: Path) -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    install = re.search(r"apt-get install [^\n]*\bgettext\b", dockerfile)
    compile_step = re.search(
        r"SECRET_KEY=\S+ python manage\.py compilemessages[^\n\\&]*", dockerfile
    )
    assert install and compile_step, "the Dockerfile must install gettext and compile messages"
    assert install.start() < dockerfile.index("COPY . .") < compile_step.start()
    # The image's own step, run on a copy of the code (the .mo files stay out of the worktree).
    copy = tmp_path / "app"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".*", "__pycache__", "*.sqlite3*", "static*", "tests"),
    )
    command = compile_step.group().replace(" python ", f" {sys.executable} ", 1)
    result = subprocess.run(
        ["sh", "-c", command],
        cwd=copy,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "project.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    catalogues = sorted(copy.glob("project/locale/*/LC_MESSAGES/*.po"))
    assert {po.stem for po in catalogues} == {"django", "djangojs"}
    assert all(po.with_suffix(".mo").exists() for po in catalogues)
