"""gunicorn's access log without sign-in tokens.

Run gunicorn with `--logger-class klimat.gunicorn_logging.RedactingLogger`. Every atom is
redacted, not only the path: the pages loaded from a sign-in page carry its URL as Referer.
"""

from typing import Any

from gunicorn.glogging import Logger

from klimat.logfilters import redact_signin_tokens


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: redact_signin_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}
