"""Admin actions that ask for confirmation (and a message) before calling the workflow."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application
from applications.workflow import WorkflowError

Perform = Callable[[Application, dict[str, Any]], None]


def acting_user(request: HttpRequest) -> User:
    """The signed-in staff member (the admin only lets authenticated staff this far)."""
    assert isinstance(request.user, User)
    return request.user


def confirm_and_apply(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Application],
    *,
    title: str | Promise,
    perform: Perform,
    form_class: type[forms.Form] | None = None,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse | None:
    """Show a confirmation page; on confirm, apply `perform` to each application in turn.

    Each application changes in its own transaction (workflow.py); one that does not fit its
    status is refused with the workflow's message and the others go ahead.
    """
    form_class = form_class or forms.Form
    form_kwargs = form_kwargs or {}
    form = form_class(request.POST if "confirm" in request.POST else None, **form_kwargs)
    if "confirm" in request.POST and form.is_valid():
        done = 0
        for application in queryset.select_related("organisation"):
            try:
                perform(application, form.cleaned_data)
            except WorkflowError as error:
                modeladmin.message_user(request, str(error), messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                ngettext("%(title)s: %(count)d application.", "%(title)s: %(count)d applications.", done)
                % {"title": title, "count": done},
                messages.SUCCESS,
            )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset.select_related("organisation"),
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
        "submit_label": _("Yes, go ahead"),
    }
    return TemplateResponse(request, "admin/applications/confirm_action.html", context)
