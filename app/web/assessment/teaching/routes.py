"""Trainer pages: the essay grading queue and the appeals queue."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.domain.grading.keys import spec_with_new_key
from app.domain.vocabulary import AppealRemedy, RoleName
from app.extensions import db
from app.models import Appeal, AttemptAnswer, Quiz
from app.services.assessment.accommodations import (
    list_time_accommodations,
    set_time_accommodation,
)
from app.services.assessment.appeals import list_open_appeals, reject_appeal, uphold_appeal
from app.services.assessment.gradebook import (
    course_gradebook,
    gradebook_rows_for_export,
    gradebook_units,
    has_exercises,
)
from app.services.assessment.grading import grade_essay, list_essays_to_grade
from app.services.assessment.item_statistics import quiz_item_statistics
from app.services.core.access import find_taught_course, list_taught_courses, teaches_quiz
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.exercises.integrity import STRONG, find_copy_evidence
from app.services.learning.quiz_standing import course_quizzes
from app.services.people.accounts import find_user_by_username
from app.services.people.org import find_unit_by_code
from app.services.video.evidence import find_course_video_evidence
from app.web.assessment.teaching.export import gradebook_csv_lines
from app.web.assessment.teaching.forms import (
    AppealDecisionForm,
    EssayGradeForm,
    TrainerAccommodationForm,
)
from app.web.assessment.teaching.messages import grading_error
from app.web.assessment.teaching.video_charts import retention_chart, retention_rows
from app.web.errors import refusal_says
from app.web.guards import roles_required
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("teaching", __name__)
NOT_TAUGHT = _l("You do not teach this course.")
NOT_YOURS_TO_GRANT = _l("Extra time is granted by HR in the cadre's org units or by a trainer "
                        "of a course the cadre is enrolled in, never by the cadre.")
NOT_TAUGHT_OR_SCOPED = _l("Video evidence is for the course's trainers, administrators and HR.")
TEACHERS = (RoleName.TRAINER, RoleName.ADMIN)


@bp.get("/essays")
@roles_required(*TEACHERS)
def essays():
    return render_template("assessment/teaching/essays.html",
                           queue=list_essays_to_grade(actor=current_user))


@bp.route("/essays/<int:answer_id>", methods=["GET", "POST"])
@roles_required(*TEACHERS)
@commits
def grade(answer_id: int):
    answer = db.get_or_404(AttemptAnswer, answer_id)
    if not teaches_quiz(current_user, answer.attempt.quiz):
        abort(403, description=NOT_TAUGHT)
    form = EssayGradeForm()
    if form.validate_on_submit():
        try:
            grade_essay(answer, points=str(form.points.data), feedback=form.feedback.data or "",
                        actor=current_user)
        except (ServiceError, PermissionDenied) as error:
            form.points.errors.append(grading_error(str(error)))
        else:
            flash(_("Graded."), "success")
            return redirect(url_for(".essays"))
    item = answer.attempt.questions[answer.position]
    return render_template("assessment/teaching/grade.html", answer=answer, item=item, form=form)


@bp.get("/appeals")
@roles_required(*TEACHERS)
def appeals():
    return render_template("assessment/teaching/appeals.html",
                           appeals=list_open_appeals(actor=current_user))


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
@roles_required(*TEACHERS)
@commits
def appeal(appeal_id: int):
    found = db.get_or_404(Appeal, appeal_id)
    if not teaches_quiz(current_user, found.attempt.quiz):
        abort(403, description=NOT_TAUGHT)
    form = AppealDecisionForm()
    item = found.attempt.questions[found.position]
    if form.validate_on_submit():
        try:
            _decide(found, form, item)
        except (ServiceError, ValueError) as error:
            discard_refused_work()
            form.decision.errors.append(grading_error(str(error)))
        else:
            flash(_("Decision recorded; the cadre can see it."), "success")
            return redirect(url_for(".appeals"))
    answer = next((a for a in found.attempt.answers if a.position == found.position), None)
    return render_template("assessment/teaching/appeal.html",
                           appeal=found, item=item, answer=answer,
                           form=form)


def _decide(found: Appeal, form: AppealDecisionForm, item: dict) -> None:
    if form.decision.data == "reject":
        reject_appeal(found, form.response.data, actor=current_user)
        return
    remedy = AppealRemedy(form.decision.data)
    new_spec = (spec_with_new_key(item["type"], item["spec"], form.new_key.data or "")
                if remedy is AppealRemedy.CHANGE_KEY else None)
    uphold_appeal(found, remedy, form.response.data, actor=current_user, new_spec=new_spec)


@bp.get("/")
@roles_required(*TEACHERS)
def index():
    courses = list_taught_courses(current_user)
    return render_template("assessment/teaching/index.html", courses=courses,
                           quizzes={c.id: course_quizzes(c) for c in courses})


@refusal_says(NOT_TAUGHT)
def _taught_course_or_404(code: str):
    return find_taught_course(code, actor=current_user)


def _unit_filter():
    code = request.args.get("unit", "").strip()
    return (find_unit_by_code(code) if code else None), code


@bp.get("/courses/<code>/gradebook")
@roles_required(*TEACHERS)
def gradebook(code: str):
    course = _taught_course_or_404(code)
    unit, unit_code = _unit_filter()
    book = course_gradebook(course, actor=current_user, unit=unit,
                            page=request.args.get("page", 1, type=int),
                            per_page=current_app.config["PAGE_SIZE"])
    return render_template("assessment/teaching/gradebook.html",
                           book=book, unit=unit, unit_code=unit_code,
                           units=gradebook_units(course))


@bp.get("/courses/<code>/gradebook.csv")
@roles_required(*TEACHERS)
def gradebook_csv(code: str):
    course = _taught_course_or_404(code)
    unit, _code = _unit_filter()
    rows = gradebook_rows_for_export(course, actor=current_user, unit=unit)
    quizzes = course_quizzes(course)
    lines = gradebook_csv_lines(quizzes, rows, with_hints=has_exercises(quizzes))
    response = Response(stream_with_context(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{course.code}-gradebook.csv")
    return response


@bp.get("/courses/<code>/integrity")
@roles_required(*TEACHERS)
def integrity(code: str):
    """Exercise answers that are another cadre's right answer (evidence, never a penalty)."""
    course = _taught_course_or_404(code)
    return render_template("assessment/teaching/integrity.html", course=course,
                           evidence=find_copy_evidence(course, actor=current_user),
                           strong=STRONG)


