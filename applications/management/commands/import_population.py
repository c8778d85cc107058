from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.population import PopulationImportError, import_population


class Command(BaseCommand):
    help = "Import SCB's CSV of 'Folkmängd 31 december' by municipality and county; keeps older years."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        try:
            result = import_population(raw, source=f"SCB, Folkmängd 31 december ({file.name})")
        except PopulationImportError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from error
        years = ", ".join(str(year) for year in result.years)
        self.stdout.write(self.style.SUCCESS(f"Imported {result.figures} figures for {years}."))
