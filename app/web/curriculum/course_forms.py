"""Forms of the course and lesson authoring pages, and the words for what a service refused."""

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Regexp

from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseTier,
    HoursRule,
    Rank,
    WorkCategory,
)
from app.labels import label
from app.services.curriculum.authoring.courses import CourseInput
from app.services.curriculum.authoring.lessons import LessonInput
from app.web.forms import OrdinaryIntegerField


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _hours_in_half_steps(form, field) -> None:
    if form.hours_rule.data == HoursRule.VIDEO_LENGTH.value:
        return  # the videos' length sets the hours; what the field holds is not used
    try:
        hours = Decimal((field.data or "").strip())
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite() or not 0 < hours <= 1000 or (hours * 2) % 1:
        raise ValidationError(_("Hours must be more than 0 and at most 1000, in steps of 0.5 "
                                "(e.g. 4 or 4.5)."))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CourseForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip],
                        validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary: what the cadre will be able to do"),
                            validators=[Length(max=4000)])
    tier = SelectField(_l("Tier"), validators=[DataRequired()])
    areas = MultiCheckboxField(_l("Competency areas"),
                               validators=[DataRequired(_l("Choose at least one area."))])
    hours_rule = SelectField(_l("Credit hours are set"), default=HoursRule.DECLARED.value,
                             validators=[DataRequired()])
    hours = StringField(_l("Credit hours"), filters=[_strip], validators=[_hours_in_half_steps],
                        description=_l("Declared hours; not used when the hours follow the "
                                       "videos' length."))
    kind = RadioField(_l("Kind"), validators=[DataRequired()])
    core = BooleanField(_l("Core course of its tier (needed for the tier certificate)"))
    ranks = MultiCheckboxField(_l("Ranks (none ticked: all ranks)"))
    categories = MultiCheckboxField(_l("Work categories (none ticked: all categories)"))
    prerequisites = MultiCheckboxField(_l("Prerequisites (courses to finish first)"))
    revision = HiddenField()

    def fill_choices(self, prerequisite_courses) -> None:
        self.tier.choices = [SelectChoice(t.value, label(t)) for t in CourseTier]
        self.areas.choices = [SelectChoice(a.value, label(a)) for a in CompetencyArea]
        self.kind.choices = [SelectChoice(k.value, label(k)) for k in CourseKind]
        self.hours_rule.choices = [SelectChoice(r.value, label(r)) for r in HoursRule]
        self.ranks.choices = [SelectChoice(r.value, label(r)) for r in Rank]
        self.categories.choices = [SelectChoice(c.value, label(c)) for c in WorkCategory]
        self.prerequisites.choices = [SelectChoice(c.code, f"{c.code} {c.title}")
                                      for c in prerequisite_courses]

    def fill_from(self, course) -> None:
        self.title.data = course.title
        self.summary.data = course.summary
        self.tier.data = course.tier.value
        self.areas.data = [area.value for area in course.area_names]
        self.hours_rule.data = course.hours_rule.value
        self.hours.data = (format(Decimal(course.hours).normalize(), "f")
                           if course.hours_rule is HoursRule.DECLARED else "")
        self.kind.data = course.kind.value
        self.core.data = course.core
        self.ranks.data = list(course.audience_ranks)
        self.categories.data = list(course.audience_categories)
        self.prerequisites.data = sorted(c.code for c in course.prerequisites)

    def course_input(self) -> CourseInput:
        return CourseInput(
            title=self.title.data, summary=self.summary.data or "",
            tier=CourseTier(self.tier.data),
            areas=[CompetencyArea(a) for a in self.areas.data], hours=self._declared_hours(),
            hours_rule=HoursRule(self.hours_rule.data),
            kind=CourseKind(self.kind.data), ranks=[Rank(r) for r in self.ranks.data],
            categories=[WorkCategory(c) for c in self.categories.data],
            prerequisites=list(self.prerequisites.data), core=bool(self.core.data))

    def _declared_hours(self) -> Decimal | None:
        if self.hours_rule.data == HoursRule.VIDEO_LENGTH.value:
            return None
        return Decimal(self.hours.data)


class NewCourseForm(CourseForm):
    code = StringField(_l("Code"), filters=[lambda v: v.strip().upper() if v else v],
                       description=_l("2–4 capital letters and 3 digits, e.g. DA110; it "
                                      "cannot be changed later."),
                       validators=[DataRequired(), Regexp(
                           r"^[A-Z]{2,4}[0-9]{3}$",
                           message=_l("The code is 2–4 capital letters followed by 3 digits, "
                                      "e.g. DA110."))])


