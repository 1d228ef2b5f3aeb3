from sqlalchemy import select

from app.domain.appraisal import Rating
from app.models import AppraisalResult
from tests.factories import make_user


def test_appraise_runs_the_city_or_one_unit(runner, tree, db):
    inside = make_user(unit=tree["jiefangbei"])
    outside = make_user(unit=tree["guanyinqiao"])
    db.session.commit()

    result = runner.invoke(args=["appraise", "--year", "2026", "--org", "500103"])
    assert result.exit_code == 0, result.output
    assert "渝中区 (500103): 1 cadres appraised" in result.output
    assert "不合格: 1" in result.output
    rows = db.session.scalars(select(AppraisalResult)).all()
    assert [(r.user_id, r.year, r.rating) for r in rows] == [(inside.id, 2026, Rating.FAIL)]

    result = runner.invoke(args=["appraise", "--year", "2026"])
    assert result.exit_code == 0 and "全市: 2 cadres appraised" in result.output
    assert {r.user_id for r in db.session.scalars(select(AppraisalResult))} == {
        inside.id, outside.id}


def test_appraise_refuses_an_unknown_unit_or_year(runner, tree):
    result = runner.invoke(args=["appraise", "--year", "2026", "--org", "999"])
    assert result.exit_code != 0 and "no org unit with code 999" in result.output
    result = runner.invoke(args=["appraise", "--year", "1900"])
    assert result.exit_code != 0 and "--year" in result.output
