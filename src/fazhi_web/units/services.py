"""Changes to units, users and roles. Each checks the actor's scope and writes the audit log.

Units are never deleted, only hidden with a reason. Passwords never reach the log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi_web.accounts.models import AccountState
from fazhi_web.accounts.services import check_new_password
from fazhi_web.audit.log import record
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import Access, access_for
from fazhi_web.units.models import Level, Membership, Role, Unit
from fazhi_web.units.xlsx import SheetRow

NAME_MAX = 100
REGION_MAX = 100
REASON_MAX = 200

# Within a government, its departments and zones come before the governments below it.
_LEVEL_ORDER = {
    Level.PROVINCE: 0,
    Level.DEPARTMENT: 1,
    Level.ZONE: 2,
    Level.CITY: 3,
    Level.COUNTY: 4,
    Level.TOWN: 5,
}


def tree_order(units: Iterable[Unit]) -> list[tuple[Unit, int]]:
    """Units depth-first with their depth below the topmost unit given.

    Built in Python rather than by ordering on `path`: PostgreSQL's locale
    collation ignores the slashes, which would interleave subtrees.
    """
    units = list(units)
    ids = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for u in units:
        children[u.parent_id if u.parent_id in ids else None].append(u)
    for siblings in children.values():
        siblings.sort(key=lambda u: (_LEVEL_ORDER.get(u.level, 9), u.pk))
    out: list[tuple[Unit, int]] = []
    stack = [(u, 0) for u in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        out.append((unit, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(unit.pk, [])))
    return out


def snapshot(unit: Unit) -> dict[str, Any]:
    return {
        "name": unit.name,
        "level": unit.level,
        "region": unit.region,
        "parent": unit.parent.name if unit.parent_id else None,
        "parent_id": unit.parent_id,
        "hidden_reason": unit.hidden_reason,
    }


def _admin_access(actor: Any) -> Access:
    access = access_for(actor)
    if not access.is_admin:
        raise ActionRefused("您没有管理单位和用户的权限。")
    return access


# Official names are written with full-width brackets: 东江市（高新区）管委会.
_FULL_WIDTH_BRACKETS = str.maketrans("()", "（）")


def normal_name(name: str) -> str:
    """A unit's name as stored and shown: single spaces, full-width brackets."""
    return " ".join((name or "").split()).translate(_FULL_WIDTH_BRACKETS)


def _clean_name(name: str) -> str:
    name = normal_name(name)
    if not name:
        raise ActionRefused("请填写单位名称。")
    if len(name) > NAME_MAX:
        raise ActionRefused(f"单位名称不能超过{NAME_MAX}个字。")
    return name


def _clean_region(region: str) -> str:
    region = " ".join((region or "").split())
    if len(region) > REGION_MAX:
        raise ActionRefused(f"地区不能超过{REGION_MAX}个字。")
    return region


def _clean_level(level: str) -> str:
    if level not in Level.values:
        raise ActionRefused("请选择有效的层级。")
    return level


