"""What every application page shares: the access rule and the part list's navigation."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from applications import drafts
from applications.models import Application


def own_application(request: HttpRequest, pk: int, *, related: tuple[str, ...] = ()) -> Application:
    """The signed-in user's application, or 404 (never 403: its existence is not told).

    `related` names more one-to-one relations to read in the same query.
    """
    user: User | AnonymousUser = request.user
    queryset = Application.objects.for_user(user).select_related("organisation", *related)  # type: ignore[arg-type]
    return get_object_or_404(queryset, pk=pk)


def navigation(application: Application, current: str) -> dict[str, object]:
    """The part list and the Previous/Next links around the part `current` ("summary" last)."""
    parts = drafts.parts_for(application)
    urls = [part.url for part in parts] + [reverse("applications:summary", args=[application.pk])]
    keys = [part.key for part in parts] + ["summary"]
    index = keys.index(current)
    return {
        "application": application,
        "parts": parts,
        "parts_done": sum(part.complete for part in parts),
        "current": current,
        "previous_url": urls[index - 1] if index > 0 else None,
        "next_url": urls[index + 1] if index + 1 < len(urls) else None,
    }


def after_save_url(request: HttpRequest, nav: dict[str, object], here: str) -> str:
    """Where a saved part goes: the button pressed says previous, next or stay."""
    go = request.POST.get("go")
    if go == "previous" and nav["previous_url"]:
        return str(nav["previous_url"])
    if go == "next" and nav["next_url"]:
        return str(nav["next_url"])
    return here


def error_summary(bound_forms: Iterable[forms.BaseForm]) -> list[tuple[str, str]]:
    """(anchor, message) for the summary at the top of a page; each links to its field."""
    items: list[tuple[str, str]] = []
    for form in bound_forms:
        legend = getattr(form, "legend", "")
        items.extend(("", str(error)) for error in form.non_field_errors())
        for field in form:
            for error in field.errors:
                items.append((field.id_for_label, f"{legend}: {error}" if legend else str(error)))
    return items
