from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from applications.roles import KANSLI_GROUP, ensure_kansli_group


class Command(BaseCommand):
    help = "Create or update the Kansli group with exactly the permissions the secretariat needs."

    def handle(self, *args: Any, **options: Any) -> None:
        missing = ensure_kansli_group(Group, Permission)
        if missing:
            raise CommandError(f"permissions missing (run migrate first?): {', '.join(missing)}")
        self.stdout.write(f"Group {KANSLI_GROUP} is up to date.")
