"""Display labels for the vocabulary, translated through gettext.

The names users read for ranks, roles, areas, states...: shared by the web pages, the
PDF and Excel documents (app.reports) and the command line, so none of them reaches
into another's package for them. Lazy strings: each is translated when shown.
"""

from flask_babel import lazy_gettext as _l

from app.domain.class_completion import CompletionState
from app.domain.class_vocabulary import (
    AttendanceMethod,
    AttendanceStatus,
    CheckInRefusal,
    ClaimKind,
    ClassStatus,
    MemberSource,
    MemberStatus,
    RequestStatus,
)
from app.domain.training_hours import HoursKind
from app.domain.vocabulary import (
    AppealStatus,
    AttemptState,
    CertificateKind,
    CompetencyArea,
    CourseKind,
    CourseStatus,
    CourseTier,
    GradingMethod,
    HoursRule,
    OrgLevel,
    Rank,
    RoleName,
    WorkCategory,
)

RANK_LABELS = {
    Rank.BUREAU: _l("Bureau level"),
    Rank.DIVISION: _l("Division level"),
    Rank.SECTION: _l("Section level"),
    Rank.STAFF: _l("Staff"),
    Rank.GRASSROOTS: _l("Grassroots / grid worker"),
}
CATEGORY_LABELS = {
    WorkCategory.ADMINISTRATION: _l("General administration"),
    WorkCategory.ECONOMY: _l("Economy and industry"),
    WorkCategory.SOCIAL_GOVERNANCE: _l("Social governance"),
    WorkCategory.URBAN_EMERGENCY: _l("Urban construction and emergency"),
    WorkCategory.PUBLIC_SERVICE: _l("Public services"),
}
ROLE_LABELS = {
    RoleName.CADRE: _l("Cadre"),
    RoleName.TRAINER: _l("Trainer"),
    RoleName.HR: _l("HR (Organization Department)"),
    RoleName.ADMIN: _l("Administrator"),
}
LEVEL_LABELS = {
    OrgLevel.CITY: _l("City"),
    OrgLevel.DISTRICT: _l("District / county"),
    OrgLevel.STREET: _l("Town / street"),
    OrgLevel.COMMUNITY: _l("Community"),
    OrgLevel.DEPARTMENT: _l("Department"),
}
AREA_LABELS = {
    CompetencyArea.MINDSET: _l("Digital mindset and strategy"),
    CompetencyArea.DATA: _l("Data literacy and decisions"),
    CompetencyArea.GOVERNANCE: _l("Digital governance and services"),
    CompetencyArea.SECURITY: _l("Data security and privacy"),
    CompetencyArea.APPLICATION: _l("Digital technology in practice"),
}

TIER_LABELS = {
    CourseTier.FOUNDATION: _l("Foundation"),
    CourseTier.INTERMEDIATE: _l("Intermediate"),
    CourseTier.ADVANCED: _l("Advanced"),
}
KIND_LABELS = {
    CourseKind.REQUIRED: _l("Required-eligible"),
    CourseKind.ELECTIVE: _l("Elective"),
}
STATUS_LABELS = {
    CourseStatus.DRAFT: _l("Draft"),
    CourseStatus.PUBLISHED: _l("Published"),
    CourseStatus.ARCHIVED: _l("Archived"),
}

METHOD_LABELS = {
    GradingMethod.HIGHEST: _l("Highest attempt"),
    GradingMethod.LATEST: _l("Latest attempt"),
    GradingMethod.AVERAGE: _l("Average of attempts"),
    GradingMethod.FIRST: _l("First attempt"),
}
ATTEMPT_STATE_LABELS = {
    AttemptState.IN_PROGRESS: _l("In progress"),
    AttemptState.SUBMITTED: _l("Waiting for grading"),
    AttemptState.GRADED: _l("Graded"),
}

APPEAL_LABELS = {
    AppealStatus.OPEN: _l("Waiting for a decision"),
    AppealStatus.UPHELD: _l("Upheld"),
    AppealStatus.REJECTED: _l("Rejected"),
}

HOURS_RULE_LABELS = {
    HoursRule.DECLARED: _l("By declared hours"),
    HoursRule.VIDEO_LENGTH: _l("By video length"),
}

