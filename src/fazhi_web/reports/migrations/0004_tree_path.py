"""Obligations carry their unit's path; indexes for a national year's board, statistics and portal.

On PostgreSQL the path copy is compared byte by byte (collation "C"): the
hierarchy order then holds whatever the database's locale, and a prefix
(the units in reach) is a range of the same index that gives the order.
SQLite compares bytes already.
"""

from django.db import migrations, models

COPY_PATHS = """
    UPDATE reports_obligation SET unit_path =
        (SELECT path FROM units_unit WHERE units_unit.id = reports_obligation.unit_id)
"""


def byte_order(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE reports_obligation ALTER COLUMN unit_path TYPE varchar(255) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_reminder"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="obligation",
            options={"ordering": ["unit_path"]},
        ),
        migrations.AddField(
            model_name="obligation",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunSQL(COPY_PATHS, migrations.RunSQL.noop),
        migrations.RunPython(byte_order, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="indicator",
            field=models.CharField(max_length=40),
        ),
        migrations.AddIndex(
            model_name="indicatorvalue",
            index=models.Index(
                fields=["indicator", "obligation", "value"], name="indicatorvalue_by_indicator"
            ),
        ),
        migrations.AddIndex(
            model_name="indicatorvalue",
            index=models.Index(
                condition=models.Q(("corrected", True)),
                fields=["obligation"],
                name="indicatorvalue_corrected",
            ),
        ),
        migrations.AddIndex(
            model_name="obligation",
            index=models.Index(
                fields=["reporting_year", "unit_path", "id"], name="obligation_cycle_tree"
            ),
        ),
        migrations.AddIndex(
            model_name="reportversion",
            index=models.Index(fields=["id", "score"], name="version_score"),
        ),
        migrations.AddIndex(
            model_name="obligation",
            index=models.Index(
                condition=models.Q(("state", "published")),
                fields=["-published_at", "id"],
                name="obligation_published",
            ),
        ),
    ]