def _lock(unit: Unit) -> None:
    """Lock the row and bring the caller's instance up to date, so checks see the stored state."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    unit.refresh_from_db()


def _check_new_parent(access: Access, parent: Unit | None, unit: Unit | None = None) -> None:
    if parent is None:
        if not access.is_superuser:
            raise ActionRefused("请选择上级单位。")
        return
    parent.refresh_from_db()
    if not access.can_admin(parent):
        raise ActionRefused("上级单位不在您的管理范围内。")
    if parent.is_hidden:
        raise ActionRefused(f"上级单位“{parent.name}”已隐藏，不能在其下设置单位。")
    if unit is not None and parent.path.startswith(unit.path):
        raise ActionRefused("不能把单位移到它自己或它的下级单位之下。")


def _check_unique(name: str, parent: Unit | None, exclude: Unit | None = None) -> None:
    siblings = Unit.objects.filter(parent=parent) if parent else Unit.objects.filter(parent=None)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.filter(name=name).exists():
        where = f"“{parent.name}”下" if parent else "顶级单位中"
        raise ActionRefused(f"{where}已有名为“{name}”的单位。")


@transaction.atomic
def create_unit(actor: Any, *, name: str, level: str, region: str, parent: Unit | None) -> Unit:
    access = _admin_access(actor)
    name, level, region = _clean_name(name), _clean_level(level), _clean_region(region)
    _check_new_parent(access, parent)
    _check_unique(name, parent)
    unit = Unit.objects.create(name=name, level=level, region=region, parent=parent)
    record(
        actor,
        "unit.create",
        f"新建单位“{name}”（{Level(level).label}）",
        unit=unit,
        obj=unit,
        after=snapshot(unit),
    )
    return unit


@transaction.atomic
def update_unit(
    actor: Any, unit: Unit, *, name: str, level: str, region: str, parent: Unit | None
) -> Unit:
    """Change a unit; moving it needs the new parent in scope (the subtree moves along)."""
    access = _admin_access(actor)
    _lock(unit)
    if not access.can_admin(unit):
        raise ActionRefused("该单位不在您的管理范围内。")
    name, level, region = _clean_name(name), _clean_level(level), _clean_region(region)
    parent_id = parent.pk if parent else None
    if parent_id != unit.parent_id:
        _check_new_parent(access, parent, unit)
    _check_unique(name, parent, exclude=unit)
    before = snapshot(unit)
    unit.name, unit.level, unit.region, unit.parent = name, level, region, parent
    after = snapshot(unit)
    if after == before:
        return unit
    unit.save()
    record(
        actor,
        "unit.update",
        f"修改单位“{before['name']}”",
        unit=unit,
        obj=unit,
        before=before,
        after=after,
    )
    return unit


@transaction.atomic
def hide_unit(actor: Any, unit: Unit, reason: str) -> Unit:
    access = _admin_access(actor)
    _lock(unit)
    if not access.can_admin(unit):
        raise ActionRefused("该单位不在您的管理范围内。")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ActionRefused("请填写隐藏原因。")
    if len(reason) > REASON_MAX:
        raise ActionRefused(f"隐藏原因不能超过{REASON_MAX}个字。")
    if unit.is_hidden:
        raise ActionRefused("该单位已经隐藏。")
    if not access.is_superuser and unit.path in access.admin_paths:
        raise ActionRefused("不能隐藏您本人所在的管理单位。")
    visible_children = unit.descendants().filter(hidden_reason="").count()
    if visible_children:
        raise ActionRefused(
            f"该单位下还有{visible_children}个未隐藏的下级单位，请先隐藏或移走下级单位。"
        )
    before = snapshot(unit)
    unit.hidden_reason = reason
    unit.save(update_fields=["hidden_reason"])
    record(
        actor,
        "unit.hide",
        f"隐藏单位“{unit.name}”：{reason}",
        unit=unit,
        obj=unit,
        before=before,
        after=snapshot(unit),
    )
    return unit


# -- import ------------------------------------------------------------------

_LEVEL_ALIASES = {
    "街道": Level.TOWN,
    "乡镇": Level.TOWN,
    "园区": Level.ZONE,
    "部门": Level.DEPARTMENT,
}


def _norm(text: str) -> str:
    return "".join(text.split()).replace("（", "(").replace("）", ")").lower()


def parse_level(text: str) -> str | None:
    """A level code from its code, its full label or the label's short form (县级, 开发区)."""
    key = _norm(text)
    for level in Level:
        if key in (level.value, _norm(level.label), _norm(level.label).split("(")[0]):
            return level.value
    alias = _LEVEL_ALIASES.get(key)
    return alias.value if alias else None


LEVEL_HELP = "省级、市级、县级、乡镇（街道）、政府部门、开发区（园区）"


class ImportRefused(Exception):
    """The sheet has errors; nothing was imported."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass(eq=False)
class _Node:
    """A unit in scope, or one a row of the sheet will create."""

    name: str
    parent: _Node | None  # None: top of the actor's scope
    unit: Unit | None = None
    row: int | None = None  # the first row that names this unit
    level: str = ""
    region: str = ""

    def chain(self) -> list[str]:
        names: list[str] = []
        node: _Node | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return names[::-1]


class _Scope:
    """The units an actor administers, looked up by name the way the sheet refers to them."""

    def __init__(self, access: Access) -> None:
        units = list(access.administrable_units().select_related("parent"))
        self.nodes: dict[int, _Node] = {u.pk: _Node(u.name, None, unit=u) for u in units}
        for u in units:
            self.nodes[u.pk].parent = self.nodes.get(u.parent_id) if u.parent_id else None
        self.by_name: dict[str, list[_Node]] = defaultdict(list)
        self.children: dict[tuple[int, str], _Node] = {}
        self.tops: dict[str, list[_Node]] = defaultdict(list)
        for node in self.nodes.values():
            self._index(node)

    def _index(self, node: _Node) -> None:
        self.by_name[node.name].append(node)
        if node.parent is None:
            self.tops[node.name].append(node)
        else:
            self.children[(id(node.parent), node.name)] = node

    def add(self, node: _Node) -> None:
        self._index(node)

    def label(self, unit: Unit) -> str:
        """How the sheet names this unit as a parent: its name, or its path if the name repeats."""
        node = self.nodes[unit.pk]
        if len(self.by_name[node.name]) == 1:
            return node.name
        return "/".join(node.chain())

    def resolve(self, ref: str) -> list[_Node]:
        segments = [normal_name(s) for s in ref.split("/")]
        if not all(segments):
            return []
        found = []
        for node in self.by_name.get(segments[-1], []):
            chain = node.chain()
            if chain[-len(segments) :] == segments and len(chain) >= len(segments):
                found.append(node)
        return found


def export_rows(actor: Any) -> list[tuple[str, str, str, str]]:
    """The actor's visible units as sheet rows, parents before children, ready to re-import."""
    access = _admin_access(actor)
    scope = _Scope(access)
    units = [n.unit for n in scope.nodes.values() if n.unit is not None and not n.unit.is_hidden]
    rows = []
    for unit, _depth in tree_order(units):
        node = scope.nodes[unit.pk]
        parent = scope.label(node.parent.unit) if node.parent and node.parent.unit else ""
        rows.append((unit.name, Level(unit.level).label, unit.region, parent))
    return rows


