"""Catalog, course page, enrollment and the lesson reader."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.vocabulary import CompetencyArea, CourseTier, WorkCategory
from app.services.core.errors import ServiceError
from app.services.learning.course_page import NotEnrolled, open_lesson, view_course
from app.services.learning.enrollment import (
    complete_lesson,
    enroll_in_course,
    find_course_asset,
    find_course_for,
    find_enrollment,
    leave_course,
    list_catalog,
    remember_lesson_opened,
)
from app.web.forms import ActionForm
from app.web.guards import login_required
from app.web.learning.messages import enrollment_refusal
from app.web.transactions import commits
from app.web.video.panel import lesson_video_panel

bp = Blueprint("learning", __name__)


def _course_or_404(code: str):
    return find_course_for(code, actor=current_user)


def _enrolled_lesson_or_404(code: str, number: int):
    """The course, the viewer's enrollment in it and its lesson ``number``, or a 404."""
    course = _course_or_404(code)
    enrollment = find_enrollment(course, current_user)
    lesson = next((le for le in course.lessons if le.number == number), None)
    if enrollment is None or lesson is None:
        abort(404)
    return course, enrollment, lesson


def _enum_arg(name: str, enum_class):
    value = request.args.get(name, "")
    return enum_class(value) if value in {m.value for m in enum_class} else None


@bp.get("/")
@login_required
def catalog():
    filters = {"tier": _enum_arg("tier", CourseTier), "area": _enum_arg("area", CompetencyArea),
               "category": _enum_arg("category", WorkCategory)}
    text = request.args.get("q", "").strip()[:100]
    entries = list_catalog(actor=current_user, text=text, **filters)
    return render_template("learning/catalog.html", entries=entries, filters=filters, q=text,
                           tiers=list(CourseTier), areas=list(CompetencyArea),
                           categories=list(WorkCategory))


@bp.get("/<code>")
@login_required
def course(code: str):
    view = view_course(_course_or_404(code), actor=current_user)
    return render_template("learning/course.html", view=view, form=ActionForm())


def _run_course_action(code: str, action, done_message: str, category: str):
    """Validate the button's CSRF token, run one service call, commit, back to the course."""
    if ActionForm().validate_on_submit():
        try:
            action()
        except ServiceError as error:
            flash(enrollment_refusal(str(error)), "warning")
        else:
            flash(done_message, category)
    return redirect(url_for(".course", code=code))


@bp.post("/<code>/enroll")
@login_required
@commits
def enroll(code: str):
    course = _course_or_404(code)
    return _run_course_action(code, lambda: enroll_in_course(course, actor=current_user),
                              _("You are enrolled. Start with the first lesson."), "success")


@bp.post("/<code>/leave")
@login_required
@commits
def leave(code: str):
    enrollment = find_enrollment(_course_or_404(code), current_user)
    if enrollment is None:
        abort(404)
    return _run_course_action(code, lambda: leave_course(enrollment, actor=current_user),
                              _("You have left the course."), "info")


@bp.get("/<code>/lessons/<int:number>")
@login_required
def lesson(code: str, number: int):
    course = _course_or_404(code)
    try:
        view = open_lesson(course, number, actor=current_user)
    except NotEnrolled:
        flash(_("Enroll in the course to read its lessons."), "info")
        return redirect(url_for(".course", code=code))
    return render_template("learning/lesson.html", view=view, form=ActionForm(),
                           video=lesson_video_panel(view, current_user))


@bp.post("/<code>/lessons/<int:number>/opened")
@login_required
@commits
def lesson_opened(code: str, number: int):
    """The lesson page's beacon: remember this lesson as the place to resume."""
    _course, enrollment, lesson = _enrolled_lesson_or_404(code, number)
    if not ActionForm().validate_on_submit():
        abort(400)
    remember_lesson_opened(enrollment, lesson, actor=current_user)
    return "", 204


@bp.post("/<code>/lessons/<int:number>/complete")
@login_required
@commits
def complete(code: str, number: int):
    course, enrollment, lesson = _enrolled_lesson_or_404(code, number)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".lesson", code=code, number=number))
    try:
        finished = complete_lesson(enrollment, lesson, actor=current_user)
    except ServiceError as error:
        flash(enrollment_refusal(str(error)), "warning")
        return redirect(url_for(".lesson", code=code, number=number))
    if finished:
        flash(_("Course completed: %(hours)s credit hours added to your record.",
                hours=course.hours), "success")
        return redirect(url_for(".course", code=code))
    following = next((le for le in course.lessons if le.number > number), None)
    target = following.number if following else number
    return redirect(url_for(".lesson", code=code, number=target))


@bp.get("/<code>/assets/<filename>")
@login_required
def asset(code: str, filename: str):
    found = find_course_asset(_course_or_404(code), filename)
    response = make_response(found.data)
    response.headers["Content-Type"] = found.content_type
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.set_etag(found.sha256)
    return response.make_conditional(request)
