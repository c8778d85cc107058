"""Forms of the public pages. They validate; they store and send nothing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class BootstrapForm(forms.Form):
    """Gives each widget Bootstrap's class. Django 5.2 itself links fields to their help text and
    errors (aria-describedby, aria-invalid); templates/klimat/includes/field.html renders the
    matching ids."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-control")

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class ContactForm(BootstrapForm):
    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We reply to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Municipality, region or organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        help_text=_("At most 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by many spam robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    @property
    def is_spam(self) -> bool:
        """True when the honeypot was filled: answer as if all went well, keep nothing."""
        return bool(self.data.get(self.add_prefix("website"), "").strip())
