"""The secretariat's actions on applications; each one calls applications/workflow.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import workflow
from applications.admin.confirm import acting_user, confirm_and_apply
from applications.models import Application, DecidingBody, JoiningDecision

if TYPE_CHECKING:  # a development dependency; only the type checker needs it
    from django_stubs_ext import StrOrPromise


def part_choices(queryset: QuerySet[Application]) -> list[tuple[str, str]]:
    """The parts the selected applications have (their own and each test section), to reopen."""
    from applications.drafts import parts_for

    choices: dict[str, str] = {}
    for application in queryset.select_related("organisation")[:20]:
        for part in parts_for(application):
            choices.setdefault(part.key, part.title)
    return list(choices.items())


class CompletionForm(forms.Form):
    message = forms.CharField(label=_("Message to the applicant"), widget=forms.Textarea(attrs={"rows": 5}))
    parts = forms.MultipleChoiceField(label=_("Parts to reopen"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, data: Any = None, *, parts: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["parts"].choices = parts  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (mailed to the applicant)"), widget=forms.Textarea(attrs={"rows": 5}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OfferForm(forms.Form):
    year = forms.IntegerField(
        label=_("Fee year"), min_value=2018, max_value=2100, initial=lambda: timezone.localdate().year
    )


class JoiningDecisionForm(forms.Form):
    """Entered by staff when the applicant has not reported the decision in the portal."""

    decided_on = forms.DateField(
        label=_("Date of the joining decision"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    body = forms.ChoiceField(label=_("Deciding body"), choices=[("", "—"), *DecidingBody.choices], required=False)
    minute_reference = forms.CharField(label=_("Minute reference"), required=False, max_length=100)
    joined_on = forms.DateField(
        label=_("Member from"), initial=datetime.date.today, widget=forms.DateInput(attrs={"type": "date"})
    )


Perform = Callable[[Application, dict[str, Any], User], None]


def workflow_action(
    name: str,
    description: StrOrPromise,
    *,
    perform: Perform,
    form_class: type[forms.Form] | None = None,
    form_kwargs: Callable[[QuerySet[Application]], dict[str, Any]] | None = None,
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet[Application]], HttpResponse | None]:
    """An admin action that confirms (with its form), then calls the workflow per application."""

    def action(
        modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
    ) -> HttpResponse | None:
        by = acting_user(request)
        return confirm_and_apply(
            modeladmin,
            request,
            queryset,
            title=str(description).rstrip("…"),
            form_class=form_class,
            form_kwargs=form_kwargs(queryset) if form_kwargs else None,
            perform=lambda application, data: perform(application, data, by),
        )

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


def _record_membership(application: Application, data: dict[str, Any], by: User) -> None:
    with transaction.atomic():
        if not JoiningDecision.objects.filter(application=application).exists():
            if not (data["decided_on"] and data["body"] and data["minute_reference"]):
                raise workflow.WorkflowError(
                    _("%(body)s has not reported its joining decision: enter its date, body and minute reference.")
                    % {"body": application.organisation.name}
                )
            if workflow.can_change(application, "member"):
                JoiningDecision.objects.create(
                    application=application,
                    decided_on=data["decided_on"],
                    body=data["body"],
                    minute_reference=data["minute_reference"],
                    reported_by=by,
                )
        workflow.record_membership(application=application, by=by, joined_on=data["joined_on"])


ACTIONS = [
    workflow_action(
        "start_review",
        _("Start review"),
        perform=lambda application, data, by: workflow.start_review(application=application, by=by),
    ),
    workflow_action(
        "request_completion",
        _("Request completion…"),
        form_class=CompletionForm,
        form_kwargs=lambda queryset: {"parts": part_choices(queryset)},
        perform=lambda application, data, by: workflow.request_completion(
            application=application, by=by, message=data["message"], parts=data["parts"]
        ),
    ),
    workflow_action(
        "make_offer",
        _("Make offer and send the offer letter…"),
        form_class=OfferForm,
        perform=lambda application, data, by: workflow.make_offer(application=application, by=by, year=data["year"]),
    ),
    workflow_action(
        "decline",
        _("Decline…"),
        form_class=ReasonForm,
        perform=lambda application, data, by: workflow.decline_application(
            application=application, by=by, reason=data["reason"]
        ),
    ),
    workflow_action(
        "record_membership",
        _("Record the joining decision → member…"),
        form_class=JoiningDecisionForm,
        perform=_record_membership,
    ),
    workflow_action(
        "approve_observer",
        _("Approve observer status (one year)"),
        perform=lambda application, data, by: workflow.approve_observer(application=application, by=by),
    ),
    workflow_action(
        "withdraw",
        _("Withdraw…"),
        form_class=OptionalReasonForm,
        perform=lambda application, data, by: workflow.withdraw_application(
            application=application, by=by, reason=data["reason"]
        ),
    ),
]
