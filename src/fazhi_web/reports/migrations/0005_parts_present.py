"""Which parts each version's analysis found, kept beside the analysis for the statistics."""

from django.db import migrations, models
from django.db.models.fields.json import KeyTransform


def fill(apps, schema_editor):
    ReportVersion = apps.get_model("reports", "ReportVersion")
    rows = (
        ReportVersion.objects.annotate(parts=KeyTransform("parts", "analysis"))
        .values_list("pk", "parts")
        .iterator(chunk_size=1000)
    )
    batch = []
    for pk, parts in rows:
        found = {p: bool(e.get("present")) for p, e in (parts or {}).items()}
        batch.append(ReportVersion(pk=pk, parts_present=found))
        if len(batch) == 1000:
            ReportVersion.objects.bulk_update(batch, ["parts_present"])
            batch = []
    ReportVersion.objects.bulk_update(batch, ["parts_present"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_tree_path")]

    operations = [
        migrations.AddField(
            model_name="reportversion",
            name="parts_present",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
