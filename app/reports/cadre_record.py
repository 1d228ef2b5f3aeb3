"""A cadre's training record (干部数字能力培训档案) as a PDF: plain data in, bytes out.

``CadreRecord`` and its lines are what the document draws (app.services.records.documents
builds them from the learning record, the appraisal and the certificates).

``cadre_record_story`` gives the flowables of one record, so the batch document
(app.reports.batch) prints many records with the same code. Every name, title and
free text from the database goes through ``escape_markup`` before a Paragraph sees it.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from app.domain.appraisal import Rating
from app.domain.competency import ProficiencyLevel
from app.domain.learning import CITY_TIMEZONE
from app.domain.record_lines import CompletedCourse, HourLine, QuizLine, VideoLine
from app.domain.vocabulary import (
    AppealRemedy,
    AppealStatus,
    CertificateKind,
    CertificateStatus,
    CompetencyArea,
    CreditKind,
    QuizKind,
    Rank,
    WorkCategory,
)
from app.labels import label
from app.reports.charts import RadarChart, as_flowable
from app.reports.palette import RULE
from app.reports.theme import (
    FontChoice,
    Styles,
    build_document,
    drawable_text,
    escape_markup,
    paragraph_styles,
    register_cjk_font,
    split_table,
)

WIDTH = 174 * mm  # A4 less the theme's margins
#: The room a heading needs on its page: itself, a note, a table's header and a few rows.
HEADING_ROOM = 40 * mm
RADAR_HEIGHT = 70 * mm
CELL_SIZE = 9  # the theme's table font size
CENT = Decimal("0.01")

NAMES = {
    Rating.EXCELLENT: _l("Excellent"), Rating.PASS: _l("Pass"),
    Rating.BASIC: _l("Basic pass"), Rating.FAIL: _l("Fail"), Rating.EXEMPT: _l("Exempt"),
    ProficiencyLevel.FOUNDATION: _l("Foundation level"),
    ProficiencyLevel.INTERMEDIATE: _l("Intermediate level"),
    ProficiencyLevel.ADVANCED: _l("Advanced level"),
    ProficiencyLevel.EXPERT: _l("Expert level"),
    QuizKind.COURSE: _l("Course quiz"), QuizKind.ANNUAL: _l("Annual test"),
    QuizKind.EXERCISE: _l("Data exercise"),
    CreditKind.REQUIRED: _l("Required"), CreditKind.ELECTIVE: _l("Elective"),
    AppealRemedy.ACCEPT_ANSWER: _l("Answer accepted"),
    AppealRemedy.DROP_QUESTION: _l("Question dropped"),
    AppealRemedy.CHANGE_KEY: _l("Answer key corrected"),
    CertificateStatus.VALID: _l("Valid"), CertificateStatus.REVOKED: _l("Revoked"),
}
COMPONENTS = {"hours": _l("Study hours"), "scores": _l("Course scores"),
              "practice": _l("Data practice"), "coverage": _l("Area coverage")}


@dataclass(frozen=True)
class AreaLine:
    area: CompetencyArea
    mastery: float | None
    items: int
    level: ProficiencyLevel | None


@dataclass(frozen=True)
class AppraisalLine:
    rating: Rating
    index: Decimal | None
    hours: Decimal | None
    hours_target: int | None
    #: Component name (hours, scores, practice, coverage) → (value 0–100, weight).
    components: dict[str, tuple[Decimal, int]] = field(default_factory=dict)
    exemption_reason: str | None = None


@dataclass(frozen=True)
class CertificateLine:
    serial: str
    kind: CertificateKind
    title: str
    hours: Decimal
    score: Decimal | None
    issued_at: datetime
    status: CertificateStatus


@dataclass(frozen=True)
class AppealSummary:
    quiz_title: str
    position: int
    status: AppealStatus
    remedy: AppealRemedy | None
    response: str | None
    created_at: datetime


@dataclass(frozen=True)
class CadreRecord:
    """Everything the 干部数字能力培训档案 prints for one cadre and one year."""

    user_id: int
    username: str
    name: str
    unit_name: str
    unit_code: str
    rank: Rank
    category: WorkCategory
    year: int
    target: Decimal
    required_hours: Decimal
    elective_hours: Decimal
    percent: int
    hours: list[HourLine]
    completed: list[CompletedCourse]
    quizzes: list[QuizLine]
    exercises: list[QuizLine]
    areas: list[AreaLine]
    weakest: CompetencyArea | None
    appraisal: AppraisalLine | None
    certificates: list[CertificateLine]
    appeals: list[AppealSummary]
    #: Lesson videos watched or completed in the year (the section is left out without).
    videos: list[VideoLine] = field(default_factory=list)
    face_to_face_hours: Decimal = Decimal(0)
    recognized_hours: Decimal = Decimal(0)
    #: The year's minimum of online hours (0: none).
    online_minimum: Decimal = Decimal(0)
    #: Every kind of hours of the year and the four before, and the rank's target (0: none).
    five_year_hours: Decimal = Decimal(0)
    five_year_target: Decimal = Decimal(0)

    @property
    def online_hours(self) -> Decimal:
        return self.required_hours + self.elective_hours

    @property
    def total_hours(self) -> Decimal:
        return self.online_hours + self.face_to_face_hours + self.recognized_hours

    @property
    def has_activity(self) -> bool:
        """Anything learned or graded in the year (else the document says so)."""
        return bool(self.hours or self.completed or self.quizzes or self.exercises
                    or self.videos)


def name_of(member) -> str:
    return str(NAMES.get(member) or label(member))


def local_date(moment: datetime | None) -> str:
    return moment.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d") if moment else "—"


def document_title() -> str:
    return _("Cadre digital competency training record")


class Writer:
    """Paragraphs and tables in the document's font, text escaped on the way in."""

    def __init__(self, font: FontChoice):
        self.font = font
        self.styles: Styles = paragraph_styles(font)

    def text(self, value, style=None) -> Paragraph:
        return Paragraph(escape_markup(value, self.font), style or self.styles.body)

    def cell(self, value) -> Paragraph:
        return self.text(value, self.styles.cell)

    def heading(self, value, *, room: float = HEADING_ROOM) -> list[Flowable]:
        """A section's heading, on the next page when less than ``room`` is left on this one.

        Not keepWithNext: ReportLab keeps such a paragraph with the whole next flowable, so
        a heading took its table (up to 45 rows) to the next page and left this one half
        empty. Here what follows fills the page and splits, its header repeated."""
        return [CondPageBreak(room), self.text(value, self.styles.heading)]

    def empty(self, value) -> Paragraph:
        """A note under a heading (what is missing, how to read the table below)."""
        return self.text(value, self.styles.small)

    def fitted(self, value, width: float):
        """A cell: plain text when it fits the column (cheap to lay out, and a Table draws
        it literally), else a wrapping Paragraph. Long tables are mostly short values."""
        if isinstance(value, int | Decimal | float):
            return str(value)  # digits: always drawable, always narrow enough
        text = drawable_text("" if value is None else value, self.font)
        if "\n" not in text and stringWidth(text, self.font.name, CELL_SIZE) <= width - 6:
            return text
        return Paragraph(escape_markup(text, self.font), self.styles.cell)

    def table(self, header, rows, widths) -> list[Flowable]:
        """A table split into page-sized parts with the header repeated."""
        widths = [w * WIDTH for w in widths]
        header = [self.fitted(h, w) for h, w in zip(header, widths, strict=True)]
        rows = [[self.fitted(value, w) for value, w in zip(row, widths, strict=True)]
                for row in rows]
        return split_table(rows, header, widths, font=self.font)

    def pairs(self, pairs) -> Table:
        """Label/value pairs in a four-column grid (the identity block)."""
        cells = [self.cell(item) for pair in pairs for item in pair]
        rows = [cells[i:i + 4] + [""] * (4 - len(cells[i:i + 4])) for i in range(0, len(cells), 4)]
        return Table(rows, colWidths=[0.14 * WIDTH, 0.36 * WIDTH] * 2, hAlign="LEFT",
                     style=TableStyle([("GRID", (0, 0), (-1, -1), 0.4, RULE),
                                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))


def cadre_record_story(record: CadreRecord, font: FontChoice) -> list[Flowable]:
    w = Writer(font)
    story: list[Flowable] = [
        w.text(_("%(title)s · %(name)s", title=document_title(), name=record.name),
               w.styles.title),
        w.pairs([(_("Name"), record.name), (_("Employee number"), record.username),
                 (_("Unit"), record.unit_name), (_("Year"), str(record.year)),
                 (_("Rank"), label(record.rank)), (_("Work category"), label(record.category))]),
        Spacer(0, 3 * mm),
    ]
    if not record.has_activity:
        story.append(w.text(_("No learning recorded in this year.")))
    # The summaries first: the radar is the one block that cannot split, and below the
    # identity and the hours it always fits on the first page. The tables follow and split.
    for section in (_hours, _competency, _hour_lines, _courses, _videos, _assessments,
                    _appraisal, _certificates, _appeals):
        story += section(record, w)
    return story


def _hours(record: CadreRecord, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Credit hours")),
             w.text(_("%(total)s of %(target)s credit hours (%(percent)s％): online "
                      "%(online)s (required %(required)s, elective %(elective)s), "
                      "face-to-face %(face_to_face)s, recognized %(recognized)s.",
                      total=record.total_hours, target=record.target, percent=record.percent,
                      online=record.online_hours, required=record.required_hours,
                      elective=record.elective_hours, face_to_face=record.face_to_face_hours,
                      recognized=record.recognized_hours))]
    if record.online_minimum:
        story.append(w.text(_("Online minimum of the year: %(minimum)s hours.",
                              minimum=record.online_minimum)))
    five_years = _("%(hours)s credit hours over five years (%(first)s–%(last)s).",
                   hours=record.five_year_hours, first=record.year - 4, last=record.year)
    if record.five_year_target:
        five_years = _("%(hours)s of %(target)s credit hours over five years "
                       "(%(first)s–%(last)s).", hours=record.five_year_hours,
                       target=record.five_year_target, first=record.year - 4,
                       last=record.year)
    story.append(w.text(five_years))
    return story + ([] if record.hours else [w.empty(_("No hours credited in this year."))])


def _hour_lines(record: CadreRecord, w: Writer) -> list[Flowable]:
    if not record.hours:
        return []
    return w.heading(_("Hours credited by source")) + w.table(
        [_("Source"), _("Kind"), _("Hours"), _("Credited")],
        [(_source(h), _kind(h), h.hours, local_date(h.credited_at)) for h in record.hours],
        [0.5, 0.16, 0.12, 0.22])


def _source(line: HourLine) -> str:
    text = f"{line.code} {line.title}" if line.code else line.title
    return f"{text} · {line.source}" if line.source else text


def _kind(line: HourLine) -> str:
    return name_of(line.kind) if line.kind else name_of(line.hours_kind)


def _courses(record: CadreRecord, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Courses completed and scores"))]
    if not record.completed:
        return story + [w.empty(_("No course completed in this year."))]
    return story + w.table(
        [_("Course"), _("Hours"), _("Completed"), _("Scores")],
        [(f"{c.code} {c.title}", c.hours, local_date(c.completed_at),
          "；".join(f"{s.title} {s.percent}%" + (" √" if s.passed else "") for s in c.scores)
          or "—") for c in record.completed], [0.36, 0.1, 0.16, 0.38])


def _videos(record: CadreRecord, w: Writer) -> list[Flowable]:
    """Per lesson video: the time the server credited, its share of the video, completion.
    Left out for a cadre who watched none (most courses have no video)."""
    if not record.videos:
        return []
    return [*w.heading(_("Video learning")), w.empty(_(
        "Only watch time the server verified is counted; a video is completed once the share "
        "set by the administrators has been watched."))] + w.table(
        [_("Course"), _("Lesson"), _("Length (minutes)"), _("Watched (minutes)"),
         _("Share watched"), _("Completed")],
        [(f"{v.course_code} {v.course_title}", f"{v.lesson_number}. {v.lesson_title}",
          "—" if v.duration_minutes is None else v.duration_minutes, v.watched_minutes,
          f"{v.percent}%", local_date(v.completed_at) if v.completed_at else _("Not yet"))
         for v in record.videos], [0.26, 0.26, 0.12, 0.12, 0.1, 0.14])


def _result_rows(lines):
    return [((f"{r.course_code} · " if r.course_code else "") + r.title, name_of(r.kind),
             f"{r.percent}%", _("Yes") if r.passed else _("No"), r.attempts) for r in lines]


def _assessments(record: CadreRecord, w: Writer) -> list[Flowable]:
    header = [_("Assessment"), _("Assessment type"), _("Result"), _("Passed"), _("Attempts")]
    widths = [0.44, 0.16, 0.14, 0.12, 0.14]
    story = [*w.heading(_("Quizzes and tests"))]
    story += (w.table(header, _result_rows(record.quizzes), widths) if record.quizzes
              else [w.empty(_("No quiz graded in this year."))])
    story += w.heading(_("Data exercises"))
    story += (w.table(header, _result_rows(record.exercises), widths) if record.exercises
              else [w.empty(_("No data exercise graded in this year."))])
    return story


def _competency(record: CadreRecord, w: Writer) -> list[Flowable]:
    chart = competency_chart(record, w.font)
    # The radar cannot split: the heading moves with it, the table below may split.
    room = HEADING_ROOM + (RADAR_HEIGHT if chart is not None else 0)
    story: list[Flowable] = [*w.heading(_("Competency profile"), room=room), w.empty(_(
        "From every graded answer, recent results weighted more (half-life 180 days); not "
        "limited to the year shown."))]
    if chart is not None:
        story.append(chart)
    rows = [(label(a.area), "—" if a.mastery is None else a.mastery, a.items,
             name_of(a.level) if a.level else _("Not enough evidence")) for a in record.areas]
    story += w.table([_("Area"), _("Mastery"), _("Items"), _("Level")], rows,
                     [0.46, 0.16, 0.12, 0.26])
    if record.weakest is not None:
        story.append(w.empty(_("Weakest area: %(area)s", area=label(record.weakest))))
    return story


def competency_chart(record: CadreRecord, font: FontChoice):
    """The radar of mastery per area, when any area has evidence."""
    if not any(a.mastery is not None for a in record.areas):
        return None
    chart = RadarChart(title=_("Competency profile"),
                       labels=[str(label(a.area)) for a in record.areas],
                       values=[a.mastery for a in record.areas])
    return as_flowable(chart, 90 * mm, RADAR_HEIGHT, font=font, titled=False)


def _appraisal(record: CadreRecord, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Annual appraisal"))]
    line = record.appraisal
    if line is None:
        return story + [w.empty(_("Not appraised for this year yet."))]
    if line.index is None:
        return story + [w.text(_("Rating: %(rating)s. Reason: %(reason)s",
                                 rating=name_of(line.rating), reason=line.exemption_reason))]
    story.append(w.text(_("Rating: %(rating)s, index %(index)s; hours %(hours)s of "
                          "%(target)s.", rating=name_of(line.rating), index=line.index,
                          hours=line.hours, target=line.hours_target)))
    rows = [(COMPONENTS.get(name, name), value, weight,
             (value * weight / 100).quantize(CENT))
            for name, (value, weight) in line.components.items()]
    return story + w.table([_("Component"), _("Score (0–100)"), _("Weight"),
                            _("Contribution")], rows, [0.4, 0.2, 0.2, 0.2])


def _certificates(record: CadreRecord, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Certificates up to the end of the year"))]
    if not record.certificates:
        return story + [w.empty(_("No certificate issued yet."))]
    return story + w.table(
        [_("Serial"), _("Certificate"), _("Hours"), _("Issued"), _("Status")],
        [(c.serial, c.title, c.hours, local_date(c.issued_at), name_of(c.status))
         for c in record.certificates], [0.24, 0.36, 0.1, 0.16, 0.14])


def _appeals(record: CadreRecord, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Appeals"))]
    if not record.appeals:
        return story + [w.empty(_("No appeal filed in this year."))]
    return story + w.table(
        [_("Assessment"), _("Question"), _("Filed"), _("Outcome"), _("Response")],
        [(a.quiz_title, a.position + 1, local_date(a.created_at),
          label(a.status) + (f" · {name_of(a.remedy)}" if a.remedy else ""), a.response or "")
         for a in record.appeals], [0.28, 0.1, 0.14, 0.2, 0.28])


def render_cadre_record_pdf(record: CadreRecord, *, generated_by: str, generated_at: datetime,
                            font_path: str = "") -> bytes:
    font = register_cjk_font(font_path)
    return build_document(
        cadre_record_story(record, font), title=f"{document_title()} · {record.name}",
        unit=record.unit_name, year=record.year, generated_by=generated_by,
        generated_at=generated_at.astimezone(CITY_TIMEZONE), font=font)
