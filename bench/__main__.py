"""`python -m bench [part ...]`: run the measurements of issue 8 and print one table.

Parts: pages, admin, pdf, country, load (all when none is named). `--quick` shortens every
part for a check that the harness works (the figures are then not worth reading).
`python -m bench profile` profiles the measured pages in-process instead (bench/profile.py).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from bench import common
from bench.common import Row

PARTS = ("pages", "admin", "pdf", "country", "load")
QUICK: dict[str, dict[str, Any]] = {
    "pages": {"seconds": 1, "rounds": 1, "warmup": 1},
    "admin": {"applications": 500, "audit_rows": 2500, "repeats": 3},
    "pdf": {"repeats": 3, "growth_renders": 5},
    "country": {"bodies": 20},
    "load": {"submissions": 30, "bodies": 20, "seconds": 10, "probes": 10},
}


def part(name: str) -> Callable[..., list[Row]]:
    module = __import__(f"bench.{name}", fromlist=["run"])
    return module.run  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("parts", nargs="*", choices=[[], *PARTS], default=[], metavar="part", help=", ".join(PARTS))
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the harness, not the figures")
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the bench database first")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["profile"]:
        common.setup()
        from bench import profile

        profile.run()
        return 0
    args = parser.parse_args(argv)
    names = args.parts or list(PARTS)
    started = time.monotonic()
    common.setup(fresh=args.fresh or not args.parts)
    machine = common.machine()  # the load average before the bench adds its own
    print(f"bench: {machine}", flush=True)
    rows: list[Row] = []
    failed = False
    for name in names:
        began = time.monotonic()
        print(f"bench: {name} ...", flush=True)
        try:
            rows += part(name)(**(QUICK[name] if args.quick else {}))
        except Exception as error:
            failed = True
            traceback.print_exc()
            message = " ".join(f"{type(error).__name__}: {error}".split())
            rows.append(Row(f"{name}: FAILED", message[:150], met=False))
        finally:
            common.cleanup()
        print(f"bench: {name} took {time.monotonic() - began:.0f} s", flush=True)
    print()
    seconds = time.monotonic() - started
    print(f"Machine: {machine} (at the start); whole run {seconds:.0f} s")
    print(common.table(rows))
    common.write_latest(rows, f"{machine} (at the start); whole run {seconds:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
