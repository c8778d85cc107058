from typing import Any

from django.core.management.base import BaseCommand

from applications.demo import DEMO_PASSWORD, DEMO_USERNAME, build_demo


class Command(BaseCommand):
    help = "Create the demo data for `make run`: a staff login and applications in several statuses."

    def handle(self, *args: Any, **options: Any) -> None:
        _staff, created = build_demo()
        for application in created:
            self.stdout.write(f"Demo application: {application.organisation.name} ({application.get_status_display()})")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin: http://127.0.0.1:8000/admin/  user {DEMO_USERNAME}  password {DEMO_PASSWORD}"
            )
        )
