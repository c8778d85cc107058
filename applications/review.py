"""The test's result as columns of the application, for the secretariat's list.

Copied from the frozen result at submission so the changelist can show, sort and filter by
score and advice without reading every response's JSON (its query count stays fixed).
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application, Track

BAND_LABELS = {
    "offer": gettext_lazy("Recommend an offer"),
    "dialogue": gettext_lazy("Dialogue"),
    "observer": gettext_lazy("Suggest observer status"),
}


def record_review_columns(application: Application) -> None:
    """Set score_percent, advice_band and review_flags from the test's result (not saved here)."""
    if application.track != Track.MEMBERSHIP:
        application.score_percent, application.advice_band, application.review_flags = None, "", []
        return
    from evaluation.services import result_for

    result = result_for(application)
    flags: list[str] = []
    if not result.gate_passed:
        flags.append("gate_failed")
    if result.dont_know:
        flags.append(f"dont_know:{len(result.dont_know)}")
    flags.extend(f"inconsistent:{code}" for code in result.inconsistent)
    percent = result.total.percent
    application.score_percent = Decimal(percent) if percent is not None else None
    application.advice_band = result.band
    application.review_flags = flags


def describe_flag(flag: str) -> str:
    """A stored flag code in the active language."""
    code, _sep, value = flag.partition(":")
    if code == "gate_failed":
        return _("basic requirements not met")
    if code == "dont_know":
        return _("%(count)s “don't know” answers") % {"count": value}
    if code == "inconsistent":
        return _("%(requirement)s decided but no points: review by hand") % {"requirement": value}
    return flag


REVIEW_FIELDS = ("score_percent", "advice_band", "review_flags")
