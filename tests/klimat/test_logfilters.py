"""Sign-in tokens never reach a log line, whichever logger prints the request's path."""

import logging
from types import SimpleNamespace

from django.urls import reverse

from klimat.gunicorn_logging import RedactingLogger
from klimat.logfilters import RedactSignInTokens, redact_signin_tokens

TOKEN = "Xq3_secret-token-value-1234567890abcdefghijk"


def test_redacts_the_token_in_swedish_and_english_paths():
    path = reverse("applications:signin_confirm", kwargs={"token": TOKEN})
    for text in (f"Forbidden: {path}", f"POST /en{path} HTTP/1.1", f"https://x.se{path}?a=1"):
        redacted = redact_signin_tokens(text)
        assert TOKEN not in redacted and "[redacted]" in redacted


def test_leaves_other_paths_alone():
    for path in (reverse("applications:signin"), reverse("applications:signin_sent"), "/ansokan/12/"):
        assert redact_signin_tokens(f"GET {path} HTTP/1.1") == f"GET {path} HTTP/1.1"


def test_filter_rewrites_the_record_and_keeps_it():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Gone: %s", (f"/logga-in/{TOKEN}/",), None
    )
    assert RedactSignInTokens().filter(record)
    assert TOKEN not in record.getMessage()


def test_settings_put_the_filter_on_the_loggers_that_print_paths():
    for name in ("django.request", "django.security.csrf"):
        assert any(isinstance(f, RedactSignInTokens) for f in logging.getLogger(name).filters), name


def test_gunicorn_access_log_atoms_are_redacted():
    from gunicorn.config import Config

    logger = RedactingLogger(Config())
    path = f"/logga-in/{TOKEN}/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "HTTP_REFERER": f"https://x.se{path}",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    request = SimpleNamespace(headers=[("REFERER", f"https://x.se{path}")])
    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=5))
    assert not any(TOKEN in str(value) for value in atoms.values())