HOURS_KIND_LABELS = {
    HoursKind.ONLINE: _l("Online"),
    HoursKind.FACE_TO_FACE: _l("Face-to-face"),
    HoursKind.RECOGNIZED: _l("Recognized"),
}
#: Training done elsewhere that a cadre may claim (学时认定).
CLAIM_KIND_LABELS = {
    ClaimKind.PARTY_SCHOOL: _l("Party School (academy of governance) training"),
    ClaimKind.DEPARTMENT_CLASS: _l("Class run by a department or system"),
    ClaimKind.ONLINE_ELSEWHERE: _l("Another online academy"),
    ClaimKind.ACADEMIC: _l("Degree or academic course"),
    ClaimKind.CONFERENCE: _l("Lecture or seminar"),
    ClaimKind.OTHER: _l("Other training"),
}
#: A leave request's or an hours claim's decision.
REQUEST_STATUS_LABELS = {
    RequestStatus.PENDING: _l("Waiting for a decision"),
    RequestStatus.APPROVED: _l("Approved"),
    RequestStatus.REJECTED: _l("Rejected"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}

# Training classes (培训班).
CLASS_STATUS_LABELS = {
    ClassStatus.DRAFT: _l("Draft"),
    ClassStatus.OPEN: _l("Published"),
    ClassStatus.FINISHED: _l("Finished"),
    ClassStatus.CANCELLED: _l("Cancelled"),
}
MEMBER_STATUS_LABELS = {
    MemberStatus.APPLIED: _l("Awaiting approval"),
    MemberStatus.WAITLISTED: _l("Waitlisted"),
    MemberStatus.ENROLLED: _l("In the class"),
    MemberStatus.REJECTED: _l("Application rejected"),
    MemberStatus.WITHDRAWN: _l("Left the class"),
}
MEMBER_SOURCE_LABELS = {
    MemberSource.NOMINATED: _l("Nominated"),
    MemberSource.APPLIED: _l("Applied themselves"),
}

# Training class attendance (issue 20).
ATTENDANCE_STATUS_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.LATE: _l("Late"),
    AttendanceStatus.LEAVE: _l("On leave"),
    AttendanceStatus.ABSENT: _l("Absent"),
}
ATTENDANCE_METHOD_LABELS = {
    AttendanceMethod.QR: _l("QR check-in"),
    AttendanceMethod.CORRECTION: _l("Correction"),
    AttendanceMethod.LEAVE: _l("Approved leave"),
}
CHECK_IN_REFUSAL_LABELS = {
    CheckInRefusal.EXPIRED: _l("Code expired"),
    CheckInRefusal.FORGED: _l("Invalid code"),
    CheckInRefusal.OTHER_SESSION: _l("Code of another session"),
    CheckInRefusal.TOO_EARLY: _l("Check-in not open yet"),
    CheckInRefusal.CLOSED: _l("Check-in closed"),
    CheckInRefusal.NOT_ENROLLED: _l("Not enrolled in the class"),
    CheckInRefusal.ALREADY: _l("Already checked in"),
}

#: Where a member stands in a training class (app.domain.class_completion).
COMPLETION_STATE_LABELS = {
    CompletionState.COMPLETED: _l("Completed the class"),
    CompletionState.NOT_COMPLETED: _l("Did not complete"),
    CompletionState.MET: _l("Requirements met"),
    CompletionState.AT_RISK: _l("At risk"),
    CompletionState.IN_PROGRESS: _l("Under way"),
}
CERTIFICATE_KIND_LABELS = {
    CertificateKind.COURSE: _l("Course certificate"),
    CertificateKind.TIER: _l("Tier certificate"),
    CertificateKind.CLASS: _l("Class certificate"),
}
#: What a member still misses in a class (app.domain.training_hours.ClassStanding.missing).
COMPLETION_REASON_LABELS = {"attendance": _l("Attendance"), "courses": _l("Linked courses"),
                            "test": _l("Class test")}

_ALL = {}
# The classes' tables first: where a stored value is shared ("open", "in_progress"),
# all_value_labels keeps the older meaning.
for table in (COMPLETION_STATE_LABELS, CERTIFICATE_KIND_LABELS, CLASS_STATUS_LABELS,
              MEMBER_STATUS_LABELS, MEMBER_SOURCE_LABELS, ATTENDANCE_STATUS_LABELS,
              ATTENDANCE_METHOD_LABELS, CHECK_IN_REFUSAL_LABELS, RANK_LABELS,
              CATEGORY_LABELS, ROLE_LABELS, LEVEL_LABELS, AREA_LABELS, TIER_LABELS, KIND_LABELS,
              STATUS_LABELS, METHOD_LABELS, ATTEMPT_STATE_LABELS, APPEAL_LABELS,
              HOURS_RULE_LABELS, HOURS_KIND_LABELS, CLAIM_KIND_LABELS, REQUEST_STATUS_LABELS):
    _ALL.update({(type(k), k): v for k, v in table.items()})

#: Question types as exam papers name them (单选题, 多选题, 判断题 …).
QUESTION_TYPE_NAMES = {"single": _l("Single choice"), "multiple": _l("Multiple choice"),
                       "truefalse": _l("True / false"), "fill": _l("Fill in the blank"),
                       "numeric": _l("Numeric"), "ordering": _l("Ordering"),
                       "matching": _l("Matching"), "essay": _l("Essay")}


def all_value_labels() -> dict[str, str]:
    """Every vocabulary member's label by its stored value ("admin", "staff"...), for texts
    that recorded the value only (audit details)."""
    return {str(member): text for (_kind, member), text in _ALL.items()}


def label(member) -> str:
    """The translated label of any vocabulary member (used as the `label` template filter)."""
    if member is None:
        return ""
    return str(_ALL.get((type(member), member), member))
