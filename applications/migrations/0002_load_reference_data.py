from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from applications.reference import load_reference_data


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    load_reference_data(apps.get_model("applications", "Organisation"), apps.get_model("applications", "PopulationFigure"))


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
