import pytest
from django.contrib.auth.models import User

from applications.models import Application, Organisation
from applications.workflow import start_application
from evaluation.models import Question, QuestionBank


@pytest.fixture
def applicant(db) -> User:
    return User.objects.create(username="strateg@kommun.se", email="strateg@kommun.se")


@pytest.fixture
def other_user(db) -> User:
    return User.objects.create(username="annan@kommun.se", email="annan@kommun.se")


@pytest.fixture
def application(applicant) -> Application:
    organisation = Organisation.objects.municipalities().get(code="2482")  # Skellefteå
    return start_application(organisation=organisation, by=applicant, language="sv")


@pytest.fixture
def region_application(applicant) -> Application:
    organisation = Organisation.objects.regions().get(code="24")  # Region Västerbotten
    return start_application(organisation=organisation, by=applicant, language="sv")


@pytest.fixture
def logged_in(client, applicant):
    client.force_login(applicant)
    return client


def question(code: str, kind: str = "municipality") -> Question:
    bank = QuestionBank.objects.active_for(kind)
    return Question.objects.get(section__bank=bank, code=code)