@bp.get("/quizzes/<int:quiz_id>/items")
@roles_required(*TEACHERS)
def items(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    with refusal_says(NOT_TAUGHT):
        stats, attempts = quiz_item_statistics(quiz, actor=current_user)
    return render_template("assessment/teaching/items.html",
                           quiz=quiz, stats=stats, attempts=attempts)


@bp.get("/courses/<code>/videos")
@roles_required(*TEACHERS, RoleName.HR)
def videos(code: str):
    """Per lesson video: viewers, completion, average share watched, audience retention
    (HR: over the cadres of their org units)."""
    with refusal_says(NOT_TAUGHT_OR_SCOPED):
        evidence = find_course_video_evidence(code, actor=current_user)
    watched = [v for v in evidence.videos if v.figures.viewers]
    return render_template("assessment/teaching/videos.html", evidence=evidence,
                           charts={v.lesson_number: retention_chart(v) for v in watched},
                           tables={v.lesson_number: retention_rows(v) for v in watched})


@bp.route("/accommodations", methods=["GET", "POST"])
@roles_required(*TEACHERS)
@commits
def accommodations():
    form = TrainerAccommodationForm()
    if form.validate_on_submit():
        person = find_user_by_username(form.username.data)
        if person is None:
            form.username.errors.append(_("No one has this employee number."))
        else:
            with refusal_says(NOT_YOURS_TO_GRANT):
                set_time_accommodation(person, form.extra_percent.data, form.reason.data or "",
                                       actor=current_user)
            flash(_("Extra time saved for %(name)s; it applies to attempts started from now on.",
                    name=person.name), "success")
            return redirect(url_for(".accommodations"))
    return render_template("assessment/teaching/accommodations.html", form=form,
                           granted=list_time_accommodations(actor=current_user))
