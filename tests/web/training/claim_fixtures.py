"""People and a claim for the 学时认定 page tests: a cadre who owns the claim, another cadre
of the same street, HR in and out of scope, a trainer and an admin. Each test module makes
fixtures of them (``people = pytest.fixture(claim_people)``)."""

from sqlalchemy import func, select

from app.domain.vocabulary import RoleName
from app.extensions import db
from tests.claim_samples import submit
from tests.factories import make_user

ROLES = ["anonymous", "owner", "other_cadre", "hr_in_scope", "hr_out_of_scope", "trainer",
         "admin"]


def claim_people(tree):
    people = {
        "owner": make_user(unit=tree["jiefangbei"], name="张晓明"),
        "other_cadre": make_user(unit=tree["jiefangbei"], name="李红"),
        "hr_in_scope": make_user(unit=tree["yuzhong"], roles=[RoleName.HR],
                                 scope=tree["yuzhong"]),
        "hr_out_of_scope": make_user(unit=tree["jiangbei"], roles=[RoleName.HR],
                                     scope=tree["jiangbei"]),
        "trainer": make_user(unit=tree["city"], roles=[RoleName.TRAINER]),
        "admin": make_user(unit=tree["city"], roles=[RoleName.ADMIN]),
    }
    db.session.commit()
    return people


def owners_claim(people):
    """The owner's pending claim of 11–12 May 2026, 12 hours, with a PDF proof."""
    claim = submit(people["owner"], now=None)
    db.session.commit()
    return claim


def sign_in(login_as, people, role):
    if role != "anonymous":
        login_as(user=people[role])


def switch_to(client, login_as, user):
    client.post("/auth/logout")
    login_as(user=user)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))
