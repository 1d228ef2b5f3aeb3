"""Test data built through the real services, so tests see what users would create."""

import itertools

from app.domain.vocabulary import OrgLevel, Rank, RoleName, WorkCategory
from app.extensions import db
from app.services.accounts import create_user, grant_role
from app.services.org import create_org_unit

PASSWORD = "Secret@2026"  # noqa: S105
_numbers = itertools.count(1)


def make_unit(code, name, level=OrgLevel.STREET, parent=None):
    return create_org_unit(code=code, name=name, level=level, parent=parent, actor=None)


def make_tree() -> dict:
    city = make_unit("500000", "重庆市", OrgLevel.CITY)
    yuzhong = make_unit("500103", "渝中区", OrgLevel.DISTRICT, city)
    jiangbei = make_unit("500105", "江北区", OrgLevel.DISTRICT, city)
    tree = {
        "city": city,
        "yuzhong": yuzhong,
        "jiangbei": jiangbei,
        "jiefangbei": make_unit("500103001", "解放碑街道", OrgLevel.STREET, yuzhong),
        "chaotianmen": make_unit("500103002", "朝天门街道", OrgLevel.STREET, yuzhong),
        "guanyinqiao": make_unit("500105001", "观音桥街道", OrgLevel.STREET, jiangbei),
    }
    db.session.commit()
    return tree


def make_user(*, unit, username=None, name="测试学员", roles=(), scope=None,
              rank=Rank.STAFF, category=WorkCategory.SOCIAL_GOVERNANCE, password=PASSWORD):
    user = create_user(username=username or f"T{next(_numbers):06d}", name=name, org_unit=unit,
                       rank=rank, category=category, password=password, actor=None)
    for role in roles:
        grant_role(user, RoleName(role), scope=scope if role == RoleName.HR else None, actor=None)
    return user
