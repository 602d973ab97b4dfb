"""The demo's rectification: a 督察 and a handful of items in every state the screens show."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fazhi_web.rectification import services
from fazhi_web.rectification.models import Inspection, Item, ItemState

pytestmark = pytest.mark.django_db


def test_the_demo_has_closed_overdue_and_escalated_items():
    call_command("load_demo", stdout=io.StringIO())
    items = services.with_due(Item.objects.select_related("unit"), timezone.localdate())
    states = [i.state for i in items]
    assert Inspection.objects.count() == 1 and len(items) == 5
    assert states.count(ItemState.CLOSED) == 2 and ItemState.SUBMITTED in states
    assert sum(i.overdue for i in items) == 1
    assert sum(i.escalated for i in items) == 1
    assert all(i.evidence.exists() for i in items if i.state == ItemState.CLOSED)
    # Run again, it keeps what is there.
    call_command("load_demo", stdout=io.StringIO())
    assert Item.objects.count() == 5
