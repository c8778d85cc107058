"""Every URL pattern the project defines, and a world of real objects that fills their kwargs.

The access matrix, the CSRF census and the header checks all start here, so a URL added to the
project reaches each of them without anyone listing it by hand.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

from applications import signin, workflow
from applications.emails import queue_applicant_email
from applications.models import (
    Application,
    Contact,
    ContactRole,
    JoiningDecision,
    OfferLetter,
    Organisation,
    PersonalDataRequest,
    Status,
)
from applications.roles import KANSLI_GROUP, ensure_kansli_group
from evaluation.models import Answer, Question, QuestionBank, Response
from klimat.models import ContactMessage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ("anonymous", "owner", "other", "staff", "kansli")
LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: `key` is its namespaced name, or its route when it has none."""

    key: str
    route: str
    translated: bool
    callback: Callable[..., Any]


def project_patterns() -> list[Pattern]:
    """Every pattern of the root URLconf, nested includes and i18n_patterns flattened."""
    return list(_walk(get_resolver().url_patterns, "", (), translated=False))


def _walk(
    entries: list[URLPattern | URLResolver], prefix: str, namespaces: tuple[str, ...], *, translated: bool
) -> Iterator[Pattern]:
    for entry in entries:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            locale = isinstance(entry.pattern, LocalePrefixPattern)
            route = prefix if locale else prefix + str(entry.pattern)
            yield from _walk(entry.url_patterns, route, inner, translated=translated or locale)
        else:
            route = prefix + str(entry.pattern)
            key = ":".join((*namespaces, entry.name)) if entry.name else route
            yield Pattern(key=key, route=route, translated=translated, callback=entry.callback)


_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")


def fill(route: str, values: dict[str, object], language: str = "sv") -> str:
    """The path of `route` with its kwargs (converters or regex groups) taken from `values`."""
    path = _GROUP.sub(lambda m: str(values[m.group(1)]), route).replace("^", "").replace("$", "")
    path = _CONVERTER.sub(lambda m: str(values[m.group(1)]), path)
    return ("/en/" if language == "en" else "/") + path


def regex_choices(route: str, name: str) -> list[str]:
    """The alternatives of a regex group such as admin's `(?P<app_label>auth|axes|…)`."""
    match = re.search(rf"\(\?P<{name}>([\w|]+)\)", route)
    return match.group(1).split("|") if match else []


def admin_model(pattern: Pattern) -> tuple[str, str] | None:
    """("app.model", the route after the model's prefix) for a ModelAdmin's own patterns."""
    for model in admin.site._registry:
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if pattern.route.startswith(prefix):
            return model._meta.label_lower, pattern.route.removeprefix(prefix)
    return None


@dataclass
class World:
    """An applicant's accepted application with everything downloadable, and one user per role."""

    users: dict[str, User | None]
    application: Application
    member: Application
    answer: Answer
    token: str
    admin_objects: dict[str, int] = field(default_factory=dict)

    def values(self, model_label: str = "", **override: object) -> dict[str, object]:
        """Kwargs for any pattern; `object_id` is the admin object of `model_label`."""
        return {
            "pk": self.application.pk,
            "answer_id": self.answer.pk,
            "slug": "baskrav",
            "token": self.token,
            "id": self.users["owner"].pk,  # type: ignore[union-attr]
            "object_id": self.admin_objects.get(model_label, self.application.pk),
            "content_type_id": ContentType.objects.get_for_model(Application).pk,
            "url": "no-such-admin-page/",
            "app_label": "applications",
            **override,
        }

    def paths(self, pattern: Pattern) -> list[tuple[str, str]]:
        """(variant, path) for each language of the pattern; admin's app list once per app."""
        model = admin_model(pattern)
        values = self.values(model[0] if model else "")
        languages = LANGUAGES if pattern.translated else ("sv",)
        labels = regex_choices(pattern.route, "app_label") or [""]
        return [
            (label, fill(pattern.route, {**values, "app_label": label}, language))
            for language in languages
            for label in labels
        ]

    def client(self, role: str, **options: Any) -> Client:
        client = Client(**options)
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client


def build_world() -> World:
    """Real objects behind every kwarg: the offer letter and the minutes are stored PDFs."""
    owner = User.objects.create(username="owner@sorsele.se", email="owner@sorsele.se")
    other = User.objects.create(username="other@umea.se", email="other@umea.se")
    workflow.start_application(organisation=Organisation.objects.get(code="2480"), by=other, language="sv")
    staff = User.objects.create(username="vaktmastare", email="vaktmastare@klimatkommunerna.se", is_staff=True)
    ensure_kansli_group(Group, Permission)
    kansli = User.objects.create(username="kansli", email="kansli@klimatkommunerna.se", is_staff=True)
    kansli.groups.add(Group.objects.get(name=KANSLI_GROUP))

    application = _application(owner, "2422", Status.ACCEPTED)
    letter = OfferLetter.objects.create(application=application, language="sv")
    letter.pdf.save("letter.pdf", ContentFile(PDF))
    decision = JoiningDecision.objects.create(
        application=application,
        decided_on=datetime.date(2026, 5, 4),
        body="kf",
        minute_reference="KF § 12",
        minutes_name="protokoll.pdf",
        reported_by=owner,
    )
    decision.minutes.save("minutes.pdf", ContentFile(PDF))
    answer = _evidence(application)
    member = _application(owner, "0180", Status.MEMBER)
    queue_applicant_email(application=application, name="declined", context={})
    ContactMessage.objects.create(name="Anna", email="anna@exempel.se", message="Hej", language="sv")
    axes_fields = {"user_agent": "pytest", "ip_address": "192.0.2.1", "username": "x", "http_accept": "*/*"}
    AccessAttempt.objects.create(**axes_fields, path_info="/admin/login/", failures_since_start=1)
    AccessLog.objects.create(**axes_fields, path_info="/admin/login/")
    AccessFailureLog.objects.create(**axes_fields, path_info="/admin/login/")
    PersonalDataRequest.objects.create(kind=PersonalDataRequest.Kind.EXPORT, by=kansli, counts={"contacts": 2})

    world = World(
        users={"anonymous": None, "owner": owner, "other": other, "staff": staff, "kansli": kansli},
        application=application,
        member=member,
        answer=answer,
        token=signin.create_token("owner@sorsele.se"),
    )
    # Any stored row will do; a model with none keeps the application's id, and the matrix
    # then shows its pages answering "not found" where it expects them to open.
    for model in admin.site._registry:
        instance = model._default_manager.order_by("pk").first()
        if instance is not None:
            world.admin_objects[model._meta.label_lower] = instance.pk
    world.admin_objects["applications.application"] = application.pk
    world.admin_objects["applications.member"] = member.pk
    return world


def _application(user: User, code: str, status: str) -> Application:
    application = workflow.start_application(organisation=Organisation.objects.get(code=code), by=user, language="sv")
    Contact.objects.create(application=application, role=ContactRole.ELECTED, name="Anna", email="anna@sorsele.se")
    Contact.objects.create(application=application, role=ContactRole.OFFICIAL, name="Bo", email="bo@sorsele.se")
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def _evidence(application: Application) -> Answer:
    bank = QuestionBank.objects.active_for(application.kind)
    response = Response.objects.create(application=application, bank=bank)
    question = Question.objects.filter(section__bank=bank, section__slug="baskrav").order_by("pk").first()
    answer = Answer.objects.create(response=response, question=question, evidence_filename="protokoll.pdf")
    answer.evidence_file.save("evidence.pdf", ContentFile(PDF))
    return answer
