"""The data that migrations load, loaded again after a transactional test's flush.

A transactional test (transaction=True, live_server, a worker process) ends with a flush that
empties every table, including the reference bodies, fee decisions and question banks the
migrations loaded. serialized_rollback would restore them, but it clashes with what Django's
post_migrate recreates after each flush (content types, the Kansli group), so instead every
loader is idempotent and runs again before such a test.
"""

import importlib

from django.apps import apps
from django.core.management import call_command

from applications.models import Organisation, PopulationFigure
from applications.reference import load_reference_data


def ensure_seed_data() -> None:
    if Organisation.objects.count() < 311:
        load_reference_data(Organisation, PopulationFigure)
    fees_seed = importlib.import_module("fees.migrations.0002_seed_known_decisions")
    fees_seed.seed(apps, None)
    call_command("load_question_banks", verbosity=0)
