"""The offer letter: its words read back with pypdf, its language, and what it may fetch or embed."""

import datetime
import io
import sys
import time
from decimal import ROUND_FLOOR, Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from pypdf import PdfReader

from applications import letters
from applications.letters import (
    LetterAssetFetcher,
    LetterNotReady,
    add_months,
    offer_letter_filename,
    render_offer_letter_pdf,
    store_offer_letter,
)
from applications.models import Application, Contact, ContactRole, OfferLetter, Organisation, Status

TODAY = datetime.date(2026, 11, 30)
ASSETS = {"klimat-letter:offer.css", "klimat-letter:logo.svg"}


def offered_application(*, language: str = "sv", official_name: str = "Sorsele kommun", **fields) -> Application:
    """Sorsele with its fee frozen as an offer freezes it: 2 535 inhabitants, 2023 decision."""
    frozen = {
        "fee_year": 2024,
        "fee_inhabitants": 2535,
        "fee_population_date": datetime.date(2023, 12, 31),
        "fee_schedule_year": 2023,
        "fee_exact": Decimal("4760.50"),
        "fee_due": Decimal("4761"),
        "fee_breakdown": "4\u00a0000\u00a0kr + 0,30\u00a0kr × 2\u00a0535 invånare = 4\u00a0760,50\u00a0kr",
    }
    # The migrations load Sorsele; a transactional test may run after a flush, so make it if gone.
    organisation, _ = Organisation.objects.get_or_create(
        code="2422",
        defaults={
            "kind": "municipality",
            "short_name": "Sorsele",
            "name": "Sorsele kommun",
            "county_code": "24",
            "county_name": "Västerbottens län",
            "population": 2535,
            "population_date": datetime.date(2016, 12, 31),
        },
    )
    application = Application.objects.create(
        organisation=organisation,
        language=language,
        official_name=official_name,
        street_address="Torggatan 2",
        postal_code="924 81",
        city="Sorsele",
        **{**frozen, **fields},
    )
    Contact.objects.create(
        application=application,
        role=ContactRole.ELECTED,
        name="Anna Andersson",
        title="Kommunstyrelsens ordförande",
        email="anna.andersson@sorsele.se",
    )
    Contact.objects.create(
        application=application, role=ContactRole.OFFICIAL, name="Bo Berg", title="Miljöstrateg", email="bo@sorsele.se"
    )
    return application


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of whitespace (line breaks, no-break spaces) made one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


# --- The letter's content ----------------------------------------------------------------------


@pytest.mark.django_db
def test_swedish_letter_names_the_body_the_fee_with_its_arithmetic_the_decision_and_the_contacts():
    application = offered_application()
    fetcher = LetterAssetFetcher()

    started = time.perf_counter()
    pdf = render_offer_letter_pdf(application, today=TODAY, fetcher=fetcher)
    print(f"offer letter rendered in {time.perf_counter() - started:.3f} s ({len(pdf)} bytes)")

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Erbjudande om medlemskap i Klimatkommunerna" in text
    assert "Sorsele kommun" in text
    assert "Torggatan 2" in text and "924 81 Sorsele" in text
    assert "30 november 2026" in text
    # The fee: the year, the arithmetic, the exact amount and the amount due, and its decision.
    assert "Medlemsavgift 2024" in text
    assert "4 000 kr + 0,30 kr × 2 535 invånare = 4 760,50 kr" in text
    assert "4 760,50 kr" in text
    assert "4 761 kr" in text
    # Amounts never break across lines: digits and unit are joined by no-break spaces.
    raw_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "4\u00a0761\u00a0kr" in raw_text
    assert "årsmötets beslut 2023" in text
    assert "folkmängd 31 december 2023" in text
    # Both contact persons, with their titles and addresses.
    assert "Anna Andersson, Kommunstyrelsens ordförande, anna.andersson@sorsele.se" in text
    assert "Bo Berg, Miljöstrateg, bo@sorsele.se" in text
    # The four basic requirements, what to do next, where to report it, and whom to ask.
    assert "kontinuerligt inventera sina utsläpp av växthusgaser" in text
    assert "kontinuerligt informera nätverket om sitt arbete" in text
    assert "protokollet som PDF" in text
    assert letters.status_url(application) in text
    assert settings.SECRETARIAT_EMAIL in text
    assert "30 maj 2027" in text  # reply-by guidance: six months after the letter's date
    # Tagged, in the letter's language, titled: readable with a screen reader (DOS law).
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert reader.metadata.title == "Erbjudande om medlemskap i Klimatkommunerna: Sorsele kommun"
    # A plain letter reads its logo and asks for nothing else (its stylesheet is read once per
    # process, by a fetcher of the same kind: letters._stylesheet).
    assert set(fetcher.served) == {"klimat-letter:logo.svg"}
    assert fetcher.refused == []