def _plan(access: Access, scope: _Scope, rows: list[SheetRow]) -> tuple[list[_Node], list[str]]:
    """Every row checked against scope and earlier rows; nothing is written here."""
    errors: list[str] = []
    plan: list[_Node] = []
    if not rows:
        return plan, ["表格中没有数据行。"]
    for row in rows:
        at = f"第{row.number}行："
        problems: list[str] = []
        name = normal_name(row.name)
        if not name:
            errors.append(f"{at}名称不能为空。")
            continue
        if len(name) > NAME_MAX:
            problems.append(f"名称不能超过{NAME_MAX}个字")
        level = parse_level(row.level) if row.level else None
        if not row.level:
            problems.append("层级不能为空")
        elif level is None:
            problems.append(f"层级“{row.level}”无法识别，应为{LEVEL_HELP}之一")
        if len(row.region) > REGION_MAX:
            problems.append(f"地区不能超过{REGION_MAX}个字")

        node: _Node | None = None
        if not row.parent:
            tops = scope.tops.get(name, [])
            if len(tops) > 1:
                problems.append(f"您的管理范围内有多个名为“{name}”的顶级单位，无法确定是哪一个")
            elif tops:
                node = tops[0]
            elif access.is_superuser:
                node = _Node(name, None)
            else:
                problems.append("上级单位不能为空（只能在您管理范围内的单位下新建单位）")
        else:
            parents = scope.resolve(row.parent)
            if not parents:
                problems.append(
                    f"上级单位“{row.parent}”不存在或不在您的管理范围内，也未在表中此前的行出现"
                )
            elif len(parents) > 1:
                problems.append(
                    f"上级单位“{row.parent}”有多个同名单位，请写成“上级单位/{row.parent}”的形式"
                )
            else:
                parent = parents[0]
                node = scope.children.get((id(parent), name))
                if node is None:
                    if parent.unit is not None and parent.unit.is_hidden:
                        problems.append(f"上级单位“{row.parent}”已隐藏，不能在其下新建单位")
                    else:
                        node = _Node(name, parent)
        if node is not None and node.row is not None:
            problems.append(f"与第{node.row}行重复")
            node = None
        if problems:
            errors.append(at + "；".join(problems) + "。")
        if node is None:
            continue
        node.row = row.number
        node.level = level or ""
        node.region = row.region
        if node.unit is None:
            # Later rows may name it as their parent even when this row has other errors.
            scope.add(node)
        plan.append(node)
    return plan, errors


def _common_unit(access: Access, units: list[Unit]) -> Unit | None:
    """The lowest unit above all of these that the actor administers: where the log entry goes."""
    if not units:
        return None
    split = [u.path.strip("/").split("/") for u in units]
    common: list[str] = []
    for ids in zip(*split, strict=False):
        if len(set(ids)) != 1:
            break
        common.append(ids[0])
    while common:
        unit = Unit.objects.filter(pk=int(common[-1])).first()
        if unit is not None and access.can_admin(unit):
            return unit
        common.pop()
    first = access.admin_paths[0] if access.admin_paths else None
    return Unit.objects.filter(path=first).first() if first else None


