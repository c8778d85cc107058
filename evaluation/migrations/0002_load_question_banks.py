"""Load the shipped question banks (evaluation/banks/*.yaml), version 1 for each kind of body.

Later versions are loaded with `manage.py load_question_banks FILE`, never by editing a file
that has been loaded: install_bank refuses a known version with other content.
"""

from django.db import migrations

from evaluation.bankfile import read_bank_file, shipped_bank_files
from evaluation.loading import BankModels, install_bank

FIRST_VERSIONS = ("municipality-v1.yaml", "region-v1.yaml")


def load_banks(apps, schema_editor):
    models = BankModels.from_apps(apps)
    for path in shipped_bank_files():
        if path.name in FIRST_VERSIONS:
            install_bank(read_bank_file(path), models)


def unload_banks(apps, schema_editor):
    QuestionBank = apps.get_model("evaluation", "QuestionBank")
    QuestionBank.objects.filter(version=1, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_question_banks_and_answers")]

    operations = [migrations.RunPython(load_banks, unload_banks)]
