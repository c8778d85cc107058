"""Uploaded PDFs (decision minutes): checked by content, size-limited, served only by views."""

import re

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

MAX_PDF_BYTES = 20 * 1024 * 1024
PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
# The EICAR anti-virus test string: a file carrying it is treated as infected and refused.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!"


def validate_pdf_upload(upload: UploadedFile) -> None:
    """Accept only a real PDF of at most 20 MB; the file's name and declared type are ignored."""
    if upload.size is None or upload.size > MAX_PDF_BYTES:
        raise ValidationError(_("The file is larger than 20 MB. Upload a smaller PDF."), code="too_large")
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    upload.seek(0)
    # The header must open the file: readers tolerate it anywhere in the first kilobyte, which
    # lets an HTML page carry "%PDF-" in a comment and pass for a PDF (a polyglot).
    if not PDF_HEADER.match(head) or b"%%EOF" not in tail:
        raise ValidationError(_("The file is not a PDF. Upload the minutes as a PDF file."), code="not_pdf")
    if _contains(upload, EICAR):
        raise ValidationError(_("The file was refused by the virus check."), code="infected")


def _contains(upload: UploadedFile, needle: bytes) -> bool:
    upload.seek(0)
    previous = b""
    for chunk in upload.chunks():
        if needle in previous[-len(needle) :] + chunk:
            upload.seek(0)
            return True
        previous = chunk
    upload.seek(0)
    return False


# The columns that keep the name (JoiningDecision.minutes_name, Answer.evidence_filename): a
# longer name would make PostgreSQL refuse the row, a server error after a valid upload.
MAX_NAME_LENGTH = 200


def safe_download_name(name: str, fallback: str = "protokoll.pdf") -> str:
    """The name offered on download: no path, no control characters, always .pdf, fits its column."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?').strip(" .")
    if not base:
        return fallback
    stem, suffix = (base[:-4], base[-4:]) if base.lower().endswith(".pdf") else (base, ".pdf")
    return f"{stem[: MAX_NAME_LENGTH - len(suffix)]}{suffix}"


def private_pdf_response(fieldfile: FieldFile, filename: str) -> FileResponse:
    """Serve a stored PDF as a download that no browser will render or sniff."""
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=True,
        filename=safe_download_name(filename),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def delete_after_commit(files: list[tuple[Storage, str]]) -> None:
    """Remove stored files once the transaction that dropped their rows commits.

    On a rollback the rows stay and so do their files: a file is never gone while a row points at it.
    """

    def delete() -> None:
        for storage, name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(delete)
