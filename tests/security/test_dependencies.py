"""No known vulnerability in the locked dependencies (issue 7, item 9): pip-audit checks every pin
of requirements.lock against the advisories PyPI publishes with each release (its JSON API,
fed by the PyPA advisory database).

It needs pypi.org: when it cannot be reached the test is skipped, unless KLIMAT_REQUIRE_SERVICES=1
(CI), where it fails. A PyPI that answers but publishes no per-release data (a mirror) audits
nothing: pip-audit would then report "no known vulnerabilities" for packages it never checked, so
that case is told apart and skipped with its reason instead of passing.
"""

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def pinned(name: str) -> str:
    for line in LOCK.read_text().splitlines():
        if line.lower().startswith(f"{name.lower()}=="):
            return line.split("==", 1)[1]
    raise LookupError(name)


def advisories_unavailable() -> str | None:
    """Why PyPI's per-release data cannot be read, or None when it can (the URL pip-audit reads)."""
    url = f"https://pypi.org/pypi/django/{pinned('django')}/json"
    try:
        with urllib.request.urlopen(url, timeout=10):
            return None
    except urllib.error.HTTPError as error:
        return f"PyPI answers {error.code} for a release's JSON ({url}): no advisories to audit against"
    except OSError as error:
        return f"pypi.org is not reachable ({error})"


@pytest.mark.services
def test_pip_audit_finds_no_known_vulnerability_in_the_lock():
    reason = advisories_unavailable()
    if reason and reason.startswith("pypi.org is not reachable"):
        service_missing(reason)
    elif reason:
        pytest.skip(reason)
    assert PIP_AUDIT.exists(), "pip-audit is in the dev extras: make install"
    result = subprocess.run(
        [
            str(PIP_AUDIT),
            *("-r", str(LOCK), "--no-deps", "--disable-pip", "--progress-spinner", "off", "--format", "json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    report = json.loads(result.stdout)
    dependencies = report["dependencies"]
    vulnerable = {d["name"]: [v["id"] for v in d["vulns"]] for d in dependencies if d.get("vulns")}
    assert vulnerable == {}, f"upgrade these pins: {vulnerable}"
    # Every pin was looked up: none skipped, as --strict would insist.
    assert [d["name"] for d in dependencies if "skip_reason" in d] == []
    assert len(dependencies) == sum(1 for line in LOCK.read_text().splitlines() if "==" in line)
    assert result.returncode == 0, result.stderr
