"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_is_clean_with_production_settings() -> None:
    # The test run's own switches (browser tests' async-unsafe ORM, fast hashing) are not
    # production settings.
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "COMHLA_TEST_FAST_HASHING"}
    }
    env = {
        **inherited,
        "SECRET_KEY": "x9" * 30 + "-production-like-secret-key-for-the-check",
        "DEBUG": "0",
        "COMHLA_HTTPS": "1",
        "COMHLA_REQUIRE_SECRET_KEY": "1",
        "ALLOWED_HOSTS": "comhla.example.org",
        "EMAIL_HOST": "smtp.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DEBUG": "0", "COMHLA_REQUIRE_SECRET_KEY": "1"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
