"""The lean renderer draws the section form's widgets exactly as Django's widget templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from evaluation.forms import SectionForm
from evaluation.models import QuestionBank
from evaluation.rendering import DRAWN, LeanRenderer


class EveryWidget(forms.Form):
    """Each widget kind the section form uses, with attributes and text that need escaping."""

    radio = forms.ChoiceField(
        choices=[("1", "Ja <b> & “citat”"), ("dk", "Vet ej")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input", "aria-invalid": "true"}),
    )
    number = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal", "aria-describedby": "a b"}))
    link = forms.URLField(assume_scheme="https", required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    body = forms.ChoiceField(choices=[("", "—"), ("kf", "Kommunfullmäktige"), ("group", [("x", "X <y>")])])
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    upload = forms.FileField(widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}))
    clear = forms.BooleanField(required=False)


DATA = [
    None,
    {
        "radio": "1",
        "number": 'x "q" <y> & z',
        "link": "https://a.se/?a=1&b=2",
        "date": "2024-01-02",
        "body": "kf",
        "comment": 'rad 1\n<rad 2> & "x"',
        "clear": "on",
    },
    {"body": "x", "date": "inte ett datum", "comment": ""},
]


def drawn(renderer, data, disabled: bool) -> list[str]:
    form = EveryWidget(data, renderer=renderer)
    for field in form.fields.values():
        field.disabled = disabled
    return [str(bound) for bound in form] + [r.tag() + r.tag(wrap_label=True) for r in form["radio"]]


@pytest.mark.parametrize("disabled", [False, True])
@pytest.mark.parametrize("data", DATA)
def test_every_widget_is_drawn_as_the_templates_draw_it(data, disabled):
    assert drawn(LeanRenderer(), data, disabled) == drawn(DjangoTemplates(), data, disabled)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["municipality", "region"])
def test_every_widget_of_every_section_is_drawn_without_templates(kind):
    bank = QuestionBank.objects.active_for(kind)
    for section in bank.sections.prefetch_related("questions__options"):
        form = SectionForm(section=section, answers={})
        assert isinstance(form.renderer, LeanRenderer)
        for field in form.fields.values():
            widget = field.widget
            name = widget.option_template_name if isinstance(widget, forms.RadioSelect) else widget.template_name
            assert name in DRAWN, (section.slug, name)
