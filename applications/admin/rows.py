"""The changelist's rows, worked out once per column instead of once per cell.

Django's items_for_result finds each cell's field (a failed field lookup, an exception, for every
column that is a method), its empty value, CSS class and link again in every row, reverses the
change page's URL and parses the list's filters into it for every row, and writes every cell with
format_html: with ten columns that was most of a 100-row page's time. The markup here is the
same, byte for byte (tests/applications/test_admin_rows.py compares the two on the same rows),
though each row is one item (all its cells) rather than a list of cells.
What this does not draw itself (an editable list, a popup, a column reached through another
model), Django's own results() draws.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.admin.templatetags.admin_list import (  # type: ignore[attr-defined]  # private, not in the stubs
    ResultList,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (  # type: ignore[attr-defined]  # private, not in the stubs
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, numberformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import get_language

# Stands for the primary key in the change page's URL, reversed once per page.
PK_MARK = "0PK0MARK0"

Lookup = Callable[[models.Model], tuple[Any, Any, Any]]


def escape(value: Any) -> str:
    """django.utils.html.conditional_escape, without its per-call checks for lazy strings."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


class Column:
    """What a list_display entry's cells share: their lookup, class, empty value and link."""

    def __init__(self, cl: ChangeList, index: int, name: Any, *, linked: bool, first_link: bool) -> None:
        model_admin = cl.model_admin
        self.name = name
        self.classes = [f"field-{_coerce_field_name(name, index)}"]
        self.linked = linked
        self.tag = "th" if first_link else "td"
        self.empty = model_admin.get_empty_value_display()
        try:
            field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            field = None
        self.lookup: Lookup = self._lookup(cl, name, field)
        self.display = None if field is None else field_display(field, self.empty)

    def _lookup(self, cl: ChangeList, name: Any, field: models.Field[Any, Any] | None) -> Lookup:
        model_admin = cl.model_admin
        if field is not None:
            attname = field.attname
            return lambda obj: (field, None, getattr(obj, attname))
        if isinstance(name, str) and name != "__str__" and hasattr(model_admin, name):
            method = getattr(model_admin, name)
            return lambda obj: (None, method, method(obj))
        # Anything else (a callable, a model attribute, a related field's path): Django's lookup.
        return lambda obj: lookup_field(name, obj, model_admin)

    def cell(self, obj: models.Model, url: str | None) -> SafeString:
        """items_for_result's cell for this column, as it writes it."""
        classes = self.classes
        empty = self.empty
        try:
            field, attr, value = self.lookup(obj)
        except ObjectDoesNotExist:
            shown: Any = empty
        else:
            empty = getattr(attr, "empty_value_display", empty)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if field is None or field.auto_created:
                if self.name == "action_checkbox":
                    classes = ["action-checkbox"]
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                shown = display_for_value(value, empty, boolean)
                if isinstance(value, datetime.date | datetime.time):
                    classes = [*classes, "nowrap"]
            else:
                if isinstance(field.remote_field, models.ManyToOneRel):
                    related = getattr(obj, field.name)
                    shown = empty if related is None else related
                else:
                    display = self.display
                    if display is None:
                        shown = display_for_field(value, field, empty, avoid_link=self.linked)
                    else:
                        shown = display(value)
                if isinstance(field, models.DateField | models.TimeField | models.ForeignKey):
                    classes = [*classes, "nowrap"]
        attributes = f' class="{" ".join(classes)}"'
        if self.linked:
            inner = escape(shown) if url is None else f'<a href="{escape(url)}">{escape(shown)}</a>'
            return SafeString(f"<{self.tag}{attributes}>{inner}</{self.tag}>")
        return SafeString(f"<td{attributes}>{escape(shown)}</td>")


def field_display(field: models.Field[Any, Any], empty: str) -> Callable[[Any], Any] | None:
    """display_for_field for a column of choices, date-times or integers, with the labels and the
    language's formats looked up once a page instead of once a cell (each get_format call walks
    the format modules): the same text. None for any other field: display_for_field draws it."""
    if getattr(field, "flatchoices", None):
        try:
            labels = dict(field.flatchoices)
        except TypeError:  # list-like choices: display_for_field's own way
            return None
        return lambda value: labels.get(value, empty)
    empties = field.empty_values
    if isinstance(field, models.DateTimeField):
        when = get_format("DATETIME_FORMAT")
        return lambda value: empty if value in empties else dateformat.format(template_localtime(value), when)
    if isinstance(field, models.IntegerField):
        language = get_language()
        decimal, grouping, thousands = (
            get_format(name, language, use_l10n=True)
            for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
        )
        return lambda value: (
            empty if value in empties else numberformat.format(value, decimal, None, grouping, thousands, use_l10n=True)
        )
    return None


def change_url(cl: ChangeList) -> str | None:
    """The change page's URL with the list's filters kept, PK_MARK standing for the key; None if none."""
    opts = cl.opts
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(PK_MARK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    return str(add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": opts}, url))


def rows(cl: ChangeList) -> Iterator[ResultList]:
    """What django.contrib.admin's results(cl) gives, for a list of plain rows with integer keys."""
    pk_field = cl.lookup_opts.pk
    plain = not (cl.formset or cl.is_popup or cl.to_field) and isinstance(pk_field, models.AutoField)
    if not plain or cl.list_display_links is None:
        yield from results(cl)
        return
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        linked = (first and not cl.list_display_links) or name in cl.list_display_links
        columns.append(Column(cl, index, name, linked=linked, first_link=linked and first))
        first = first and not linked
    url = change_url(cl)
    attname = pk_field.attname
    for obj in cl.result_list:
        # An integer key needs no quoting, in the admin's sense or the URL's.
        row_url = None if url is None else url.replace(PK_MARK, str(getattr(obj, attname)), 1)
        # One item of the whole row's cells: change_list_results.html writes a row's items one after
        # the other between <tr> and </tr>, so the bytes are the same and the template draws one
        # variable a row instead of eleven.
        yield ResultList(None, [SafeString("".join([column.cell(obj, row_url) for column in columns]))])


def result_list(cl: ChangeList) -> dict[str, Any]:
    """django.contrib.admin's result_list tag's context, with the rows above."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": list(rows(cl)),
    }
