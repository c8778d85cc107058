"""Decision minutes: PDF by content, at most 20 MB, private storage, served only to who may see them."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import Answer

from .conftest import question

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(client, application, content: bytes, name: str, **extra):
    g1 = question("G1")
    data = {
        f"q{g1.pk}": "yes",
        f"q{g1.pk}_date": "2024-03-11",
        f"q{g1.pk}_body": "kf",
        f"q{g1.pk}_ref": "KF § 42",
        f"q{g1.pk}_file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        "action": "save",
        **extra,
    }
    return client.post(reverse("evaluation:section", args=[application.pk, "baskrav"]), data)


def test_a_pdf_is_stored_privately_under_a_generated_name(logged_in, application, settings):
    response = upload(logged_in, application, PDF, "../../etc/Protokoll KF 2024.pdf")
    assert response.status_code == 302
    answer = Answer.objects.get(question=question("G1"))
    stored = Path(answer.evidence_file.path)
    assert stored.is_file() and stored.read_bytes() == PDF
    assert stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "Protokoll" not in answer.evidence_file.name and ".." not in answer.evidence_file.name
    assert answer.evidence_file.name.startswith("private/answer/")
    assert answer.evidence_filename == "Protokoll KF 2024.pdf"  # only the last part, for the download


def test_the_download_is_an_attachment_that_is_never_sniffed(logged_in, application):
    upload(logged_in, application, PDF, "C:\\Users\\eva\\protokoll.pdf")
    answer = Answer.objects.get(question=question("G1"))
    response = logged_in.get(reverse("evaluation:evidence", args=[application.pk, answer.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and 'filename="protokoll.pdf"' in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_another_user_cannot_download_the_minutes(logged_in, client, other_user, application):
    upload(logged_in, application, PDF, "protokoll.pdf")
    answer = Answer.objects.get(question=question("G1"))
    other = client.__class__()
    other.force_login(other_user)
    assert other.get(reverse("evaluation:evidence", args=[application.pk, answer.pk])).status_code == 404


def test_a_png_renamed_pdf_is_refused_and_nothing_is_saved(logged_in, application):
    response = upload(logged_in, application, PNG, "protokoll.pdf")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and f'href="#id_q{question("G1").pk}_file"' in html
    assert not Answer.objects.exists()


def test_a_file_over_20_mb_is_refused(logged_in, application):
    big = PDF[:-7] + b"0" * (21 * 1024 * 1024) + b"\n%%EOF\n"
    response = upload(logged_in, application, big, "protokoll.pdf")
    assert response.status_code == 200
    assert "20 MB" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_new_file_replaces_the_old_one_and_removing_deletes_it(
    logged_in, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(logged_in, application, PDF, "first.pdf")
    first = Path(Answer.objects.get(question=question("G1")).evidence_file.path)
    with django_capture_on_commit_callbacks(execute=True):
        upload(logged_in, application, PDF + b"\n", "second.pdf")
    answer = Answer.objects.get(question=question("G1"))
    assert answer.evidence_filename == "second.pdf" and not first.exists()
    second = Path(answer.evidence_file.path)
    g1 = question("G1")
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(
            reverse("evaluation:section", args=[application.pk, "baskrav"]),
            {f"q{g1.pk}": "yes", f"q{g1.pk}_clear": "on", "action": "save"},
        )
    assert not Answer.objects.get(question=g1).evidence_file and not second.exists()


def test_saving_without_a_new_file_keeps_the_uploaded_one(logged_in, application):
    upload(logged_in, application, PDF, "protokoll.pdf")
    g1 = question("G1")
    logged_in.post(
        reverse("evaluation:section", args=[application.pk, "baskrav"]),
        {f"q{g1.pk}": "yes", f"q{g1.pk}_ref": "KF § 43"},
        headers={"X-Autosave": "1"},
    )
    answer = Answer.objects.get(question=g1)
    assert answer.decision_reference == "KF § 43" and answer.evidence_filename == "protokoll.pdf"


def test_the_secretariat_may_download_with_the_view_answer_permission(logged_in, application, django_user_model):
    from django.contrib.auth.models import Permission
    from django.test import Client

    upload(logged_in, application, PDF, "protokoll.pdf")
    answer = Answer.objects.get(question=question("G1"))
    evidence_url = reverse("evaluation:evidence", args=[application.pk, answer.pk])
    staff = django_user_model.objects.create(username="kansli", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(evidence_url).status_code == 404  # staff alone is not enough
    staff.user_permissions.add(Permission.objects.get(codename="view_answer"))
    client.force_login(django_user_model.objects.get(pk=staff.pk))
    assert client.get(evidence_url).status_code == 200
