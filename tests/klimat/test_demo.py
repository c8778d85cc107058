import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from applications.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.django_db


def test_demo_data_can_be_loaded_twice_and_prints_the_login(capsys, rf):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_USERNAME in out and DEMO_PASSWORD in out
    user = authenticate(rf.post("/admin/login/"), username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert user is not None and user.is_staff
