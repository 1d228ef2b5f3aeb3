"""Finding people within the acting user's scope."""

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from app.models import OrgUnit, User
from app.services.access import people_scope_condition
from app.services.paging import Page, paginate


def search_people(*, actor: User, text: str = "", page: int = 1, per_page: int = 50) -> Page:
    """People the actor may see, filtered by name, employee number or unit name."""
    condition = people_scope_condition(actor)
    if text:
        pattern = f"%{escape_like(text)}%"
        condition = condition & or_(User.name.ilike(pattern, escape="\\"),
                                    User.username.ilike(pattern, escape="\\"),
                                    OrgUnit.name.ilike(pattern, escape="\\"))
    statement = (
        select(User).join(OrgUnit, User.org_unit_id == OrgUnit.id).where(condition)
        .options(contains_eager(User.org_unit))
        .order_by(OrgUnit.path, User.username)
    )
    return paginate(statement, page=page, per_page=per_page)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
