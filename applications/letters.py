"""The offer letter: rendered once by WeasyPrint, stored on OfferLetter, mailed and downloaded.

User text (the body's name, address, contact persons) reaches the letter only through Django's
autoescaping template, and WeasyPrint gets a URL fetcher that serves nothing but the letter's
own assets in static/letters/. WeasyPrint's default fetcher follows http:// and file:// and
embeds `<link rel="attachment">` targets into the PDF (STACK.md traps 1 and 2); ours refuses
every URL outside the allow-list and records it, and attachments are dropped before writing.
Rendering runs in a Celery task whose soft and hard time limits (settings) bound its time;
nothing here waits on the network, and every input is a length-limited model field.
"""

import calendar
import datetime
import functools
import logging
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from applications.models import Application, ContactRole, OfferLetter
from fees.formatting import NBSP, format_number

logger = logging.getLogger(__name__)

# The only directory the letter may read from, addressed by a private scheme that no other
# fetcher knows: "klimat-letter:offer.css". Relative URLs do not resolve against an unknown
# scheme (urljoin leaves them relative), so anything relative in the HTML reaches the fetcher
# as a non-URL and is refused.
ASSETS_DIR = Path(settings.BASE_DIR) / "static" / "letters"
ASSET_SCHEME = "klimat-letter"
BASE_URL = f"{ASSET_SCHEME}:"
STYLESHEET = "offer.css"
# One flat directory of plain names: no slash, no "..", no hidden files, one extension.
ASSET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\.(css|svg)")
CONTENT_TYPES = {"css": "text/css", "svg": "image/svg+xml"}

# Guidance in the letter, not a rule of the statutes: the offer stands; we ask for a reply.
REPLY_WITHIN_MONTHS = 6


class LetterNotReady(Exception):
    """The application lacks what the letter states (the frozen fee): make the offer first."""


class RefusedURL(ValueError):
    """Raised for every URL outside the letter's assets; WeasyPrint logs it and carries on."""


