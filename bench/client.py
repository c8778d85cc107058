"""The load generator for submissions: a separate process, one thread per request, open loop.

Reads a job as JSON on stdin and prints the results as JSON on stdout:
    {"base": "http://127.0.0.1:8123", "timeout": 60,
     "requests": [{"id": "...", "at": 1.5, "method": "POST", "path": "/...", "headers": {...}, "body": "..."}]}
Each request starts `at` seconds after the job starts (all at 0: all at once), on its own
connection (gunicorn's sync workers close every connection anyway), whatever the others are
doing: a slow response never delays the next request (no coordinated omission). Latency is
measured from the request's scheduled start, so time spent waiting for a free thread counts.
Only 127.0.0.1 is accepted.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from typing import Any
from urllib.parse import urlsplit

MAX_REQUESTS = 5000


def send(host: str, port: int, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    result: dict[str, Any] = {"id": spec["id"], "status": 0, "location": "", "error": ""}
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        body = spec.get("body")
        connection.request(
            spec.get("method", "GET"),
            spec["path"],
            body=body.encode() if body else None,
            headers=spec.get("headers", {}),
        )
        response = connection.getresponse()
        response.read()
        result["status"] = response.status
        result["location"] = response.getheader("Location", "")
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    return result


def run(job: dict[str, Any]) -> list[dict[str, Any]]:
    parts = urlsplit(job["base"])
    if parts.hostname != "127.0.0.1" or parts.port is None:
        raise SystemExit("the load generator only talks to 127.0.0.1:<port>")
    requests = job["requests"]
    if len(requests) > MAX_REQUESTS:
        raise SystemExit(f"at most {MAX_REQUESTS} requests per job")
    timeout = float(job.get("timeout", 60))
    results: list[dict[str, Any]] = [{} for _ in requests]
    threading.stack_size(512 * 1024)
    start = time.perf_counter() + 0.2  # every thread is created before the first request is due

    def worker(index: int, spec: dict[str, Any]) -> None:
        due = start + float(spec.get("at", 0))
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        began = time.perf_counter()
        outcome = send(parts.hostname or "127.0.0.1", parts.port or 80, spec, timeout)
        ended = time.perf_counter()
        outcome.update(start=began - start, late=max(began - due, 0.0), latency=ended - due)
        results[index] = outcome

    threads = [threading.Thread(target=worker, args=(i, spec), daemon=True) for i, spec in enumerate(requests)]
    for thread in threads:
        thread.start()
    last_due = max((float(spec.get("at", 0)) for spec in requests), default=0.0)
    deadline = start + last_due + timeout + 5
    for thread in threads:
        thread.join(timeout=max(deadline - time.perf_counter(), 0.1))
    for index, spec in enumerate(requests):
        if not results[index]:
            results[index] = {
                "id": spec["id"],
                "status": 0,
                "error": "no answer before the deadline",
                "latency": timeout,
            }
    return results


def main() -> None:
    job = json.load(sys.stdin)
    json.dump({"results": run(job)}, sys.stdout)


if __name__ == "__main__":
    main()
