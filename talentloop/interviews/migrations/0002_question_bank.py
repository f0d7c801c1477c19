"""Load the shipped interview question bank into a new database."""

from django.db import migrations


def load(apps, schema_editor):
    from talentloop.interviews.bank import sync_question_bank

    sync_question_bank(apps.get_model("interviews", "InterviewQuestion"), apps.get_model("org", "Competency"))


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial"), ("org", "0002_library")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
