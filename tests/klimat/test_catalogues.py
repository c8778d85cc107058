"""Both catalogues are complete: every message has a Swedish and an English translation."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def entries(po: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry but the header."""
    result = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, strs, current = [], [], None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
                msgid.append(line[6:].strip('"'))
            elif line.startswith("msgid_plural"):
                current = None
            elif line.startswith("msgstr"):
                strs.append(line.split(" ", 1)[1].strip('"'))
                current = strs
            elif line.startswith('"') and current is not None:
                current[-1] += line.strip('"')
        if msgid and "".join(msgid):
            result.append(("".join(msgid), strs, fuzzy))
    return result


def test_there_is_a_catalogue_per_language():
    languages = {p.parts[-3] for p in CATALOGUES}
    assert languages == {"sv", "en"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(po):
    untranslated = [msgid for msgid, strs, fuzzy in entries(po) if fuzzy or not all(strs)]
    assert untranslated == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_compiled(po):
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_size > 0


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_message_in_two_catalogues_is_translated_alike(language):
    # Django looks in LOCALE_PATHS before the apps' catalogues, so where the project's catalogue
    # and an app's hold the same msgid, the app's translation is never shown: keep them equal.
    project = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    shown = {msgid: strs for msgid, strs, _ in entries(project)}
    hidden = [
        (str(po.relative_to(ROOT)), msgid, strs, shown[msgid])
        for po in CATALOGUES
        if po.parts[-3] == language and po != project
        for msgid, strs, _ in entries(po)
        if msgid in shown and strs != shown[msgid]
    ]
    assert hidden == []
