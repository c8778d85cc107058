"""The deployment files agree with the settings: Docker does not run here, so we read them."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (ROOT / "klimat" / "settings.py").read_text()
READ_BY_SETTINGS = set(re.findall(r'(?:env|env_bool|env_int|env_list|os\.environ\.get)\(\s*"([A-Z_]+)"', SETTINGS))


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def portal_services() -> dict:
    return {name: service for name, service in compose()["services"].items() if service.get("build") == "."}


def test_settings_read_the_variables_we_expect():
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SECRET_KEY", "EMAIL_HOST"} <= READ_BY_SETTINGS


def test_env_example_lists_exactly_the_variables_the_settings_read():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert listed == READ_BY_SETTINGS


def test_every_variable_compose_sets_for_the_portal_is_read_by_the_settings():
    services = portal_services()
    assert set(services) == {"migrate", "web", "worker", "beat"}
    for name, service in services.items():
        unknown = set(service["environment"]) - READ_BY_SETTINGS
        assert unknown == set(), f"{name} sets variables no setting reads: {unknown}"
        assert {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_HOST"} <= set(service["environment"])


def test_compose_wires_database_broker_and_mail_to_its_own_services():
    env = portal_services()["web"]["environment"]
    services = compose()["services"]
    assert "@db:5432/" in env["DATABASE_URL"] and "db" in services
    assert env["CELERY_BROKER_URL"].startswith("redis://redis:") and "redis" in services
    assert env["EMAIL_HOST"] == "mailpit" and "8025:8025" in services["mailpit"]["ports"]


def test_the_commands_compose_runs_exist():
    commands = {name: service["command"] for name, service in portal_services().items()}
    assert commands["web"][:2] == ["gunicorn", "klimat.wsgi"]
    assert callable(importlib.import_module("klimat.wsgi").application)
    logger_module, _, logger_class = commands["web"][commands["web"].index("--logger-class") + 1].rpartition(".")
    assert hasattr(importlib.import_module(logger_module), logger_class)
    for name in ("worker", "beat"):
        assert commands[name][:3] == ["celery", "-A", "klimat"]
    assert importlib.import_module("klimat").celery_app.main == "klimat"
    script = commands["migrate"][-1]
    for command in re.findall(r"manage\.py (\w+)", script):
        assert command in get_commands(), command


def test_production_refuses_the_development_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr
