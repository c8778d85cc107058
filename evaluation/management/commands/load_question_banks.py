"""Load question bank files: `manage.py load_question_banks [FILE ...]` (default: the shipped ones)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluation.bankfile import BankFileError, read_bank_file, shipped_bank_files
from evaluation.loading import BankModels, install_bank


class Command(BaseCommand):
    help = "Load question bank versions from YAML files; a version already loaded is left as it is."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="bank files (default: evaluation/banks/*.yaml)")
        parser.add_argument(
            "--inactive", action="store_true", help="load without making the new version the one new tests use"
        )

    def handle(self, *args: Any, files: list[Path], inactive: bool, **options: Any) -> None:
        for path in files or shipped_bank_files():
            try:
                bank, created = install_bank(read_bank_file(path), BankModels.real(), activate=not inactive)
            except (BankFileError, OSError) as error:
                raise CommandError(str(error)) from error
            state = "loaded" if created else "already loaded, unchanged"
            self.stdout.write(f"{path.name}: {bank.kind} version {bank.version} {state}")
