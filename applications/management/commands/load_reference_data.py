from typing import Any

from django.core.management.base import BaseCommand

from applications.models import Organisation, PopulationFigure
from applications.reference import load_reference_data


class Command(BaseCommand):
    help = "Load the 290 municipalities and 21 regions shipped in applications/data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_reference_data(Organisation, PopulationFigure)
        total = Organisation.objects.count()
        self.stdout.write(f"Reference data: {created} new, {total} organisations in all.")