class OwnerForm(FlaskForm):
    username = StringField(_l("Employee number of the trainer"), filters=[_strip],
                           validators=[DataRequired(), Length(max=64)])


class RemoveOwnerForm(FlaskForm):
    user_id = HiddenField(validators=[DataRequired()])


class LessonForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip],
                        validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("File name (optional)"), filters=[_strip],
                       description=_l("a-z, 0-9 and -, e.g. reading-a-table; left empty, it "
                                      "is made from the title."),
                       validators=[Length(max=96), Regexp(
                           r"^[a-z0-9-]*$", message=_l("Use only a-z, 0-9 and -."))])
    minutes = OrdinaryIntegerField(_l("Minutes"), validators=[InputRequired(), NumberRange(1, 600)])
    # Not required here: a lesson with a video may have no text; the service says when
    # text is needed ("The lesson has no text yet.").
    body = TextAreaField(_l("Text (Markdown)"), validators=[Length(max=300_000)])
    revision = HiddenField()

    def fill_from(self, lesson) -> None:
        self.title.data, self.slug.data = lesson.title, lesson.slug
        self.minutes.data, self.body.data = lesson.minutes, lesson.body_markdown

    def lesson_input(self) -> LessonInput:
        return LessonInput(title=self.title.data, minutes=self.minutes.data,
                           body=self.body.data or "", slug=self.slug.data or "")


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class ImageForm(FlaskForm):
    image = FileField(_l("Image (PNG, JPEG, GIF or WebP, at most 2 MiB)"),
                      validators=[FileRequired(_l("Choose an image file."))])
    replace = BooleanField(_l("Replace an image of the same name"))
    lesson = HiddenField()


def course_error(error) -> str:
    """The message for a CourseInputError."""
    messages = {
        "code_format": _("The code is 2–4 capital letters followed by 3 digits, e.g. DA110."),
        "code_taken": _("There is already a course with the code %(code)s.", code=error.detail),
        "title_required": _("Give the course a title."),
        "title_too_long": _("The title must be one line of at most 200 characters."),
        "summary_too_long": _("The summary is too long: at most 4000 characters."),
        "areas_required": _("Choose at least one area."),
        "hours": _("Hours must be more than 0 and at most 1000, in steps of 0.5 "
                   "(e.g. 4 or 4.5)."),
        "prerequisite_self": _("A course cannot be its own prerequisite."),
        "prerequisite_unknown": _("No course has the code %(codes)s.", codes=error.detail),
        "prerequisite_cycle": _("These prerequisites would go round in a circle: %(path)s.",
                                path=error.detail),
        "owner_unknown": _("No one has the employee number %(number)s.", number=error.detail),
        "owner_not_trainer": _("%(name)s is not a trainer; an administrator can give them the "
                               "trainer role.", name=error.detail),
        "owner_already": _("%(name)s already owns this course.", name=error.detail),
        "owner_not_owner": _("That person does not own this course."),
        "owner_last": _("A course keeps at least one owner: add another owner first."),
    }
    return messages.get(error.reason, str(error))


def lesson_error(error) -> str:
    """The message for a LessonInputError."""
    messages = {
        "title_required": _("Give the lesson a title."),
        "title_too_long": _("The title must be one line of at most 200 characters."),
        "minutes": _("Minutes must be a whole number from 1 to 600."),
        "slug": _("The file name may use only a-z, 0-9 and - (at most 96 characters)."),
        "body_required": _("The lesson has no text yet."),
        "body_too_long": _("The text is too long for one lesson: split it into two lessons."),
        "image_missing": _("Line %(line)s shows the image %(name)s, which this course does not "
                           "have: upload it first (below), then refer to it.",
                           line=error.line, name=error.detail),
        "image_source": _("Line %(line)s shows an image from %(src)s: use an uploaded image "
                          "(../assets/name.png) or an http(s) address.",
                          line=error.line, src=error.detail),
        "last_lesson": _("A published course keeps at least one lesson: add another lesson "
                         "first, or take the course back to draft."),
    }
    return messages.get(error.reason, str(error))


def image_error(error) -> str:
    """The message for an ImageRefused."""
    messages = {
        "svg": _("SVG images are refused: they can carry scripts. Save the picture as PNG."),
        "type": _("%(type)s files are not images a lesson can show: use PNG, JPEG, GIF or "
                  "WebP.", type=error.detail),
        "too_large": _("The image is larger than 2 MiB: make it smaller and upload it again."),
        "content": _("The file is not really a %(type)s image (its content does not match its "
                     "name).", type=error.detail),
        "exists": _("The course already has an image called %(name)s: tick “Replace” to "
                    "replace it, or rename the file.", name=error.detail),
    }
    return messages.get(error.reason, str(error))
