from django.db import migrations

from govsite.audit import triggers


def create(apps, schema_editor):
    triggers.install(schema_editor, create=True)


def drop(apps, schema_editor):
    triggers.install(schema_editor, create=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
