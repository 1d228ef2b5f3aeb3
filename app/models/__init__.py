"""SQLAlchemy models, one module per aggregate. Importing this registers them all."""

from app.models.appraisal import (
    AppraisalExemption,
    AppraisalResult,
    AppraisalScheme,
    AppraisalYearClosure,
    CommendationEntry,
    CommendationList,
    PlanDueExtension,
)
from app.models.assessment import (
    Appeal,
    Attempt,
    AttemptAnswer,
    AttemptHint,
    Exercise,
    Question,
    Quiz,
    QuizResult,
    TimeAccommodation,
)
from app.models.audit import AuditEvent
from app.models.certificate import Certificate, CertificateSeal, CertificateSerialCounter
from app.models.course import (
    Course,
    CourseArea,
    CourseAsset,
    CourseOwner,
    CoursePrerequisite,
    Lesson,
)
from app.models.hours_claim import HoursClaim, HoursClaimProof
from app.models.learning import Enrollment, HourCredit, LessonProgress
from app.models.notification import Notification
from app.models.org import OrgUnit
from app.models.pending_upload import PendingUpload
from app.models.plan import TrainingPlan, training_plan_course
from app.models.report_job import ReportJob
from app.models.rollup import CadreRollup, RollupRefresh, UnitRollup
from app.models.training_class import (
    Attendance,
    CheckInAttempt,
    ClassMember,
    ClassSession,
    LeaveRequest,
    TrainingClass,
    training_class_course,
)
from app.models.user import Role, SignInThrottle, User
from app.models.video import (
    LessonVideo,
    VideoHoursScheme,
    VideoSubtitle,
    VideoUpload,
    VideoWatch,
)

__all__ = [
    "AppraisalExemption", "AppraisalResult", "AppraisalScheme", "AppraisalYearClosure",
    "CommendationEntry", "CommendationList", "PlanDueExtension",
    "Appeal", "CourseOwner",
    "Attempt", "AttemptAnswer", "AttemptHint", "Exercise", "Question", "Quiz", "QuizResult",
    "TimeAccommodation",
    "AuditEvent", "Certificate", "CertificateSeal", "CertificateSerialCounter", "Notification",
    "ReportJob",
    "CadreRollup", "RollupRefresh", "UnitRollup",
    "Course", "CourseArea", "CourseAsset", "CoursePrerequisite", "Enrollment",
    "HourCredit", "Lesson", "LessonProgress", "OrgUnit", "PendingUpload", "Role", "SignInThrottle",
    "TrainingPlan", "User",
    "LessonVideo", "VideoHoursScheme", "VideoSubtitle", "VideoUpload", "VideoWatch",
    "training_plan_course",
    "Attendance", "CheckInAttempt", "ClassMember", "ClassSession", "HoursClaim", "LeaveRequest",
    "TrainingClass", "training_class_course",
    "HoursClaimProof",
]
