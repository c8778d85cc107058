"""`manage.py check --deploy --fail-level WARNING` passes with production settings (issue 7, item 9),
and fails as soon as one of the settings it checks is weakened, so the pass means something."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7#Vq!pL2m@9zR$wK4nB8cT&dF1hJ6sYgU3eA0oI5uXy-Nm2Qw",
    "DJANGO_ALLOWED_HOSTS": "medlem.klimatkommunerna.se",
}


def check_deploy(**overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, **overrides},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_a_protection_is_taken_away():
    # Session cookies over plain HTTP (W012) and no Strict-Transport-Security (W004).
    result = check_deploy(DJANGO_SECURE_COOKIES="0", DJANGO_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W012" in result.stderr and "security.W004" in result.stderr
