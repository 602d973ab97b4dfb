"""Indexes for a national year: units by level, by id with their name, and the hidden ones."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('units', '0002_full_width_brackets'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['level', 'id'], name='unit_level'),
        ),
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['id', 'name'], name='unit_name'),
        ),
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(condition=models.Q(('hidden_reason', ''), _negated=True), fields=['id'], name='unit_hidden'),
        ),
    ]
