"""Whatever is posted to a section, the answer is a page or JSON, never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .conftest import question

pytestmark = pytest.mark.django_db

text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(text, min_size=12, max_size=12), autosave=st.booleans())
@example(values=["\x00"] * 12, autosave=False)  # PostgreSQL refuses NUL in text
@example(values=["9" * 40] * 12, autosave=True)
def test_any_text_in_any_field_gives_no_server_error(logged_in, application, values, autosave):
    g1, choice, number, link = question("G1"), question("1.1"), question("1.8"), question("1.9")
    names = [
        f"q{g1.pk}",
        f"q{g1.pk}_date",
        f"q{g1.pk}_body",
        f"q{g1.pk}_ref",
        f"q{g1.pk}_comment",
        f"q{choice.pk}",
        f"q{choice.pk}_link",
        f"q{number.pk}",
        f"q{number.pk}_dk",
        f"q{link.pk}",
        "action",
        f"q{choice.pk}_comment",
    ]
    data = dict(zip(names, values, strict=True))
    headers = {"X-Autosave": "1"} if autosave else {}
    for slug in ("baskrav", "mal-atgarder-uppfoljning"):
        response = logged_in.post(reverse("evaluation:section", args=[application.pk, slug]), data, headers=headers)
        assert response.status_code in {200, 302, 400}
