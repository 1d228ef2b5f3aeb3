"""The platform's fixed vocabulary (DESIGN.md §2). Values are stored in the database."""

import enum


class Rank(enum.StrEnum):
    """职级."""

    BUREAU = "bureau"  # 厅局级
    DIVISION = "division"  # 县处级
    SECTION = "section"  # 乡科级
    STAFF = "staff"  # 科员及以下
    GRASSROOTS = "grassroots"  # 基层/网格员


class WorkCategory(enum.StrEnum):
    """类别: the kind of work a cadre does."""

    ADMINISTRATION = "administration"  # 综合管理
    ECONOMY = "economy"  # 经济产业
    SOCIAL_GOVERNANCE = "social_governance"  # 社会治理
    URBAN_EMERGENCY = "urban_emergency"  # 城建应急
    PUBLIC_SERVICE = "public_service"  # 公共服务


class RoleName(enum.StrEnum):
    CADRE = "cadre"
    TRAINER = "trainer"
    HR = "hr"
    ADMIN = "admin"


class OrgLevel(enum.StrEnum):
    """Where a unit sits: 市 → 区县 → 镇街 → 村社区, plus departments at any level."""

    CITY = "city"
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    DEPARTMENT = "department"


class CompetencyArea(enum.StrEnum):
    """Adapted from DigComp 2.2 to the seed article's five asks."""

    MINDSET = "mindset"
    DATA = "data"
    GOVERNANCE = "governance"
    SECURITY = "security"
    APPLICATION = "application"


class CourseTier(enum.StrEnum):
    """分层: foundation 基础 → intermediate 进阶 → advanced 高阶."""

    FOUNDATION = "foundation"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class CourseKind(enum.StrEnum):
    """Whether a course may be required by a training plan, or is elective only."""

    REQUIRED = "required"
    ELECTIVE = "elective"


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class EnrollmentSource(enum.StrEnum):
    """How a cadre came to a course: chose it, or a training plan assigned it."""

    SELF = "self"
    PLAN = "plan"


class CreditKind(enum.StrEnum):
    """Hours are kept apart by how the course was taken."""

    REQUIRED = "required"  # assigned by a training plan
    ELECTIVE = "elective"  # chosen by the cadre


class HoursRule(enum.StrEnum):
    """How a course's credited hours are set: as declared, or from its videos' length."""

    DECLARED = "declared"
    VIDEO_LENGTH = "video_length"


class VideoStatus(enum.StrEnum):
    """A lesson video: being processed (transcoded) in the background, ready to play, or
    failed (the file is not a usable video; the message says why)."""

    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class QuestionStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class QuizKind(enum.StrEnum):
    COURSE = "course"  # inside a course; may count toward completion
    ANNUAL = "annual"  # 年度数字能力测评, drawn from the shared bank per tier
    EXERCISE = "exercise"  # 数据实战练习: tasks on the cadre's own generated dataset


class GradingMethod(enum.StrEnum):
    """Which attempt's score stands for the quiz (容错: retakes under a known rule)."""

    HIGHEST = "highest"
    LATEST = "latest"
    AVERAGE = "average"
    FIRST = "first"


class ReviewPolicy(enum.StrEnum):
    """What a cadre sees of a submitted attempt."""

    SCORE_ONLY = "score_only"
    OWN_ANSWERS = "own_answers"
    FULL = "full"  # correct answers and explanations too


class ReviewTiming(enum.StrEnum):
    SUBMIT = "submit"  # as soon as the attempt is graded
    CLOSE = "close"  # after the quiz closes


class AttemptState(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # waiting for a trainer to grade essays
    GRADED = "graded"


class AppealStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    REJECTED = "rejected"


class AppealRemedy(enum.StrEnum):
    """How an upheld appeal regrades (容错纠错)."""

    ACCEPT_ANSWER = "accept_answer"  # this cadre's answer gets full points
    DROP_QUESTION = "drop_question"  # the question no longer counts, for everyone who took it
    CHANGE_KEY = "change_key"  # a corrected key, for everyone who took that version


class CertificateKind(enum.StrEnum):
    """What a certificate attests: one course, every core course of a tier, or a completed
    training class (结业证书)."""

    COURSE = "course"
    TIER = "tier"
    CLASS = "class"


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"


class JobStatus(enum.StrEnum):
    """A background report job: queued, running (with progress), done (file ready) or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
