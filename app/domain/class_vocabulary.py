"""States of training classes (培训班), their attendance and hours claims (issue 20)."""

import enum


class ClassStatus(enum.StrEnum):
    DRAFT = "draft"  # being prepared; cadres do not see it
    OPEN = "open"  # published: nominations, applications and check-in
    FINISHED = "finished"  # completion decided: hours credited, certificates issued
    CANCELLED = "cancelled"


class MemberStatus(enum.StrEnum):
    """A cadre's place in a class."""

    APPLIED = "applied"  # applied to an open class, waiting for the organizer
    WAITLISTED = "waitlisted"  # the class was full; moves up when a place frees
    ENROLLED = "enrolled"  # takes part: attendance counts
    REJECTED = "rejected"  # the application was turned down
    WITHDRAWN = "withdrawn"  # removed by the organizer or withdrew


class MemberSource(enum.StrEnum):
    NOMINATED = "nominated"  # put forward by HR (from the org tree or a roster file)
    APPLIED = "applied"  # asked to join an open class


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"  # checked in after the start plus the late margin; the hours count
    LEAVE = "leave"  # excused by an approved leave request; the hours do not count
    ABSENT = "absent"  # set by a correction (no row at all also means absent)


class AttendanceMethod(enum.StrEnum):
    QR = "qr"  # scanned the projector's code
    CORRECTION = "correction"  # set by the organizer with a reason
    LEAVE = "leave"  # from an approved leave request


class CheckInRefusal(enum.StrEnum):
    """Why a scan did not check someone in (shown to the organizer)."""

    EXPIRED = "expired"
    FORGED = "forged"
    OTHER_SESSION = "other_session"
    TOO_EARLY = "too_early"
    CLOSED = "closed"
    NOT_ENROLLED = "not_enrolled"
    ALREADY = "already"


class RequestStatus(enum.StrEnum):
    """A leave request's or an hours claim's decision."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ClaimKind(enum.StrEnum):
    """Kinds of training done elsewhere that HR may recognize (学时认定)."""

    PARTY_SCHOOL = "party_school"  # 党校（行政学院）调训
    DEPARTMENT_CLASS = "department_class"  # 部门、系统组织的培训班
    ONLINE_ELSEWHERE = "online_elsewhere"  # 其他网络学院
    ACADEMIC = "academic"  # 学历教育、学位课程
    CONFERENCE = "conference"  # 专题讲座、研讨会
    OTHER = "other"
