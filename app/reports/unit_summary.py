"""The org-unit summary PDF (单位年度培训汇总): plain data in, bytes out.

Tiles, four charts (completion by child unit, score distribution, mastery per competency
area, ratings), the table of child units, the compliance list (cadres behind on hours or
overdue on assigned courses) and the commendation list. Long tables are split into
page-sized tables with their header repeated (theme.split_table). ``UnitSummary`` is what
the document draws (app.services.records.documents builds it).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from app.domain.learning import CITY_TIMEZONE
from app.domain.unit_figures import ComplianceList, UnitDashboard
from app.labels import label
from app.reports.cadre_record import HEADING_ROOM, NAMES, WIDTH, Writer
from app.reports.charts import BarChart, DistributionChart, RadarChart, RatingChart, as_flowable
from app.reports.palette import RULE
from app.reports.theme import build_document, register_cjk_font

CHART_WIDTH, CHART_HEIGHT = 85 * mm, 62 * mm
BARS = 15  # units in the completion chart (all of them are in the table below it)


@dataclass(frozen=True)
class CommendationLine:
    kind: str  # "person" or "team"
    name: str
    unit_name: str
    index: Decimal | None
    completion: Decimal | None


@dataclass(frozen=True)
class CommendationSummary:
    confirmed: bool
    lines: list[CommendationLine]


@dataclass(frozen=True)
class UnitSummary:
    """The unit summary document: the dashboard's figures, who is behind, who is commended."""

    unit_name: str
    unit_code: str
    year: int
    dashboard: UnitDashboard
    compliance: ComplianceList
    commendation: CommendationSummary | None


def rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _percent(rate: float | None) -> float | None:
    """A rate as a chart's percent; None (nobody enrolled) stays no data, not 0 %."""
    return None if rate is None else 100 * rate


def number(value) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def document_title(unit_name: str) -> str:
    return _("Annual training summary of %(unit)s", unit=unit_name)


def unit_summary_story(summary: UnitSummary, w: Writer) -> list[Flowable]:
    story: list[Flowable] = [w.text(document_title(summary.unit_name), w.styles.title)]
    if not summary.dashboard.tiles.cadres:
        story.append(w.text(_("This unit has no active cadres.")))
    elif not summary.dashboard.has_data:
        story.append(w.text(_("No learning recorded in this year.")))
    for section in (_tiles, _charts, _children, _compliance, _commendation):
        story += section(summary, w)
    return story


