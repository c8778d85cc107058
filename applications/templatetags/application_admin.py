"""The secretariat's changelist: its rows drawn by applications/admin/rows.py."""

from typing import Any

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from applications.admin import rows

register = template.Library()


@register.tag(name="application_result_list")
def application_result_list(parser: template.base.Parser, token: template.base.Token) -> Any:
    """Django's {% result_list cl %}, same template and context, with rows worked out per column."""
    # django-stubs gives InclusionAdminNode a leading `name` argument Django 5.2 does not have.
    return InclusionAdminNode(  # type: ignore[call-arg]
        parser,  # type: ignore[arg-type]
        token,  # type: ignore[arg-type]
        func=rows.result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
