"""A training class's summary (培训班总结报告), A4: attendance by session, completion, hours.

The class's particulars and rule, the attendance of each session (present, late, on
leave, absent, and the rate: present or late over the members), then every member's
completion: attendance against the scheduled hours, the linked courses missing, the class
test, the result and why, and the face-to-face hours credited. ``ClassSummary`` is what the
document draws (app.services.training.documents builds it).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from reportlab.platypus import Flowable, Spacer

from app.domain.class_completion import CompletionState, plain_hours
from app.domain.learning import CITY_TIMEZONE
from app.labels import COMPLETION_REASON_LABELS, label
from app.reports.cadre_record import Writer
from app.reports.class_roster import ClassHeader, header_block, session_time
from app.reports.theme import build_document, register_cjk_font


@dataclass(frozen=True)
class SessionAttendance:
    starts_at: datetime
    ends_at: datetime
    topic: str
    hours: Decimal
    present: int
    late: int
    leave: int
    absent: int  # no check-in at all, or marked absent

    @property
    def rate(self) -> str:
        """Present or late over every member, as a percent."""
        members = self.present + self.late + self.leave + self.absent
        if not members:
            return "—"
        return f"{100 * (self.present + self.late) / members:.1f}%"


@dataclass(frozen=True)
class MemberOutcome:
    name: str
    username: str
    unit_name: str
    attended_hours: Decimal
    scheduled_hours: Decimal
    courses_missing: tuple[str, ...]
    test_passed: bool | None  # None: the class has no test
    state: CompletionState
    missing: list[str]  # ClassStanding.missing: "attendance", "courses", "test"
    credited_hours: Decimal | None


@dataclass(frozen=True)
class ClassSummary:
    header: ClassHeader
    attendance_share: int
    finished_on: str | None  # the local date the class was finished, None while open
    sessions: list[SessionAttendance]
    members: list[MemberOutcome]

    @property
    def credited_hours(self) -> Decimal:
        return sum((m.credited_hours or Decimal(0) for m in self.members), Decimal(0))

    def count(self, state: CompletionState) -> int:
        return sum(1 for m in self.members if m.state is state)


def summary_title(header: ClassHeader) -> str:
    return _("Class summary · %(title)s", title=header.title)


def class_summary_story(summary: ClassSummary, w: Writer) -> list[Flowable]:
    status = (_("Finished on %(date)s", date=summary.finished_on) if summary.finished_on
              else _("Not finished yet"))
    story: list[Flowable] = [
        w.text(summary_title(summary.header), w.styles.title),
        *header_block(summary.header, w, [
            (_("Number of members"), str(len(summary.members))), (_("Status"), status),
            (_("Attendance required"), f"{summary.attendance_share}%")]),
        Spacer(0, 8)]
    return story + _attendance(summary, w) + _completion(summary, w)


def _attendance(summary: ClassSummary, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Attendance by session")), w.empty(_(
        "Rate: present or late over the members. Leave is an approved leave request; absent "
        "is no check-in or marked absent."))]
    if not summary.sessions:
        return story + [w.empty(_("No sessions scheduled."))]
    return story + w.table(
        [_("Session"), _("Topic"), _("Hours"), _("Present"), _("Late"), _("Leave"),
         _("Absent"), _("Rate")],
        [(session_time(s), s.topic, plain_hours(s.hours), s.present, s.late, s.leave,
          s.absent, s.rate) for s in summary.sessions],
        [0.24, 0.28, 0.07, 0.08, 0.08, 0.08, 0.08, 0.09])


def _completion(summary: ClassSummary, w: Writer) -> list[Flowable]:
    story = [*w.heading(_("Completion of the class"))]
    if summary.finished_on:
        story.append(w.text(_(
            "Completed: %(completed)s; not completed: %(not_completed)s. Face-to-face hours "
            "credited: %(hours)s.", completed=summary.count(CompletionState.COMPLETED),
            not_completed=summary.count(CompletionState.NOT_COMPLETED),
            hours=plain_hours(summary.credited_hours))))
    else:
        story.append(w.text(_(
            "Requirements met: %(met)s; at risk: %(at_risk)s; under way: %(in_progress)s. "
            "No hours are credited before the class is finished.",
            met=summary.count(CompletionState.MET),
            at_risk=summary.count(CompletionState.AT_RISK),
            in_progress=summary.count(CompletionState.IN_PROGRESS))))
    if not summary.members:
        return story + [w.empty(_("No enrolled members."))]
    return story + w.table(
        [_("Name"), _("Employee number"), _("Unit"), _("Attendance (hours)"),
         _("Courses missing"), _("Class test"), _("Result"), _("Hours credited")],
        [(m.name, m.username, m.unit_name,
          f"{plain_hours(m.attended_hours)} / {plain_hours(m.scheduled_hours)}",
          "、".join(m.courses_missing) or "—", _test(m.test_passed), _result(m),
          "—" if m.credited_hours is None else plain_hours(m.credited_hours))
         for m in summary.members],
        [0.1, 0.12, 0.17, 0.11, 0.13, 0.09, 0.18, 0.1])


def _test(passed: bool | None) -> str:
    if passed is None:
        return "—"
    return _("Passed") if passed else _("Not passed")


def _result(member: MemberOutcome) -> str:
    """The state, and what is missing when the member has not completed."""
    if not member.missing or member.state is CompletionState.COMPLETED:
        return label(member.state)
    reasons = "、".join(str(COMPLETION_REASON_LABELS[r]) for r in member.missing)
    return _("%(state)s (missing: %(reasons)s)", state=label(member.state), reasons=reasons)


def render_class_summary_pdf(summary: ClassSummary, *, generated_by: str,
                             generated_at: datetime, font_path: str = "") -> bytes:
    font = register_cjk_font(font_path)
    return build_document(
        class_summary_story(summary, Writer(font)), title=summary_title(summary.header),
        unit=summary.header.unit_name, year=summary.header.ends_on.year,
        generated_by=generated_by, generated_at=generated_at.astimezone(CITY_TIMEZONE),
        font=font)
