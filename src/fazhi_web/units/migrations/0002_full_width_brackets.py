"""Unit names with half-width brackets get the full-width ones the services now store.

A name whose full-width form a sibling already has is left alone: renaming it
would break the one-name-per-parent rule, and an administrator must decide
which of the two units is meant.
"""

from django.db import migrations

HALF = str.maketrans("()", "（）")


def to_full_width(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    for unit in Unit.objects.filter(name__regex=r"[()]"):
        name = unit.name.translate(HALF)
        if not Unit.objects.filter(parent_id=unit.parent_id, name=name).exists():
            Unit.objects.filter(pk=unit.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [migrations.RunPython(to_full_width, migrations.RunPython.noop)]