@transaction.atomic
def import_units(actor: Any, rows: list[SheetRow], filename: str = "") -> ImportResult:
    """Create or update the sheet's units: all of them, or none if any row is wrong."""
    access = _admin_access(actor)
    scope = _Scope(access)
    plan, errors = _plan(access, scope, rows)
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    changes: list[dict[str, Any]] = []
    touched: list[Unit] = []
    for node in plan:
        if node.unit is None:
            parent = node.parent.unit if node.parent else None
            node.unit = Unit.objects.create(
                name=node.name, level=node.level, region=node.region, parent=parent
            )
            result.created.append(node.name)
            touched.append(node.unit)
            changes.append({"row": node.row, "created": snapshot(node.unit)})
        elif (node.unit.level, node.unit.region) != (node.level, node.region):
            before = snapshot(node.unit)
            node.unit.level, node.unit.region = node.level, node.region
            node.unit.save(update_fields=["level", "region"])
            result.updated.append(node.name)
            touched.append(node.unit)
            changes.append({"row": node.row, "before": before, "after": snapshot(node.unit)})
        else:
            result.unchanged.append(node.name)
    record(
        actor,
        "unit.import",
        f"从表格{('“' + filename + '”') if filename else ''}导入单位：新建{len(result.created)}个，"
        f"更新{len(result.updated)}个，未变化{len(result.unchanged)}个",
        unit=_common_unit(access, touched or [n.unit for n in plan if n.unit is not None]),
        after={
            "file": filename,
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
            "changes": changes,
        },
    )
    return result


# -- users and roles ---------------------------------------------------------


def _clean_role(role: str) -> str:
    if role not in Role.values:
        raise ActionRefused("请选择有效的角色。")
    return role


@transaction.atomic
def create_user(
    actor: Any,
    *,
    username: str,
    full_name: str,
    password: str,
    unit: Unit,
    role: str,
    must_change_password: bool = True,
) -> Any:
    """A new account with its first role. The password is hashed and never logged; the
    user changes it at first login unless the administrator said otherwise."""
    access = _admin_access(actor)
    if not access.can_admin(unit):
        raise ActionRefused("所选单位不在您的管理范围内。")
    if unit.is_hidden:
        raise ActionRefused(f"单位“{unit.name}”已隐藏，不能在其下添加用户。")
    role = _clean_role(role)
    user_model = get_user_model()
    username = (username or "").strip()
    full_name = " ".join((full_name or "").split())
    if not username:
        raise ActionRefused("请填写用户名。")
    try:
        user_model.username_validator(username)
    except ValidationError:
        raise ActionRefused("用户名只能包含字母、数字和 @/./+/-/_ 字符。") from None
    if len(username) > 150:
        raise ActionRefused("用户名不能超过150个字符。")
    if not full_name:
        raise ActionRefused("请填写姓名。")
    if len(full_name) > 150:
        raise ActionRefused("姓名不能超过150个字。")
    if user_model.objects.filter(username__iexact=username).exists():
        raise ActionRefused(f"用户名“{username}”已被使用。")
    # Created first so that the password is checked against the unit's name too; a
    # refused password rolls the account back with the transaction.
    user = user_model.objects.create_user(username, first_name=full_name)
    Membership.objects.create(user=user, unit=unit, role=role)
    check_new_password(user, password)
    user.set_password(password)
    user.save(update_fields=["password"])
    AccountState.objects.create(user=user, must_change_password=must_change_password)
    record(
        actor,
        "user.create",
        f"新建用户“{username}”（{full_name}），担任{unit.name}{Role(role).label}",
        unit=unit,
        obj=user,
        after={
            "username": username,
            "name": full_name,
            "unit": unit.name,
            "role": role,
            "must_change_password": must_change_password,
        },
    )
    return user


@transaction.atomic
def add_membership(actor: Any, *, user: Any, unit: Unit, role: str) -> Membership:
    access = _admin_access(actor)
    if not access.can_admin(unit):
        raise ActionRefused("所选单位不在您的管理范围内。")
    if unit.is_hidden:
        raise ActionRefused(f"单位“{unit.name}”已隐藏，不能在其下添加用户。")
    role = _clean_role(role)
    if not user.is_active:
        raise ActionRefused("该用户已停用。")
    if Membership.objects.filter(user=user, unit=unit, role=role).exists():
        raise ActionRefused(f"该用户已在{unit.name}担任{Role(role).label}。")
    membership = Membership.objects.create(user=user, unit=unit, role=role)
    name = user.get_full_name() or user.get_username()
    record(
        actor,
        "membership.add",
        f"为用户“{user.get_username()}”（{name}）添加{unit.name}{Role(role).label}角色",
        unit=unit,
        obj=membership,
        after={"username": user.get_username(), "unit": unit.name, "role": role},
    )
    return membership
