"""Decision minutes in the test: replaced, removed, kept, and served only to who may see them.

What is refused and how it is served: tests/security/test_uploads.py."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import Answer

from .conftest import question

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


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


def test_another_user_cannot_download_the_minutes(logged_in, client, other_user, application):
    upload(logged_in, application, PDF, "protokoll.pdf")
    answer = Answer.objects.get(question=question("G1"))
    other = client.__class__()
    other.force_login(other_user)
    assert other.get(reverse("evaluation:evidence", args=[application.pk, answer.pk])).status_code == 404


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
