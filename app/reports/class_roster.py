"""A training class's roster and attendance sheet for signing (培训班学员名册及签到表), A4.

The class's particulars at the top, then the members (name, employee number, unit) with an
empty signature column per session: one table with a column per session when the class
has at most FEW_SESSIONS sessions, else one sheet per session, each on a page of its own
(headed with its date, time, topic and teacher) so the sheets can go round separately.
Rows are tall enough to sign in; long lists split across pages with the header repeated.
``ClassRoster`` is what the document draws (app.services.training.documents builds it).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from reportlab.platypus import Flowable, PageBreak, Spacer, TableStyle

from app.domain.class_completion import plain_hours
from app.domain.learning import CITY_TIMEZONE
from app.reports.cadre_record import Writer
from app.reports.theme import build_document, register_cjk_font

#: Up to this many sessions, one table with a signature column per session.
FEW_SESSIONS = 3
SIGNING_PADDING = 8  # points above and below a row's text: room for a signature
#: Columns before the signature columns: number, name, employee number, unit.
MEMBER_WIDTHS = [0.06, 0.13, 0.13, 0.24]


@dataclass(frozen=True)
class ClassHeader:
    """The class's particulars, printed at the top of both class documents."""

    title: str
    organizer: str
    venue: str
    unit_name: str  # the org unit the class belongs to
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class RosterMember:
    name: str
    username: str  # the employee number (工号)
    unit_name: str


@dataclass(frozen=True)
class RosterSession:
    starts_at: datetime
    ends_at: datetime
    topic: str
    teacher: str
    hours: Decimal


@dataclass(frozen=True)
class ClassRoster:
    header: ClassHeader
    sessions: list[RosterSession]
    members: list[RosterMember]


def session_time(session) -> str:
    """2026-11-02 09:00–12:00 in the city's time."""
    starts = session.starts_at.astimezone(CITY_TIMEZONE)
    ends = session.ends_at.astimezone(CITY_TIMEZONE)
    return f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}"


def header_block(header: ClassHeader, w: Writer, extra: list[tuple[str, str]]) -> list[Flowable]:
    dates = f"{header.starts_on.isoformat()} – {header.ends_on.isoformat()}"
    return [w.pairs([(_("Class"), header.title), (_("Organizer"), header.organizer),
                     (_("Venue"), header.venue), (_("Dates"), dates),
                     (_("Org unit"), header.unit_name), *extra])]


def roster_title(header: ClassHeader) -> str:
    return _("Roster and attendance sheet · %(title)s", title=header.title)


def class_roster_story(roster: ClassRoster, w: Writer) -> list[Flowable]:
    story: list[Flowable] = [
        w.text(roster_title(roster.header), w.styles.title),
        *header_block(roster.header, w, [
            (_("Number of members"), str(len(roster.members))),
            (_("Number of sessions"), str(len(roster.sessions)))]),
        Spacer(0, 8)]
    if not roster.members:
        return story + [w.empty(_("No enrolled members."))]
    if not roster.sessions:
        return story + [w.empty(_("No sessions scheduled."))] + _sheet(roster.members, [], w)
    if len(roster.sessions) <= FEW_SESSIONS:
        return story + [*w.heading(_("Attendance sheet")), w.empty(_(
            "Each member signs in the column of every session attended."))] + _sheet(
            roster.members, [session_time(s) for s in roster.sessions], w)
    for number, session in enumerate(roster.sessions, start=1):
        if number > 1:
            story.append(PageBreak())
        story += [*w.heading(_("Session %(number)s · %(time)s · %(topic)s", number=number,
                               time=session_time(session), topic=session.topic)),
                  w.empty(_("Teacher: %(teacher)s · %(hours)s credit hours",
                            teacher=session.teacher or "—",
                            hours=plain_hours(session.hours)))]
        story += _sheet(roster.members, [_("Signature")], w)
    return story


def _sheet(members: list[RosterMember], signatures: list[str], w: Writer) -> list[Flowable]:
    """The members with an empty signature column under each of ``signatures``."""
    if signatures:
        room = 1 - sum(MEMBER_WIDTHS)
        widths = MEMBER_WIDTHS + [room / len(signatures)] * len(signatures)
    else:  # the members alone, across the page
        widths = [width / sum(MEMBER_WIDTHS) for width in MEMBER_WIDTHS]
    header = [_("No."), _("Name"), _("Employee number"), _("Unit"), *signatures]
    rows = [(number, m.name, m.username, m.unit_name, *[""] * len(signatures))
            for number, m in enumerate(members, start=1)]
    tables = w.table(header, rows, widths)
    padding = TableStyle([("TOPPADDING", (0, 1), (-1, -1), SIGNING_PADDING),
                          ("BOTTOMPADDING", (0, 1), (-1, -1), SIGNING_PADDING)])
    for table in tables:
        table.setStyle(padding)
    return tables


def render_class_roster_pdf(roster: ClassRoster, *, generated_by: str, generated_at: datetime,
                            font_path: str = "") -> bytes:
    font = register_cjk_font(font_path)
    return build_document(
        class_roster_story(roster, Writer(font)), title=roster_title(roster.header),
        unit=roster.header.unit_name, year=roster.header.ends_on.year,
        generated_by=generated_by, generated_at=generated_at.astimezone(CITY_TIMEZONE),
        font=font)