def _tiles(summary: UnitSummary, w: Writer) -> list[Flowable]:
    t = summary.dashboard.tiles
    pairs = [(_("Cadres"), t.cadres), (_("Enrolled"), rate(t.enrolled_rate)),
             (_("Course completion"), rate(t.completion_rate)),
             (_("Average hours"), number(t.average_hours)),
             (_("Met the hours target"), rate(t.on_target_rate)),
             (_("Average score"), number(t.average_score)),
             (_("Appraised"), summary.dashboard.rated)]
    cells = [[w.cell(name) for name, _value in pairs],
             [w.text(str(value), w.styles.heading) for _name, value in pairs]]
    return [*w.heading(_("Key figures")), Table(
        cells, colWidths=[WIDTH / len(pairs)] * len(pairs), hAlign="LEFT",
        style=TableStyle([("GRID", (0, 0), (-1, -1), 0.4, RULE),
                          ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))]


def _charts(summary: UnitSummary, w: Writer) -> list[Flowable]:
    d = summary.dashboard
    shown = d.children[:BARS]
    charts = [
        BarChart(_("Course completion by unit") if len(d.children) <= BARS else
                 _("Course completion by unit (first %(count)s)", count=BARS),
                 [row.unit.name for row in shown],
                 [_percent(row.figures.completion_rate) for row in shown],
                 value_suffix="%", max_value=100),
        DistributionChart(_("Score distribution"), [b.label for b in d.score_buckets],
                          [b.count for b in d.score_buckets]),
        RadarChart(_("Mastery per competency area"), [str(label(m.area)) for m in d.mastery],
                   [m.percent for m in d.mastery]),
        RatingChart(_("Appraisal ratings"), [str(NAMES[r]) for r, _count in d.ratings],
                    [count for _rating, count in d.ratings]),
    ]
    drawings = [as_flowable(chart, CHART_WIDTH, CHART_HEIGHT, font=w.font) for chart in charts]
    grid = Table([drawings[:2], drawings[2:]], colWidths=[WIDTH / 2] * 2, hAlign="LEFT")
    return [*w.heading(_("Charts"), room=CHART_HEIGHT + HEADING_ROOM), grid]


def _children(summary: UnitSummary, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Units"))]
    rows = [(_("%(unit)s (directly)", unit=row.unit.name) if row.own else row.unit.name,
             f.cadres,
             rate(f.enrolled_rate), rate(f.completion_rate), number(f.average_hours),
             rate(f.on_target_rate), number(f.average_score))
            for row in summary.dashboard.children for f in [row.figures]]
    if not rows:
        return story + [w.empty(_("No units below this one."))]
    return story + w.table(
        [_("Unit"), _("Cadres"), _("Enrolled"), _("Course completion"), _("Average hours"),
         _("Met the hours target"), _("Average score")], rows,
        [0.28, 0.1, 0.12, 0.14, 0.12, 0.12, 0.12])


def _compliance(summary: UnitSummary, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Compliance: behind on hours or overdue")), w.empty(_(
        "Hours so far against the full year's target; overdue: assigned courses past their "
        "due date (extensions counted)."))]
    rows = [(r.name, r.username, r.unit_name, label(r.rank), r.hours, r.target,
             _by_kind(r.hours_by_kind), _five_years(r.hours_by_kind),
             r.overdue_courses or "—", local_date_of(r.first_overdue_on))
            for r in summary.compliance.rows]
    if not rows:
        return story + [w.empty(_("Nobody is behind."))]
    return story + w.table(
        [_("Name"), _("Employee number"), _("Unit"), _("Rank"), _("Hours"), _("Target"),
         _("By kind"), _("Five years"), _("Overdue courses"), _("Overdue since")], rows,
        [0.1, 0.1, 0.13, 0.09, 0.07, 0.07, 0.16, 0.09, 0.08, 0.11])


def _by_kind(kinds) -> str:
    """Online (with the minimum when the scheme sets one), face-to-face, recognized."""
    online = f"{kinds.online}/{kinds.online_minimum}" if kinds.online_minimum \
        else str(kinds.online)
    return _("online %(online)s · face-to-face %(face_to_face)s · recognized %(recognized)s",
             online=online, face_to_face=kinds.face_to_face, recognized=kinds.recognized)


def _five_years(kinds) -> str:
    if kinds.five_year_target:
        return f"{kinds.five_year}/{kinds.five_year_target}"
    return str(kinds.five_year)


def local_date_of(day) -> str:
    return day.isoformat() if day else "—"


def _commendation(summary: UnitSummary, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Commendation list"))]
    commendation = summary.commendation
    if commendation is None or not commendation.lines:
        return story + [w.empty(_("No commendation list for this year yet."))]
    story.append(w.empty(_("Confirmed") if commendation.confirmed else
                         _("Proposed, not confirmed yet")))
    rows = [(_("Individual") if line.kind == "person" else _("Team"), line.name,
             line.unit_name, number(line.index),
             "—" if line.completion is None else f"{line.completion}%")
            for line in commendation.lines]
    return story + w.table([_("Kind"), _("Name"), _("Unit"), _("Index"), _("Met the target")],
                           rows, [0.14, 0.26, 0.28, 0.14, 0.18])


def render_unit_summary_pdf(summary: UnitSummary, *, generated_by: str,
                            generated_at: datetime, font_path: str = "") -> bytes:
    font = register_cjk_font(font_path)
    return build_document(
        unit_summary_story(summary, Writer(font)),
        title=document_title(summary.unit_name), unit=summary.unit_name, year=summary.year,
        generated_by=generated_by, generated_at=generated_at.astimezone(CITY_TIMEZONE),
        font=font)

