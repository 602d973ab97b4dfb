"""A fixed world for the platform's tests.

Two offices: 东江市 (the demo city) and 西山市 (another city, another office).
Users, one per role, plus `outsider` who has an account but no role, and
`other_reviewer` / `other_reporter` on the other office's side, so that every
view gets a test that tries to cross a boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from fazhi_web.units.models import Level, Membership, Role, Unit

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "reports"
PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    city: Unit
    district: Unit
    town: Unit
    bureau: Unit
    district_bureau: Unit
    other_city: Unit
    other_town: Unit
    reviewer: User
    reporter: User
    admin: User
    outsider: User
    other_reviewer: User
    other_reporter: User
    district_reporter: User


def _user(username: str, unit: Unit | None, role: str | None, **extra: Any) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=extra.pop("name", ""))
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    # Real hashing costs seconds per fixture world; tests need logins, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages are rendered without `collectstatic` having run: plain static storage
    # (the deployment's manifest storage would refuse files not yet collected).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def world(db) -> World:
    city = Unit.objects.create(name="东江市", level=Level.CITY, region="东江市")
    district = Unit.objects.create(
        name="东江市南湖区", level=Level.COUNTY, region="东江市南湖区", parent=city
    )
    town = Unit.objects.create(
        name="南湖区清河镇", level=Level.TOWN, region="东江市南湖区清河镇", parent=district
    )
    bureau = Unit.objects.create(
        name="东江市司法局", level=Level.DEPARTMENT, region="东江市", parent=city
    )
    district_bureau = Unit.objects.create(
        name="南湖区市场监督管理局", level=Level.DEPARTMENT, region="东江市南湖区", parent=district
    )
    other_city = Unit.objects.create(name="西山市", level=Level.CITY, region="西山市")
    other_town = Unit.objects.create(
        name="西山市白石镇", level=Level.TOWN, region="西山市白石镇", parent=other_city
    )
    return World(
        city=city,
        district=district,
        town=town,
        bureau=bureau,
        district_bureau=district_bureau,
        other_city=other_city,
        other_town=other_town,
        reviewer=_user("reviewer", city, Role.REVIEWER, name="李审查"),
        reporter=_user("reporter", town, Role.REPORTER, name="王填报"),
        admin=_user("admin", city, Role.ADMIN, name="赵管理"),
        outsider=_user("outsider", None, None, name="路人"),
        other_reviewer=_user("other_reviewer", other_city, Role.REVIEWER),
        other_reporter=_user("other_reporter", other_town, Role.REPORTER),
        district_reporter=_user("district_reporter", district, Role.REPORTER),
    )


@pytest.fixture
def seed_bytes() -> dict[str, bytes]:
    """The five real reports by prefix ("000".."004")."""
    return {p.name[:3]: p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))}
