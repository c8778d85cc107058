"""The secretariat's actions on applications; each one calls applications/workflow.py."""

import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import workflow
from applications.admin.confirm import acting_user, confirm_and_apply
from applications.models import Application, DecidingBody, JoiningDecision


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


@admin.action(description=_("Start review"), permissions=["change"])
def start_review(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponse | None:
    return confirm_and_apply(
        modeladmin,
        request,
        queryset,
        title=_("Start review"),
        perform=lambda application, data: workflow.start_review(application=application, by=acting_user(request)),
    )


@admin.action(description=_("Request completion…"), permissions=["change"])
def request_completion(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponse | None:
    return confirm_and_apply(
        modeladmin,
        request,
        queryset,
        title=_("Request completion"),
        form_class=CompletionForm,
        form_kwargs={"parts": part_choices(queryset)},
        perform=lambda application, data: workflow.request_completion(
            application=application, by=acting_user(request), message=data["message"], parts=data["parts"]
        ),
    )


@admin.action(description=_("Make offer and send the offer letter…"), permissions=["change"])
def make_offer(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponse | None:
    return confirm_and_apply(
        modeladmin,
        request,
        queryset,
        title=_("Make offer"),
        form_class=OfferForm,
        perform=lambda application, data: workflow.make_offer(
            application=application, by=acting_user(request), year=data["year"]
        ),
    )


@admin.action(description=_("Decline…"), permissions=["change"])
def decline(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Application]) -> HttpResponse | None:
    return confirm_and_apply(
        modeladmin,
        request,
        queryset,
        title=_("Decline"),
        form_class=ReasonForm,
        perform=lambda application, data: workflow.decline_application(
            application=application, by=acting_user(request), reason=data["reason"]
        ),
    )


def _record_membership(request: HttpRequest, application: Application, data: dict[str, Any]) -> None:
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
                    reported_by=acting_user(request),
                )
        workflow.record_membership(application=application, by=acting_user(request), joined_on=data["joined_on"])


@admin.action(description=_("Record the joining decision → member…"), permissions=["change"])
def record_membership(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponse | None:
    return confirm_and_apply(
        modeladmin,
        request,
        queryset,
        title=_("Record the joining decision"),
        form_class=JoiningDecisionForm,
        perform=lambda application, data: _record_membership(request, application, data),
    )


@admin.action(description=_("Approve observer status (one year)"), permissions=["change"])
def approve_observer(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponse | None:
    return confirm_and_apply(
        modeladmin,
        request,
        queryset,
        title=_("Approve observer status"),
        perform=lambda application, data: workflow.approve_observer(application=application, by=acting_user(request)),
    )


@admin.action(description=_("Withdraw…"), permissions=["change"])
def withdraw(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponse | None:
    return confirm_and_apply(
        modeladmin,
        request,
        queryset,
        title=_("Withdraw"),
        form_class=OptionalReasonForm,
        perform=lambda application, data: workflow.withdraw_application(
            application=application, by=acting_user(request), reason=data["reason"]
        ),
    )


ACTIONS = [start_review, request_completion, make_offer, decline, record_membership, approve_observer, withdraw]
