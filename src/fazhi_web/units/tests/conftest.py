"""More administrators around the shared world, and a way to build .xlsx sheets."""

from __future__ import annotations

import io
from collections.abc import Iterable

import openpyxl
import pytest
from django.contrib.auth.models import User

from fazhi_web.conftest import PASSWORD
from fazhi_web.units.models import Membership, Role


def sheet(
    rows: Iterable[Iterable[object]], header: Iterable[str] = ("名称", "层级", "地区", "上级单位")
) -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_sheet(content: bytes) -> list[tuple]:
    ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]


@pytest.fixture
def other_admin(world) -> User:
    user = User.objects.create_user("other_admin", password=PASSWORD, first_name="钱管理")
    Membership.objects.create(user=user, unit=world.other_city, role=Role.ADMIN)
    return user


@pytest.fixture
def district_admin(world) -> User:
    user = User.objects.create_user("district_admin", password=PASSWORD, first_name="孙管理")
    Membership.objects.create(user=user, unit=world.district, role=Role.ADMIN)
    return user


@pytest.fixture
def superuser(world) -> User:
    return User.objects.create_superuser("root", password=PASSWORD)
