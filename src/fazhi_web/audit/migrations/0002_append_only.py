"""The database itself refuses to change or delete audit entries."""

from django.db import migrations

from fazhi_web.audit import triggers


def forwards(apps, schema_editor):
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
