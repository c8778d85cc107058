import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from applications.demo import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.django_db


def test_demo_data_can_be_loaded_twice_and_prints_the_login(capsys, rf):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_USERNAME in out and DEMO_PASSWORD in out
    user = authenticate(rf.post("/admin/login/"), username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert user is not None and user.is_staff


def test_demo_has_applications_in_different_statuses_with_real_history():
    from applications.models import Application, Status

    call_command("seed_demo")
    call_command("seed_demo")
    statuses = dict(Application.objects.values_list("organisation__code", "status"))
    assert statuses == {
        "2422": Status.DRAFT,
        "1281": Status.SUBMITTED,
        "0780": Status.IN_REVIEW,
        "2480": Status.OFFERED,
        "1480": Status.MEMBER,
        "1780": Status.OBSERVER,
    }
    umea = Application.objects.get(organisation__code="2480")
    assert umea.fee_due is not None and umea.score_percent is not None
    assert umea.status_changes.count() == 4  # created, submitted, in review, offered
