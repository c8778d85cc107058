"""Uploads (issue 7, item 6): only a real PDF under the size limit is kept. Anything else is
refused, stored nowhere and so never served back; what is served is a download that no browser
renders or sniffs. Both upload paths are attacked: a test section's minutes (evaluation) and the
minutes of the decision to join (the status page)."""

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from applications.models import Application, JoiningDecision, OfferLetter, Status
from applications.uploads import (
    MAX_NAME_LENGTH,
    MAX_PDF_BYTES,
    private_pdf_response,
    safe_download_name,
    validate_pdf_upload,
)
from evaluation.models import Answer
from tests.evaluation.conftest import question
from tests.evaluation.test_uploads import upload as evaluation_upload
from tests.factories import make_application, make_user, signed_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# The anti-virus test file, as anti-virus vendors publish it (68 bytes).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CHUNK = 64 * 1024  # UploadedFile.chunks() reads this much at a time

HOSTILE_FILES = {
    "png named .pdf": PNG,
    "html named .pdf": b"<!doctype html><script>alert(document.cookie)</script>\n",
    # A browser sniffing this would render HTML; "%PDF-" and "%%EOF" are only inside comments.
    "html with a pdf header in a comment": b"<html><!-- %PDF-1.7 --><script>alert(1)</script></html>\n<!-- %%EOF -->\n",
    "eicar alone": EICAR,
    "eicar inside a pdf": b"%PDF-1.7\n" + EICAR + b"\n%%EOF\n",
    "eicar across two chunks": b"%PDF-1.7\n" + b"0" * (CHUNK - 9 - 30) + EICAR + b"\n%%EOF\n",
    # Larger than FILE_UPLOAD_MAX_MEMORY_SIZE: Django spools it to a temporary file on disk.
    "eicar deep in a file on disk": b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024) + EICAR + b"\n%%EOF\n",
    "over 20 MB": b"%PDF-1.7\n" + b"0" * MAX_PDF_BYTES + b"\n%%EOF\n",
    "empty": b"",
}


@dataclass
class UploadPath:
    """One way to upload minutes: post a file, then find what was kept and where it downloads."""

    name: str
    client: Client
    application: Application

    @property
    def field(self) -> str:
        return f"q{question('G1').pk}_file" if self.name == "evaluation" else "minutes"

    def post(self, content: bytes, filename: str) -> HttpResponse:
        if self.name == "evaluation":
            return evaluation_upload(self.client, self.application, content, filename)
        upload = SimpleUploadedFile(filename, content, content_type="application/pdf")
        data = {"decided_on": "2026-03-18", "body": "kf", "minute_reference": "§ 42", self.field: upload}
        return self.client.post(reverse("applications:joining_decision", args=[self.application.pk]), data)

    def kept(self) -> tuple[str, str] | None:
        """(storage name, download name) of the file kept, or None."""
        if self.name == "evaluation":
            answer = Answer.objects.filter(question=question("G1")).exclude(evidence_file="").first()
            return (answer.evidence_file.name, answer.evidence_filename) if answer else None
        decision = JoiningDecision.objects.filter(application=self.application).exclude(minutes="").first()
        return (decision.minutes.name, decision.minutes_name) if decision else None

    def download_url(self) -> str:
        if self.name == "evaluation":
            answer = Answer.objects.get(question=question("G1"))
            return reverse("evaluation:evidence", args=[self.application.pk, answer.pk])
        return reverse("applications:joining_minutes", args=[self.application.pk])


@pytest.fixture(params=["evaluation", "joining_decision"])
def path(request) -> UploadPath:
    user = make_user("strateg@skelleftea.se")
    status = Status.DRAFT if request.param == "evaluation" else Status.OFFERED
    application = make_application("2482", user=user, status=status, offered_at=datetime.datetime.now(datetime.UTC))
    return UploadPath(request.param, signed_in(user), application)


def files_in(root: Path) -> list[Path]:
    return [entry for entry in root.rglob("*") if entry.is_file()]


# --- Refused, stored nowhere, never served -------------------------------------------------------


