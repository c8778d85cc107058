"""Keep sign-in tokens out of every log line.

A sign-in link carries its token in the path (/logga-in/<token>/, /en/logga-in/<token>/).
Django logs the path of 4xx and 5xx responses (django.request), of CSRF failures
(django.security.csrf) and of every request under runserver (django.server); gunicorn's access
log does the same (see klimat/gunicorn_logging.py). This module must not import models: the
logging configuration is loaded before the apps.
"""

import logging
import re

_SIGNIN_PATH = re.compile(r"(/logga-in/)(?!skickat/)[^/\s?\"'#]+")
REDACTED = "[redacted]"


def redact_signin_tokens(text: str) -> str:
    """Replace the token of any sign-in link in `text` with a placeholder."""
    return _SIGNIN_PATH.sub(r"\1" + REDACTED, text)


class RedactSignInTokens(logging.Filter):
    """A logging filter that rewrites the record's message without the token (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix; let it through unchanged
            return True
        redacted = redact_signin_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
