"""GET /api/fee: the fee as JSON, for the calculator's script and for anyone else.

Answers in the request's language: ?lang=sv|en when given (the page's script sends its page's
language), else the language cookie, else Accept-Language. Bad input is a
400 with {"error": "..."}; nothing in the query string can make it a 500.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, JsonResponse, QueryDict
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from fees import formatting, rules
from fees.services import FeeQuote, fee_for, find_organisation


def read_query(params: QueryDict, *, this_year: int) -> FeeQuote:
    """The quote the query asks for; rules.FeeError says what is wrong with it."""
    year_text, code = params.get("year"), params.get("organisation")
    year = rules.parse_year(year_text, example=this_year) if year_text is not None else this_year
    organisation = find_organisation(code) if code is not None else None
    kind = params.get("kind") or None
    typed = params.get("inhabitants")
    if organisation is None and kind is None:
        raise rules.FeeError("kind_missing")
    # With an organisation, inhabitants are optional: they replace its reference figure.
    inhabitants = (
        rules.parse_inhabitants(typed) if typed is not None and (organisation is None or typed.strip()) else None
    )
    return fee_for(year, organisation=organisation, kind=kind, inhabitants=inhabitants)


def quote_as_json(quote: FeeQuote) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "year": quote.year,
        "kind": quote.kind.value,
        "inhabitants": quote.inhabitants,
        "exact": f"{quote.exact:f}",
        "due": f"{quote.due:f}",
        "currency": "SEK",
        "schedule_year": quote.schedule_year,
        "breakdown": quote.breakdown_text,
        "decision": quote.decision_label,
        "rule_kind": quote.rule_kind.value,
        # The same figures written for the reader, so a page shows what the server would.
        "text": {
            "due": formatting.format_kronor(quote.due, places=0),
            "exact": formatting.format_kronor(quote.exact),
            "inhabitants": formatting.format_inhabitants(quote.inhabitants),
            "population": quote.population_text,
            "body": quote.body_text,
        },
    }
    if quote.organisation is not None:
        answer["organisation"] = {
            "code": quote.organisation.code,
            "name": quote.organisation.name,
            "population": quote.organisation.population,
        }
        answer["population_date"] = quote.population_date.isoformat() if quote.population_date else None
    return answer


@require_GET
def fee(request: HttpRequest) -> JsonResponse:
    languages = {code for code, _name in settings.LANGUAGES}
    try:
        params = request.GET
        asked = params.get("lang", "")
    except SuspiciousOperation:  # e.g. more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS
        params, asked = QueryDict(), ""
        unreadable = True
    else:
        unreadable = False
    # LocaleMiddleware gives every path outside i18n_patterns the default language, so the
    # request's own choice (language cookie, then Accept-Language) is read here.
    language = asked if asked in languages else translation.get_language_from_request(request)
    with translation.override(language):
        try:
            if unreadable:
                raise rules.FeeError("bad_query")
            answer, status = quote_as_json(read_query(params, this_year=timezone.localdate().year)), 200
        except rules.FeeError as error:
            answer, status = {"error": formatting.describe_error(error)}, 400
    response = JsonResponse(answer, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response
