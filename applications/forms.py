"""Forms of the applicant's journey. They validate and clean; saving is drafts.py's or workflow's.

A draft may be saved with fields left empty (required answers are enforced at submission);
what is entered must be right, and a wrong value is refused with a message in the user's
language and changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Contact, ContactRole, DecidingBody, Organisation, OrganisationKind
from applications.orgnumbers import OrgNumberError, clean_org_number, format_org_number
from applications.uploads import validate_pdf_upload

MAX_INHABITANTS = 10_000_000
PHONE = re.compile(r"^\+?[0-9 ()\-]{6,25}$")


class AccessibleFormMixin:
    """Bootstrap classes on every widget, and `is-invalid` on the fields that have errors.

    Django 5.2 already links help text and errors to the input with aria-describedby and sets
    aria-invalid; the templates render the error summary at the top.
    """

    def _style_widgets(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or code of your municipality or region"), max_length=100, required=False)


class StartForm(AccessibleFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        to_field_name="code",
        label=_("Municipality or region"),
        error_messages={
            "required": _("Choose your municipality or region."),
            "invalid_choice": _("Choose your municipality or region from the list."),
        },
    )
    observer = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class OrganisationForm(AccessibleFormMixin, forms.ModelForm):
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        required=False,
        help_text=_("10 digits, as NNNNNN-NNNN. A municipality's starts with 2120, a region's with 2321."),
    )
    inhabitants = forms.IntegerField(
        label=_("Inhabitants"),
        required=False,
        min_value=1,
        max_value=MAX_INHABITANTS,
        error_messages={"invalid": _("Enter the number of inhabitants as a whole number, e.g. 975551.")},
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)

    class Meta:
        model = Application
        fields = [
            "official_name",
            "org_number",
            "street_address",
            "postal_code",
            "city",
            "inhabitants",
            "inhabitants_reason",
        ]
        labels = {
            "official_name": _("Official name"),
            "street_address": _("Street address"),
            "city": _("City"),
            "inhabitants_reason": _("Why another number of inhabitants?"),
        }
        widgets = {"inhabitants_reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation: Organisation = self.instance.organisation
        if not self.is_bound and self.instance.org_number:
            self.initial["org_number"] = format_org_number(self.instance.org_number)
        self.fields["inhabitants"].widget.attrs["inputmode"] = "numeric"
        self.fields["inhabitants"].help_text = _(
            "Prefilled with the population on %(date)s according to SCB (%(population)s). "
            "You may correct it; then tell us why."
        ) % {
            "population": number_format(self.organisation.population, force_grouping=True),
            "date": date_format(self.organisation.population_date, "j F Y"),
        }
        self.fields["inhabitants_reason"].help_text = _(
            "Only needed when the number differs from SCB's figure, e.g. a newer figure from your own statistics."
        )
        self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["street_address"].widget.attrs["autocomplete"] = "street-address"
        self._style_widgets()

    def clean_org_number(self) -> str:
        value = self.cleaned_data["org_number"].strip()
        if not value:
            return ""
        try:
            return clean_org_number(value, self.organisation)
        except OrgNumberError as error:
            raise forms.ValidationError(self._org_number_message(error.code), code=error.code) from error

    def _org_number_message(self, code: str) -> str:
        if code == "checksum":
            return str(_("The organisation number is not valid: check the digits (the last digit is a check digit)."))
        if code == "prefix":
            if self.organisation.is_gotland or self.organisation.kind == OrganisationKind.MUNICIPALITY:
                return str(_("A municipality's organisation number starts with 2120, e.g. 212000-0142."))
            return str(_("A region's organisation number starts with 2321, e.g. 232100-0016."))
        return str(_("An organisation number has 10 digits, e.g. 212000-0142."))

    def clean_postal_code(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["postal_code"])
        if not value:
            return ""
        if not re.fullmatch(r"[1-9][0-9]{4}", value):
            raise forms.ValidationError(_("A postal code has 5 digits, e.g. 105 35."), code="postal_code")
        return f"{value[:3]} {value[3:]}"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        inhabitants = data.get("inhabitants")
        reason = (data.get("inhabitants_reason") or "").strip()
        if inhabitants and inhabitants != self.organisation.population and not reason:
            self.add_error(
                "inhabitants_reason",
                forms.ValidationError(
                    _("You changed the number of inhabitants from SCB's %(population)s: tell us why."),
                    code="reason_required",
                    params={"population": number_format(self.organisation.population, force_grouping=True)},
                ),
            )
        data["inhabitants_reason"] = reason
        return data


class ContactForm(AccessibleFormMixin, forms.ModelForm):
    """One contact person. Left wholly empty it removes the role's contact (cleaned_data None)."""

    class Meta:
        model = Contact
        fields = ["name", "title", "email", "phone"]
        labels = {
            "name": _("Name"),
            "title": _("Title or position"),
            "email": _("Email"),
            "phone": _("Phone"),
        }
        error_messages = {"email": {"invalid": _("Enter an email address like name@kommun.se.")}}

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        kwargs["prefix"] = role
        super().__init__(*args, **kwargs)
        self.role = role
        for field in self.fields.values():
            field.required = False
        autocomplete = {"name": "name", "title": "organization-title", "email": "email", "phone": "tel"}
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["phone"].widget.input_type = "tel"
        self._style_widgets()

    @property
    def legend(self) -> str:
        return str(ContactRole(self.role).label)

    @property
    def optional(self) -> bool:
        return self.role == ContactRole.DELEGATE

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number like 08-508 290 00."), code="phone")
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not any(self.data.get(self.add_prefix(name), "").strip() for name in self.fields):
            return data
        # The statutes' two contact persons are reached by mail and phone; the delegate by mail.
        needed = ["name", "email"] if self.optional else ["name", "title", "email", "phone"]
        for name in needed:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, forms.ValidationError(self._required_message(name), code="required"))
        return data

    def _required_message(self, name: str) -> str:
        messages = {
            "name": _("Enter the name of the %(role)s."),
            "title": _("Enter the title or position of the %(role)s."),
            "email": _("Enter the email address of the %(role)s."),
            "phone": _("Enter the phone number of the %(role)s."),
        }
        return str(messages[name]) % {"role": str(ContactRole(self.role).label).lower()}

    @property
    def is_empty(self) -> bool:
        return self.is_valid() and not any(self.cleaned_data.get(name) for name in self.fields)


class ObserverReasonForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you apply for observer status?"),
        help_text=_(
            "For example: which of the four decisions you are preparing and when you expect the political decisions."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class JoiningDecisionForm(AccessibleFormMixin, forms.Form):
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("As YYYY-MM-DD, e.g. 2026-03-18."),
        error_messages={
            "required": _("Enter the date of the decision."),
            "invalid": _("Enter the date as YYYY-MM-DD, e.g. 2026-03-18."),
        },
    )
    body = forms.ChoiceField(
        label=_("Deciding body"),
        choices=DecidingBody.choices,
        error_messages={"required": _("Choose the body that decided.")},
    )
    minute_reference = forms.CharField(
        label=_("Minute reference"),
        max_length=100,
        help_text=_("The paragraph (§) or case number in the minutes, e.g. § 42 or KS 2026/118."),
        error_messages={"required": _("Enter the minute reference (§ or case number).")},
    )
    minutes = forms.FileField(
        label=_("Minutes (PDF, at most 20 MB)"),
        error_messages={"required": _("Upload the minutes as a PDF file.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A municipality's council decides, not a region's; a committee may be either's.
        municipal = {DecidingBody.MUNICIPAL_COUNCIL, DecidingBody.MUNICIPAL_BOARD, DecidingBody.COMMITTEE}
        regional = {DecidingBody.REGIONAL_COUNCIL, DecidingBody.REGIONAL_BOARD, DecidingBody.COMMITTEE}
        allowed = municipal if kind == OrganisationKind.MUNICIPALITY else regional
        body = self.fields["body"]
        assert isinstance(body, forms.ChoiceField)
        body.choices = [("", _("Choose…")), *(c for c in DecidingBody.choices if c[0] in allowed)]
        self._style_widgets()

    def clean_decided_on(self) -> Any:
        decided_on = self.cleaned_data["decided_on"]
        if decided_on > timezone.localdate():
            raise forms.ValidationError(_("The date of the decision cannot be in the future."), code="future")
        return decided_on

    def clean_minutes(self) -> UploadedFile:
        minutes: UploadedFile = self.cleaned_data["minutes"]
        validate_pdf_upload(minutes)
        return minutes