@pytest.mark.parametrize("kind", list(HOSTILE_FILES))
def test_anything_but_a_real_pdf_under_20_mb_is_refused_and_stored_nowhere(path, settings, kind):
    response = path.post(HOSTILE_FILES[kind], "protokoll.pdf")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#id_{path.field}"' in html, "the error summary links to the file field"
    if kind == "over 20 MB":
        assert "20 MB" in html
    assert path.kept() is None
    assert files_in(Path(settings.MEDIA_ROOT)) == []
    path.application.refresh_from_db()
    assert path.application.status in {Status.DRAFT, Status.OFFERED}
    if path.name == "joining_decision":
        assert not JoiningDecision.objects.exists()
        assert path.client.get(reverse("applications:joining_minutes", args=[path.application.pk])).status_code == 404


@pytest.mark.parametrize(
    ("size", "accepted"), [(MAX_PDF_BYTES, True), (MAX_PDF_BYTES + 1, False)], ids=["20 MB", "20 MB + 1 byte"]
)
def test_the_size_limit_is_exactly_20_mb(size, accepted):
    content = b"%PDF-1.7\n" + b"0" * (size - 16) + b"\n%%EOF\n"
    assert len(content) == size
    try:
        validate_pdf_upload(SimpleUploadedFile("p.pdf", content))
    except Exception as error:
        assert not accepted, error
        assert getattr(error, "code", None) == "too_large"
    else:
        assert accepted


# --- Names: never a path, never too long, never a header of their own ----------------------------


def test_a_path_as_the_name_is_stored_under_a_generated_name_inside_private_storage(path, settings):
    media = Path(settings.MEDIA_ROOT).resolve()

    response = path.post(PDF, "../../x.pdf")

    assert response.status_code == 302
    stored, download_name = path.kept()
    stored_path = (media / stored).resolve()
    assert stored_path.is_relative_to(media / "private") and stored_path.read_bytes() == PDF
    assert ".." not in stored and "x.pdf" not in stored
    assert download_name == "x.pdf"
    assert files_in(media) == [stored_path]
    assert not (media.parent / "x.pdf").exists() and not (media.parent.parent / "x.pdf").exists()


def test_a_name_too_long_for_its_column_is_cut_and_kept_as_a_pdf(path):
    # Django keeps at most 255 characters of an uploaded file's name; the column holds 200.
    response = path.post(PDF, "protokoll-" + "x" * 300 + ".pdf")

    assert response.status_code == 302
    _stored, download_name = path.kept()
    assert len(download_name) <= MAX_NAME_LENGTH and download_name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../x.pdf", "x.pdf"),
        ("C:\\Users\\eva\\protokoll.pdf", "protokoll.pdf"),
        ('evil".pdf', "evil.pdf"),
        ("a\r\nContent-Type: text/html\r\n\r\n<script>.pdf", "htmlscript.pdf"),
        ("\u202efdp.exe", "fdp.exe.pdf"),
        ("protokoll\x00.pdf", "protokoll.pdf"),
        ("report.html", "report.html.pdf"),
        ("...", "protokoll.pdf"),
        ("x" * 300, "x" * (MAX_NAME_LENGTH - 4) + ".pdf"),
        ("x" * 300 + ".PDF", "x" * (MAX_NAME_LENGTH - 4) + ".PDF"),
    ],
)
def test_the_download_name_is_a_plain_pdf_name(name, expected):
    assert safe_download_name(name) == expected


# --- Served as a download that is never rendered or sniffed --------------------------------------


def assert_served_as_attachment(response: HttpResponse, content: bytes) -> None:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_uploaded_minutes_download_as_an_attachment_that_is_never_sniffed(path):
    path.post(PDF, 'Protokoll "KF"\u202e 2024.pdf')

    response = path.client.get(path.download_url())

    assert_served_as_attachment(response, PDF)
    assert 'filename="Protokoll KF 2024.pdf"' in response["Content-Disposition"]


def test_the_offer_letter_downloads_as_an_attachment_that_is_never_sniffed():
    user = make_user("strateg@skelleftea.se")
    application = make_application("2482", user=user, status=Status.OFFERED)
    letter = OfferLetter.objects.create(application=application, language="sv")
    letter.pdf.save("x.pdf", ContentFile(PDF))

    response = signed_in(user).get(reverse("applications:offer_letter", args=[application.pk]))

    assert_served_as_attachment(response, PDF)
    # The views' own headers, not only SecurityMiddleware's nosniff for every response.
    assert private_pdf_response(letter.pdf, "x.pdf")["X-Content-Type-Options"] == "nosniff"
