from django.db import migrations


def load(apps, schema_editor):
    from talentloop.recruiting.defaults import load_defaults

    load_defaults(apps.get_model("recruiting", "EmailTemplate"), apps.get_model("recruiting", "OfferTemplate"))


class Migration(migrations.Migration):
    dependencies = [("recruiting", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
