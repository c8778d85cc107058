from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender: AppConfig, **kwargs: Any) -> None:
    # Permissions are created app by app after migrating; the group needs all of them, so it is
    # set up once the last installed app has its permissions.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from django.contrib.auth.models import Group, Permission

    from applications.roles import ensure_kansli_group

    ensure_kansli_group(Group, Permission)


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # Django creates permissions on post_migrate, so the Kansli group can only be given them
        # then; auth and contenttypes use the same hook. It is Django's signal, not one of ours.
        post_migrate.connect(_ensure_roles, dispatch_uid="applications.ensure_roles")