@pytest.mark.django_db
def test_english_application_gets_an_english_letter():
    application = offered_application(language="en")

    pdf = render_offer_letter_pdf(application, today=TODAY)

    text = pdf_text(pdf)

    assert "Offer of membership in Klimatkommunerna" in text
    assert "Erbjudande" not in text
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"
    assert "30 November 2026" in text
    assert "Membership fee 2024" in text
    assert "annual meeting's decision of 2023" in text
    assert "SEK 4,760.50" in text and "SEK 4,761" in text
    assert "2,535" in text
    assert "Anna Andersson" in text and "Bo Berg" in text
    assert "continuously make an inventory of its greenhouse gas emissions" in text


@pytest.mark.django_db
def test_letter_points_to_the_page_where_the_decision_is_reported():
    application = offered_application()
    try:
        expected = settings.SITE_URL + reverse("applications:status", args=[application.pk])
    except NoReverseMatch:
        expected = settings.SITE_URL + "/ansokan/"

    assert expected in pdf_text(render_offer_letter_pdf(application, today=TODAY))


@pytest.mark.django_db
def test_letter_without_a_frozen_fee_is_refused():
    application = offered_application(fee_due=None, fee_exact=None)

    with pytest.raises(LetterNotReady):
        render_offer_letter_pdf(application, today=TODAY)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 11, 30), datetime.date(2027, 5, 30)),
        (datetime.date(2026, 8, 31), datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 6, 15), datetime.date(2026, 12, 15)),
    ],
)
def test_reply_by_date_is_six_months_later_or_the_months_last_day(day, expected):
    assert add_months(day, 6) == expected


# --- The test result summary (evaluation.services.result_for, another app's) ------------------


def score_line(label: str, points: int, maximum: int, percent: str | None) -> SimpleNamespace:
    return SimpleNamespace(
        label=label, points=points, maximum=maximum, percent=None if percent is None else Decimal(percent)
    )


FAKE_RESULT = SimpleNamespace(
    frozen=True,
    total=score_line("Totalt", 41, 66, "62.1"),
    sections=[
        score_line("Mål, åtgärder och uppföljning", 12, 15, "80.0"),
        score_line("Transporter", 3, 12, "25.0"),
        score_line("Energi", 0, 0, None),
    ],
)


@pytest.fixture
def evaluation_services(monkeypatch):
    """Stand in for evaluation.services with a result_for the test chooses."""

    def install(result_for):
        monkeypatch.setitem(sys.modules, "evaluation.services", SimpleNamespace(result_for=result_for))

    return install


@pytest.mark.django_db
def test_letter_summarises_the_test_result_in_total_and_per_section(evaluation_services):
    evaluation_services(lambda application: FAKE_RESULT)

    text = pdf_text(render_offer_letter_pdf(offered_application(), today=TODAY))

    assert "Medlemstestet" in text
    assert "fick Sorsele kommun 62,1 % av poängen (41 av 66)" in text
    assert "Mål, åtgärder och uppföljning 12 / 15 80,0 %" in text
    assert "Transporter 3 / 12 25,0 %" in text
    assert "Energi 0 / 0 –" in text
    assert "Totalt 41 / 66 62,1 %" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "result_for",
    [
        pytest.param(lambda application: SimpleNamespace(**{**vars(FAKE_RESULT), "frozen": False}), id="live"),
        pytest.param(lambda application: 1 / 0, id="raises"),
        pytest.param(lambda application: object(), id="unknown shape"),
    ],
)
def test_letter_leaves_out_a_test_result_it_cannot_trust(evaluation_services, result_for):
    evaluation_services(result_for)

    text = pdf_text(render_offer_letter_pdf(offered_application(), today=TODAY))

    assert "Sorsele kommun" in text and "4 761 kr" in text
    assert "Medlemstestet" not in text


@pytest.mark.django_db
def test_the_tasks_time_limit_is_not_swallowed_by_the_guarded_call(evaluation_services):
    def out_of_time(application):
        raise SoftTimeLimitExceeded()

    evaluation_services(out_of_time)

    with pytest.raises(SoftTimeLimitExceeded):
        render_offer_letter_pdf(offered_application(), today=TODAY)


@pytest.mark.django_db
def test_letter_renders_without_the_evaluation_services_module(monkeypatch):
    monkeypatch.setitem(sys.modules, "evaluation.services", None)  # import raises ImportError

    text = pdf_text(render_offer_letter_pdf(offered_application(), today=TODAY))

    assert "4 761 kr" in text
    assert "Medlemstestet" not in text


