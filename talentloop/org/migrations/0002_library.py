"""Load the shipped competency library and default position levels into a new database."""

from django.db import migrations


def load(apps, schema_editor):
    from talentloop.org.library import sync_library

    sync_library(apps.get_model("org", "Competency"), apps.get_model("org", "JobLevel"))


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