class LetterAssetFetcher(URLFetcher):
    """Serves only files of static/letters/ under the klimat-letter: scheme; refuses the rest.

    `served` and `refused` list every URL WeasyPrint asked for, so tests (and logs) can show
    that nothing else was read: no network, no file://, no data:, no path traversal.
    """

    def __init__(self, assets_dir: Path = ASSETS_DIR) -> None:
        # No redirects, and only our scheme, even if fetch() below were bypassed by a caller
        # of the parent class's machinery.
        super().__init__(timeout=5, allowed_protocols=[ASSET_SCHEME], allow_redirects=False)
        self.assets_dir = assets_dir.resolve()
        self.served: list[str] = []
        self.refused: list[str] = []

    def asset_path(self, url: str) -> Path | None:
        """The file a URL names, or None when the URL is not one of the letter's assets."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() != ASSET_SCHEME or parts.netloc or parts.query:
            return None
        name = unquote(parts.path).removeprefix("/")
        if not ASSET_NAME.fullmatch(name):
            return None
        path = (self.assets_dir / name).resolve()
        # resolve() follows symlinks: a link planted in the directory cannot lead out of it.
        if path.parent != self.assets_dir or not path.is_file():
            return None
        return path

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.asset_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Offer letter: refused to fetch %.200s", url)
            raise RefusedURL(f"not one of the letter's assets: {url[:200]}")
        self.served.append(url)
        content_type = CONTENT_TYPES[path.suffix.lstrip(".")]
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": f"{content_type}; charset=utf-8"}
        )


def asset_url(name: str) -> str:
    return f"{ASSET_SCHEME}:{name}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day (31 August + 6 → 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def status_url(application: Application) -> str:
    """Where the applicant reports its joining decision: its status page, once that exists."""
    try:
        path = reverse("applications:status", args=[application.pk])
    except NoReverseMatch:
        path = "/ansokan/"
    return settings.SITE_URL + path


def format_percent(value: Decimal | None) -> str:
    """ "62,1 %" in Swedish, "62.1%" in English; a dash when nothing counted (all "not applicable")."""
    if value is None:
        return "–"
    sign = f"{NBSP}%" if (translation.get_language() or "sv").startswith("sv") else "%"
    return f"{format_number(value, places=1)}{sign}"


def result_summary(application: Application) -> dict[str, Any] | None:
    """The frozen test result, total and per section, or None when there is none to show.

    evaluation.services is another app's and is built beside this module; the letter must
    render without it, and without a frozen result (e.g. an application entered by staff), so
    any failure here omits that part of the letter instead of failing the offer.
    """
    try:
        from evaluation.services import result_for  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        result = result_for(application)
        if not result.frozen:
            return None  # the score the application was submitted with, never a live one
        rows: list[dict[str, Any]] = [
            {
                "label": str(line.label),
                "points": int(line.points),
                "maximum": int(line.maximum),
                "percent": format_percent(line.percent),
            }
            for line in [result.total, *result.sections]
        ]
    except SoftTimeLimitExceeded:
        raise  # the task's time is up: stop rendering, do not carry on without the part
    except Exception:
        logger.warning("Offer letter for application %s: no test result", application.pk, exc_info=True)
        return None
    return {"total": rows[0], "sections": rows[1:]}


def letter_context(application: Application, *, today: datetime.date) -> dict[str, Any]:
    """Everything the template shows; the fee as frozen on the application when offered."""
    if application.fee_due is None or application.fee_exact is None or application.fee_schedule_year is None:
        raise LetterNotReady(f"Application {application.pk} has no frozen fee: make the offer first.")
    contacts = [
        contact for contact in application.contacts.all() if contact.role in {ContactRole.ELECTED, ContactRole.OFFICIAL}
    ]
    contacts.sort(key=lambda contact: contact.role != ContactRole.ELECTED)
    return {
        "application": application,
        "body_name": application.official_name or application.organisation.name,
        "contacts": contacts,
        "letter_date": today,
        "reply_by": add_months(today, REPLY_WITHIN_MONTHS),
        "result": result_summary(application),
        "status_url": status_url(application),
        "SITE_URL": settings.SITE_URL,
        "SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL,
        "logo_url": asset_url("logo.svg"),
    }


@functools.cache
def _font_config() -> FontConfiguration:
    """One per process: making one (fontconfig, pango's font map) was a fifth of each render.

    The letter uses installed fonts only (no @font-face), so nothing a render adds stays in it.
    """
    return FontConfiguration()


@functools.cache
def _stylesheet() -> CSS:
    """The letter's stylesheet, parsed once per process for the one font configuration.

    Parsing it in every render was about 4 % of the render. It is read, once, through a fetcher
    of its own, so a url() in it could still reach nothing but the letter's assets; the fetcher
    given to a render sees the HTML's URLs (the logo, and whatever an applicant's text tried).
    """
    return CSS(url=asset_url(STYLESHEET), url_fetcher=LetterAssetFetcher(), font_config=_font_config())


def html_to_pdf(html: str, *, fetcher: LetterAssetFetcher) -> bytes:
    """Print letter HTML with the letter's stylesheet; every URL of the HTML goes through `fetcher`."""
    # Tagged PDF: the letter goes to public bodies, whose documents fall under the DOS law.
    options: dict[str, Any] = {"attachments": None, "pdf_forms": False, "pdf_tags": True}
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        stylesheets=[_stylesheet()], font_config=_font_config(), **options
    )
    # Belt and braces: even an attachment the fetcher served (one of our own assets) is not
    # embedded, neither from <link rel="attachment"> (document metadata) nor from
    # <a rel="attachment"> (a page's links, which become /FileAttachment annotations).
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    pdf = document.write_pdf(**options)
    assert isinstance(pdf, bytes)
    return pdf


def render_offer_letter_pdf(
    application: Application,
    *,
    today: datetime.date | None = None,
    fetcher: LetterAssetFetcher | None = None,
) -> bytes:
    """The offer letter as PDF bytes, in the application's language. Renders; stores nothing."""
    with translation.override(application.language):
        context = letter_context(application, today=today or timezone.localdate())
        html = render_to_string("letters/offer.html", context)
    return html_to_pdf(html, fetcher=fetcher or LetterAssetFetcher())


def offer_letter_filename(application: Application) -> str:
    """An ASCII-safe download name: "erbjudande-medlemskap-sorsele-kommun.pdf"."""
    prefix = "offer-of-membership" if application.language.startswith("en") else "erbjudande-medlemskap"
    slug = slugify(application.official_name or application.organisation.name)[:80].strip("-")
    return f"{prefix}-{slug or application.pk}.pdf"


def store_offer_letter(application: Application) -> OfferLetter:
    """Render the letter once and keep the bytes; a letter that has its PDF is returned as is.

    The letter row is locked while rendering, so two workers (a retried task, two staff at
    once) render and store one letter between them.
    """
    with transaction.atomic():
        letter, _ = OfferLetter.objects.get_or_create(
            application=application, defaults={"language": application.language}
        )
        letter = OfferLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.pdf:
            return letter
        pdf = render_offer_letter_pdf(application)
        letter.language = application.language
        letter.rendered_at = timezone.now()
        letter.pdf.save(offer_letter_filename(application), ContentFile(pdf), save=False)
        letter.save(update_fields=["language", "rendered_at", "pdf"])
    return letter