@pytest.mark.django_db
def test_letter_shows_the_result_frozen_at_submission_by_the_real_evaluation_app():
    services = pytest.importorskip("evaluation.services")
    from evaluation.models import Response

    application = offered_application()
    services.freeze_result(application)
    response = Response.objects.get(application=application)
    for section in response.result["sections"]:
        if section["slug"] == "transporter":
            section["points"] = 9
            maximum = section["max"]
    response.result["total"]["points"] = 9
    response.save(update_fields=["result"])
    Application.objects.filter(pk=application.pk).update(status=Status.OFFERED)
    application.refresh_from_db()
    total_max = response.result["total"]["max"]
    total_percent = (Decimal(900) / total_max).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)

    text = pdf_text(render_offer_letter_pdf(application, today=TODAY))

    share = (Decimal(900) / maximum).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    assert f"Transporter 9 / {maximum} {share} %".replace(".", ",") in text
    assert f"{total_percent} % av poängen (9 av {total_max})".replace(".", ",") in text


@pytest.mark.django_db
def test_a_table_stays_on_the_page_of_its_heading_and_lead_in():
    """With the test's result table the fee section falls at the foot of the first page: its
    heading and sentence go overleaf with the table rather than stay behind alone."""
    services = pytest.importorskip("evaluation.services")
    application = offered_application()
    services.freeze_result(application)
    Application.objects.filter(pk=application.pk).update(status=Status.OFFERED)
    application.refresh_from_db()

    pages = [
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(render_offer_letter_pdf(application, today=TODAY))).pages
    ]
    for heading, table_text in (("Medlemstestet", "Totalt"), ("Medlemsavgift 2024", "Att betala")):
        page = next(i for i, text in enumerate(pages) if heading in text)
        assert table_text in pages[page], (heading, pages)


# --- Storing once, and the file name ------------------------------------------------------------


@pytest.mark.django_db
def test_store_offer_letter_renders_once_and_keeps_the_bytes():
    application = offered_application()
    real_render = letters.render_offer_letter_pdf

    with mock.patch.object(letters, "render_offer_letter_pdf", side_effect=real_render) as render:
        first = store_offer_letter(application)
        second = store_offer_letter(application)

    assert render.call_count == 1
    assert first.pk == second.pk
    assert OfferLetter.objects.filter(application=application).count() == 1
    letter = OfferLetter.objects.get(application=application)
    assert letter.rendered_at is not None
    assert letter.language == "sv"
    with letter.pdf.open("rb") as handle:
        assert "Sorsele kommun" in pdf_text(handle.read())
    # The stored name is generated (private storage), never the body's name.
    assert "sorsele" not in letter.pdf.name


@pytest.mark.django_db
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL (SQLite serialises every writer and ignores FOR UPDATE)",
)
def test_the_letter_row_is_locked_before_rendering_so_two_workers_render_once():
    """A retried task, or two staff making the offer at once: the second waits for the first's
    row lock, then finds the PDF. Shown by the query order (threads would need a transactional
    test, whose flush disturbs the suite's reference data)."""
    application = offered_application()
    OfferLetter.objects.create(application=application, language="sv")  # as the offer creates it
    rendered_after: list[int] = []

    with CaptureQueriesContext(connection) as queries:

        def stand_in(application):
            rendered_after.append(len(queries.captured_queries))
            return b"%PDF-1.7 stand-in"

        with mock.patch.object(letters, "render_offer_letter_pdf", side_effect=stand_in):
            store_offer_letter(application)

    locks = [
        index
        for index, query in enumerate(queries.captured_queries)
        if "FOR UPDATE" in query["sql"] and "applications_offerletter" in query["sql"]
    ]
    assert locks and rendered_after and locks[0] < rendered_after[0]


@pytest.mark.django_db
def test_store_offer_letter_fills_a_letter_row_that_has_no_pdf_yet():
    application = offered_application(language="en")
    OfferLetter.objects.create(application=application, language="sv")

    letter = store_offer_letter(application)

    assert letter.pdf
    assert letter.language == "en"
    assert OfferLetter.objects.filter(application=application).count() == 1


@pytest.mark.django_db
def test_a_failed_render_stores_nothing():
    application = offered_application(fee_due=None)

    with pytest.raises(LetterNotReady):
        store_offer_letter(application)

    assert not OfferLetter.objects.filter(application=application).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("sv", "Sorsele kommun", "erbjudande-medlemskap-sorsele-kommun.pdf"),
        ("sv", "Region Jämtland Härjedalen", "erbjudande-medlemskap-region-jamtland-harjedalen.pdf"),
        ("sv", "Malmö stad", "erbjudande-medlemskap-malmo-stad.pdf"),
        ("en", "Sorsele kommun", "offer-of-membership-sorsele-kommun.pdf"),
    ],
)
def test_filename_is_an_ascii_slug_of_the_body(language, name, expected):
    application = offered_application(language=language, official_name=name)

    assert offer_letter_filename(application) == expected
