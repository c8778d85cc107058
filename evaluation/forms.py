"""One form per section of the test, built from the bank's questions.

Every field is optional while the applicant works: required answers are enforced when the
applicant checks the test before submission (services.missing_answers), and those messages are
shown next to the same fields (`flag_missing`). The form only checks that what was typed makes
sense (a date, a number, a link, a real PDF) and turns it into values for services.save_answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from applications.models import DecidingBody
from applications.uploads import validate_pdf_upload
from evaluation import scoring
from evaluation.models import Answer, Decision, Question, Section
from evaluation.rendering import LeanRenderer

DONT_KNOW, NOT_APPLICABLE = "dk", "na"
SUFFIXES = {
    scoring.MISSING_ANSWER: "",
    scoring.MISSING_DATE: "_date",
    scoring.MISSING_BODY: "_body",
    scoring.MISSING_REFERENCE: "_ref",
    scoring.MISSING_MINUTES: "_file",
}
RADIO_TYPES = (scoring.CHOICE, scoring.YES_NO, scoring.DECISION)
# The fields of one question, by the name templates use (row.fields.date) and their suffix.
PARTS = {
    "main": "",
    "date": "_date",
    "body": "_body",
    "ref": "_ref",
    "file": "_file",
    "clear": "_clear",
    "dk": "_dk",
    "na": "_na",
    "link": "_link",
    "comment": "_comment",
}


def field_name(question: Question, part: str = scoring.MISSING_ANSWER) -> str:
    """The form field that holds one part of a question's answer ("q12", "q12_date" ...)."""
    if question.answer_type == scoring.FILE and part == scoring.MISSING_ANSWER:
        part = scoring.MISSING_MINUTES
    return f"q{question.pk}{SUFFIXES[part]}"


def anchor(question: Question, part: str = scoring.MISSING_ANSWER) -> str:
    """The id an error link jumps to: a radio group's first radio, otherwise the field."""
    name = field_name(question, part)
    if part == scoring.MISSING_ANSWER and question.answer_type in RADIO_TYPES:
        return f"id_{name}_0"
    return f"id_{name}"


