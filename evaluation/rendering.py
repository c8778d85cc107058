"""The test's form widgets drawn in Python, with exactly the markup of Django's widget templates.

A section page draws about 22 widgets (radio buttons, the link and comment of each question),
and through Django's templates each is three or four template renders (text.html includes
input.html includes attrs.html): about half of the page's rendering time (bench/README.md).
SectionForm uses this renderer instead; it writes the same HTML as the templates below, which
tests/evaluation/test_rendering.py compares widget by widget, and any other template is
rendered by Django as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"


def _attrs(attrs: Mapping[str, Any]) -> str:
    """attrs.html: a bare name for True, nothing for False, else name="value" (escaped)."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    """input.html (text, url, date, file, checkbox, ... all include it)."""
    value = widget["value"]
    value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{value_attr}{_attrs(widget["attrs"])}>'


def _input_option(widget: Mapping[str, Any]) -> str:
    """input_option.html: one radio button, wrapped in its label only when asked."""
    if not widget.get("wrap_label"):
        return _input(widget)
    label_id = widget["attrs"].get("id")
    for_attr = f' for="{conditional_escape(label_id)}"' if label_id else ""
    # The included input.html keeps its final newline.
    return f"<label{for_attr}>{_input(widget)}\n {conditional_escape(widget['label'])}</label>"


def _textarea(widget: Mapping[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select_option(option: Mapping[str, Any]) -> str:
    value, label = conditional_escape(str(option["value"])), conditional_escape(option["label"])
    return f'<option value="{value}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget: Mapping[str, Any]) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        # Each included select_option.html keeps its final newline.
        parts.extend(f"\n  {_select_option(option)}\n" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


DRAWN: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{f"{WIDGETS}{kind}.html": _input for kind in ("input", "text", "url", "date", "number", "email", "checkbox")},
    f"{WIDGETS}file.html": _input,
    f"{WIDGETS}radio_option.html": _input_option,
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class LeanRenderer(DjangoTemplates):
    """Django's default form renderer, but the widgets in DRAWN are drawn without templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        draw = DRAWN.get(template_name)
        if draw is None:
            return super().render(template_name, context, request)
        return mark_safe(draw(context["widget"]).strip())  # noqa: S308 - every value is escaped above
