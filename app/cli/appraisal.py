"""`flask --app wsgi appraise --year 2026 [--org CODE]`: run the annual appraisal."""

import click

from app.domain.appraisal import Rating
from app.extensions import db
from app.models.types import utcnow
from app.services.appraisal.closing import YearClosed
from app.services.appraisal.run import run_appraisal
from app.services.people.org import find_unit_by_code

RATING_NAMES = {Rating.EXCELLENT: "优秀", Rating.PASS: "合格", Rating.BASIC: "基本合格",
                Rating.FAIL: "不合格", Rating.EXEMPT: "免考核"}


@click.command("appraise")
@click.option("--year", type=click.IntRange(2000, 2100), required=True,
              help="The appraisal year.")
@click.option("--org", "org_code", default=None,
              help="Org unit code: appraise only its subtree (default: the whole city).")
def appraise_command(year: int, org_code: str | None):
    """Compute index, components and rating of every active cadre in scope for the year."""
    unit = None
    if org_code:
        unit = find_unit_by_code(org_code)
        if unit is None:
            raise click.BadParameter(f"no org unit with code {org_code}", param_hint="--org")
    try:
        summary = run_appraisal(year, unit=unit, actor=None, now=utcnow())
    except YearClosed as error:
        raise click.ClickException(
            f"the {year} appraisal is closed; nothing was changed. HR must reopen the year "
            "(with a reason) on the appraisal page first.") from error
    db.session.commit()
    scope = f"{unit.name} ({unit.code})" if unit else "全市"
    click.echo(f"{year} {scope}: {summary.cadres} cadres appraised (run {summary.run_id}).")
    for rating, count in summary.ratings.items():
        click.echo(f"  {RATING_NAMES[rating]}: {count}")
