"""`celery -A tests.reliability.gated_worker worker`: the portal's worker, whose letters wait at a gate.

Only tests start it. With RELIABILITY_RENDER_GATE=<dir>, every pool process replaces the offer
letter's render with one that first writes <dir>/rendering-<its pid> and then waits until
<dir>/open exists. A test thereby knows, without timing anything, that a worker is in the
middle of rendering a letter, and which process to kill.
"""

import os
import time
from pathlib import Path
from typing import Any

from celery.signals import worker_process_init

from klimat.celery import app

__all__ = ["app"]


@worker_process_init.connect
def gate_letter_rendering(**kwargs: Any) -> None:
    from applications import letters

    gate = Path(os.environ["RELIABILITY_RENDER_GATE"])
    render = letters.render_offer_letter_pdf

    def gated(application: Any, **options: Any) -> bytes:
        (gate / f"rendering-{os.getpid()}").touch()
        while not (gate / "open").exists():
            time.sleep(0.02)
        return render(application, **options)

    letters.render_offer_letter_pdf = gated
