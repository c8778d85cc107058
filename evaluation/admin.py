"""The secretariat edits question banks here; answers and frozen results are read-only.

A bank version that tests have been started on should not be edited: load a new version
(`manage.py load_question_banks FILE`) instead. Frozen results never change either way. Every
save or delete of a section, question or option raises the banks' revision (a signal, see
evaluation.apps), so the running processes re-read the content they keep.
"""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from evaluation.models import Answer, Option, Question, QuestionBank, Response, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["order", "slug", "title_sv", "title_en", "is_gate", "max_points", "edit_link"]
    readonly_fields = ["edit_link"]
    show_change_link = True

    @admin.display(description=_("questions"))
    def edit_link(self, obj: Section) -> str:
        if not obj.pk:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("admin:evaluation_section_change", args=[obj.pk]), _("Edit"))


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "version",
        "is_active",
        "offer_threshold",
        "dialogue_threshold",
        "response_count",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["title_sv", "title_en"]
    inlines = [SectionInline]
    readonly_fields = ["created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionBank]:
        return super().get_queryset(request).annotate(response_total=Count("responses"))

    @admin.display(description=_("tests started"), ordering="response_total")
    def response_count(self, obj: QuestionBank) -> int:
        return int(getattr(obj, "response_total", 0))


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("order", "code", "answer_type", "requirement"),
        ("required", "allows_dont_know", "allows_not_applicable"),
        "text_sv",
        "text_en",
        "guidance_sv",
        "guidance_en",
        "edit_link",
    ]
    readonly_fields = ["edit_link"]

    @admin.display(description=_("answer options"))
    def edit_link(self, obj: Question) -> str:
        if not obj.pk:
            return ""
        url = reverse("admin:evaluation_question_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit the options and their points"))


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title_sv", "bank", "order", "max_points", "points_of_questions", "is_gate"]
    list_filter = ["bank", "is_gate"]
    search_fields = ["title_sv", "title_en", "slug"]
    inlines = [QuestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Section]:
        return super().get_queryset(request).select_related("bank").prefetch_related("questions__options")

    @admin.display(description=_("sum of the questions' maxima"))
    def points_of_questions(self, obj: Section) -> int:
        # Shown beside max_points so that an edit which breaks the section's maximum is visible.
        return sum(max((o.points for o in q.options.all()), default=0) for q in obj.questions.all() if q.is_scored)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["order", "label_sv", "label_en", "points"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "text_sv", "section", "answer_type", "requirement", "required"]
    list_filter = ["section__bank", "answer_type", "requirement"]
    search_fields = ["code", "text_sv", "text_en"]
    inlines = [OptionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).select_related("section__bank")


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ("question", "summary", "decision_date", "decision_body", "decision_reference", "evidence", "comment")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Answer]:
        return super().get_queryset(request).select_related("question", "option", "response")

    @admin.display(description=_("evidence"))
    def evidence(self, obj: Answer) -> str:
        if not obj.evidence_file:
            return obj.evidence_link
        url = reverse("evaluation:evidence", args=[obj.response.application_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.evidence_filename or _("file"))


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["application", "bank", "updated_at", "submitted_at"]
    list_filter = ["bank", "submitted_at"]
    search_fields = ["application__organisation__name"]
    readonly_fields = ["application", "bank", "created_at", "updated_at", "submitted_at", "result"]
    inlines = [AnswerInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Response]:
        return super().get_queryset(request).select_related("application__organisation", "bank")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
