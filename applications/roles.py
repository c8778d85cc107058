"""The "Kansli" group: exactly the permissions the secretariat's work needs.

A staff user outside it sees no applications and cannot download letters (403).
"""

from typing import Any

# (app label, model, actions) — actions are Django's add/change/delete/view.
KANSLI_PERMISSIONS: list[tuple[str, str, tuple[str, ...]]] = [
    ("applications", "application", ("view", "change")),
    ("applications", "member", ("view",)),
    ("applications", "organisation", ("view",)),
    ("applications", "populationfigure", ("view",)),
    ("applications", "contact", ("view",)),
    ("applications", "statuschange", ("view",)),
    ("applications", "staffcomment", ("view", "add")),
    ("applications", "joiningdecision", ("view", "add")),
    ("applications", "offerletter", ("view",)),
    ("applications", "outboundemail", ("view", "change")),
    # Requests about a person's data (issue 7 §8): the secretariat handles them.
    ("applications", "personaldatarequest", ("view", "export", "erase")),
    ("fees", "feeschedule", ("view", "add", "change")),
    ("evaluation", "questionbank", ("view", "add", "change")),
    ("evaluation", "section", ("view", "add", "change")),
    ("evaluation", "question", ("view", "add", "change")),
    ("evaluation", "option", ("view", "add", "change")),
    ("evaluation", "response", ("view",)),
    ("evaluation", "answer", ("view",)),
    ("klimat", "testimonial", ("view", "add", "change", "delete")),
    ("klimat", "contactmessage", ("view",)),
]
KANSLI_GROUP = "Kansli"


def ensure_kansli_group(group_model: Any, permission_model: Any) -> list[str]:
    """Create or update the group; return the permissions that do not exist (yet)."""
    group, _ = group_model.objects.get_or_create(name=KANSLI_GROUP)
    wanted = {(app, f"{action}_{model}") for app, model, actions in KANSLI_PERMISSIONS for action in actions}
    found = [
        permission
        for permission in permission_model.objects.select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    group.permissions.set(found)
    have = {(p.content_type.app_label, p.codename) for p in found}
    return sorted(f"{app}.{codename}" for app, codename in wanted - have)