class NumberField(forms.Field):
    """A number as people type it: "12 345,6" or "12345.6"."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> Decimal | None:
        text = "".join(str(value or "")[:40].split()).replace(",", ".").replace("\u2212", "-")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Enter a number, for example 12 345 or 12,5."), code="invalid") from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise ValidationError(_("Enter a number, for example 12 345 or 12,5."), code="invalid")
        return number.quantize(Decimal("0.01"))


def display_number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",") if (translation.get_language() or "sv").startswith("sv") else text


@dataclass
class QuestionRow:
    """What the template needs to draw one question: row.fields.main, row.errors.date ..."""

    question: Question
    fields: dict[str, forms.BoundField]
    errors: dict[str, list[str]]
    answer: Answer | None
    hint_id: str
    error_id: str

    @property
    def has_errors(self) -> bool:
        return any(self.errors.values())

    @property
    def described_by(self) -> str:
        """For the radio group's fieldset: the hint and the group's error."""
        ids = [self.hint_id] if self.question.guidance else []
        return " ".join([*ids, self.error_id] if self.errors.get("main") else ids)


class SectionForm(forms.Form):
    # One instance for the process: its fallback template engine is built once.
    default_renderer = LeanRenderer()

    def __init__(
        self,
        *args: Any,
        section: Section,
        answers: dict[int, Answer],
        editable: bool = True,
        **kwargs: Any,
    ) -> None:
        self.section, self.answers, self.editable = section, answers, editable
        self.questions = list(section.questions.all())
        self.missing: dict[str, list[str]] = {}
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        for question in self.questions:
            self._add_fields(question)
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        if not editable:
            for bound in self.fields.values():
                bound.disabled = True

    # --- fields ------------------------------------------------------------------------------
    def _add_fields(self, q: Question) -> None:
        name = field_name(q)
        kind = q.answer_type
        if kind in (scoring.CHOICE, scoring.YES_NO):
            choices: list[tuple[str, str]] = [(str(o.pk), o.label) for o in q.options.all()]
            if q.allows_dont_know:
                choices.append((DONT_KNOW, str(_("Don't know"))))
            if q.allows_not_applicable:
                choices.append((NOT_APPLICABLE, str(_("Not applicable"))))
            self.fields[name] = forms.ChoiceField(choices=choices, required=False, widget=forms.RadioSelect)
        elif kind == scoring.DECISION:
            self.fields[name] = forms.ChoiceField(choices=Decision.choices, required=False, widget=forms.RadioSelect)
            self.fields[f"{name}_date"] = forms.DateField(
                label=_("Date of the decision"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[f"{name}_body"] = forms.ChoiceField(
                label=_("Deciding body"), choices=[("", "—"), *DecidingBody.choices], required=False
            )
            self.fields[f"{name}_ref"] = forms.CharField(
                label=_("Minute reference (§ or case number)"), max_length=100, required=False
            )
        elif kind == scoring.NUMBER:
            self.fields[name] = NumberField(
                label=_("Number"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
            )
        elif kind == scoring.TEXT:
            self.fields[name] = forms.CharField(
                label=_("Your answer"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
            )
        elif kind == scoring.LINK:
            self.fields[name] = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
        if kind in (scoring.DECISION, scoring.FILE):
            self.fields[f"{name}_file"] = forms.FileField(
                label=_("Minutes (PDF, at most 20 MB)") if kind == scoring.DECISION else _("File (PDF, at most 20 MB)"),
                required=False,
                widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
            )
            self.fields[f"{name}_clear"] = forms.BooleanField(label=_("Remove the uploaded file"), required=False)
        if kind in (scoring.NUMBER, scoring.TEXT, scoring.LINK):
            if q.allows_dont_know:
                self.fields[f"{name}_dk"] = forms.BooleanField(label=_("Don't know"), required=False)
            if q.allows_not_applicable:
                self.fields[f"{name}_na"] = forms.BooleanField(label=_("Not applicable"), required=False)
        if q.is_scored:
            self.fields[f"{name}_link"] = forms.URLField(
                label=_("Link to evidence (optional)"), required=False, max_length=500, assume_scheme="https"
            )
        if kind not in (scoring.TEXT, scoring.FILE):
            self.fields[f"{name}_comment"] = forms.CharField(
                label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def _initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for q in self.section.questions.all():
            a = self.answers.get(q.pk)
            if a is None:
                continue
            name = field_name(q)
            if q.answer_type in (scoring.CHOICE, scoring.YES_NO):
                initial[name] = (
                    DONT_KNOW if a.dont_know else NOT_APPLICABLE if a.not_applicable else str(a.option_id or "")
                )
            elif q.answer_type == scoring.DECISION:
                initial.update(
                    {
                        name: a.decision,
                        f"{name}_date": a.decision_date,
                        f"{name}_body": a.decision_body,
                        f"{name}_ref": a.decision_reference,
                    }
                )
            elif q.answer_type == scoring.NUMBER:
                initial[name] = display_number(a.value_number)
            elif q.answer_type == scoring.TEXT:
                initial[name] = a.value_text
            elif q.answer_type == scoring.LINK:
                initial[name] = a.evidence_link
            initial.update({f"{name}_dk": a.dont_know, f"{name}_na": a.not_applicable, f"{name}_comment": a.comment})
            if q.is_scored:
                initial[f"{name}_link"] = a.evidence_link
        return initial

    # --- validation ----------------------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        today = timezone.localdate()
        for q in self.questions:
            name = field_name(q)
            upload = data.get(f"{name}_file")
            if isinstance(upload, UploadedFile):
                try:
                    validate_pdf_upload(upload)
                except ValidationError as error:
                    self.add_error(f"{name}_file", error)
            decided_on = data.get(f"{name}_date")
            if data.get(name) == scoring.DECISION_YES and decided_on and decided_on > today:
                self.add_error(f"{name}_date", _("A decision that has been taken cannot have a date in the future."))
        return data

    def flag_missing(self, missing: list[Any]) -> None:
        """Show the submission check's messages (services.MissingAnswer) next to their fields."""
        for item in missing:
            self.missing.setdefault(item.field_name, []).append(item.message)

    def answer_values(self) -> dict[int, dict[str, Any]]:
        """The cleaned answers, per question id, as Answer field values (+ "upload"/"clear")."""
        values = {}
        for q in self.questions:
            name, data = field_name(q), self.cleaned_data
            main = data.get(name)
            v: dict[str, Any] = {
                "comment": data.get(f"{name}_comment", "") or "",
                "dont_know": bool(data.get(f"{name}_dk")) or main == DONT_KNOW,
                "not_applicable": bool(data.get(f"{name}_na")) or main == NOT_APPLICABLE,
                "option_id": None,
                "value_text": "",
                "value_number": None,
                "evidence_link": data.get(f"{name}_link", "") or "",
                "upload": data.get(f"{name}_file") or None,
                "clear": bool(data.get(f"{name}_clear")),
            }
            if q.answer_type in (scoring.CHOICE, scoring.YES_NO):
                valid = {o.pk for o in q.options.all()}
                v["option_id"] = int(main) if main and main.isdigit() and int(main) in valid else None
            elif q.answer_type == scoring.DECISION:
                v.update(
                    decision=main or "",
                    decision_date=data.get(f"{name}_date"),
                    decision_body=data.get(f"{name}_body") or "",
                    decision_reference=(data.get(f"{name}_ref") or "").strip(),
                )
            elif q.answer_type == scoring.NUMBER:
                v["value_number"] = main
            elif q.answer_type == scoring.TEXT:
                v["value_text"] = (main or "").strip()
            elif q.answer_type == scoring.LINK:
                v["evidence_link"] = main or ""
            values[q.pk] = v
        return values

    # --- rendering -----------------------------------------------------------------------------
    def errors_for(self, name: str) -> list[str]:
        errors = [str(e) for e in self.errors.get(name, [])] if self.is_bound else []
        return errors + self.missing.get(name, [])

    @property
    def rows(self) -> list[QuestionRow]:
        rows = []
        for q in self.questions:
            name = field_name(q)
            names = {part: f"{name}{suffix}" for part, suffix in PARTS.items() if f"{name}{suffix}" in self.fields}
            fields = {part: self[n] for part, n in names.items()}
            errors = {part: self.errors_for(n) for part, n in names.items()}
            for part, bound in fields.items():
                ids = [f"{name}-hint"] if part == "main" and q.guidance else []
                if errors[part]:
                    ids.append(f"{names[part]}-error")  # the template gives each error this id
                    bound.field.widget.attrs["aria-invalid"] = "true"
                radio_group = part == "main" and q.answer_type in RADIO_TYPES  # described on its fieldset
                if ids and not radio_group:
                    bound.field.widget.attrs["aria-describedby"] = " ".join(ids)
            rows.append(QuestionRow(q, fields, errors, self.answers.get(q.pk), f"{name}-hint", f"{name}-error"))
        return rows

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for every error on the page, in page order, for the summary box."""
        summary = []
        for q in self.questions:
            name = field_name(q)
            for part, suffix in PARTS.items():
                if f"{name}{suffix}" not in self.fields:
                    continue
                target = anchor(q) if part == "main" else f"id_{name}{suffix}"
                summary += [(target, f"{q.code}: {message}") for message in self.errors_for(f"{name}{suffix}")]
        return summary
