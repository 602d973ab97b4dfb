"""Seed the calendar table with the national holidays of the engine's data file."""

from django.db import migrations


def seed(apps, schema_editor):
    from fazhi import calendar

    CalendarDay = apps.get_model("ledgers", "CalendarDay")
    CalendarYear = apps.get_model("ledgers", "CalendarYear")
    national = calendar.national()
    known = set(CalendarYear.objects.values_list("year", flat=True))
    years = sorted(national.announced - known)
    source = calendar.NATIONAL_SOURCE
    days = [
        CalendarDay(date=d, kind="holiday", name=n, source=source)
        for d, n in national.holidays.items()
        if d.year in years
    ] + [
        CalendarDay(date=d, kind="workday", name=n, source=source)
        for d, n in national.workdays.items()
        if d.year in years
    ]
    CalendarDay.objects.bulk_create(days)
    CalendarYear.objects.bulk_create([CalendarYear(year=y, source=source) for y in years])


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
