from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from fees import formatting, rules
from fees.models import FeeSchedule


def _rule_fields(kind: str) -> tuple[str, ...]:
    return (f"{kind}_shape", *(f"{kind}_{part}" for part in rules.RULE_PARTS))


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = ["year", "municipality_rule", "region_rule", "gotland_rule", "note_excerpt"]
    list_filter = ["municipality_shape", "region_shape", "gotland_rule"]
    search_fields = ["year", "note"]
    fieldsets = [
        (None, {"fields": ["year", "note"]}),
        (
            _("Municipalities"),
            {
                "fields": _rule_fields("municipality"),
                "description": _("Fill in only the amounts the chosen shape uses; leave the others empty."),
            },
        ),
        (
            _("Regions"),
            {
                "fields": _rule_fields("region"),
                "description": _("Fill in only the amounts the chosen shape uses; leave the others empty."),
            },
        ),
        (_("Region Gotland"), {"fields": ["gotland_rule"]}),
    ]

    def _describe(self, schedule: FeeSchedule, kind: str) -> str:
        try:
            return formatting.describe_rule(schedule.rule(kind))
        except rules.FeeError as error:
            return formatting.describe_error(error)

    @admin.display(description=_("municipalities"))
    def municipality_rule(self, schedule: FeeSchedule) -> str:
        return self._describe(schedule, "municipality")

    @admin.display(description=_("regions"))
    def region_rule(self, schedule: FeeSchedule) -> str:
        return self._describe(schedule, "region")

    @admin.display(description=_("note"))
    def note_excerpt(self, schedule: FeeSchedule) -> str:
        return Truncator(schedule.note).chars(80)
