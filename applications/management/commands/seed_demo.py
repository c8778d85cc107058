from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "kansli"
DEMO_PASSWORD = "klimat-demo-2026"  # noqa: S105 - the demo's published login, never used in production


class Command(BaseCommand):
    help = "Create the demo data for `make run`: a staff login for the admin (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"email": "kansli@example.org", "first_name": "Demo", "last_name": "Kansli"},
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin: http://127.0.0.1:8000/admin/  user {DEMO_USERNAME}  password {DEMO_PASSWORD}"
            )
        )
