"""Training classes (培训班) for those who run them (trainers, HR in scope, admins): the list,
the class form, publishing and cancelling; and the class page, which shows its managers the
overview (with the class's tabs) and its members, or a cadre who may apply, their view.

A class run by others answers 403 on the managers' pages (like a plan outside one's scope);
the class page answers 404 to anyone who is neither a manager, a member nor a cadre who may
apply (like another's certificate: it does not tell that the class exists).
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.labels import label
from app.models import TrainingClass
from app.models.types import utcnow
from app.services.training.access import find_class, find_managed_class, may_manage_class
from app.services.training.class_pages import class_overview, member_view
from app.services.training.classes import (
    BEFORE,
    ClassInput,
    ClassRefused,
    cancel_training_class,
    create_training_class,
    linked_courses,
    list_class_test_quizzes,
    list_class_units,
    list_linkable_courses,
    list_managed_classes,
    publish_training_class,
    update_training_class,
)
from app.services.training.completion import standing_of_member
from app.web.errors import refusal_hidden, refusal_says
from app.web.forms import ActionForm
from app.web.guards import login_required, roles_required
from app.web.training.class_forms import ClassForm, ReasonForm, class_refusal_text
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("classes", __name__)
MANAGERS = (RoleName.TRAINER, RoleName.HR, RoleName.ADMIN)
NOT_YOURS = _l("This class is run by another trainer or by a unit outside your scope.")


def managed_class_or_403(class_id: int) -> TrainingClass:
    """The class if the current user runs it: 404 when there is none, 403 when it is
    another's (for every manager's page of a class: schedule, members, attendance...)."""
    with refusal_says(NOT_YOURS):
        return find_managed_class(class_id, actor=current_user)


def show_refusal(form, error: ClassRefused) -> None:
    """Put a service's refusal under the field it concerns (or above the form)."""
    discard_refused_work()
    text = class_refusal_text(error.code, error.params)
    field = getattr(form, error.field, None)
    if field is not None:
        field.errors = [*field.errors, text]
    else:
        form.form_errors.append(text)


@bp.get("/")
@roles_required(*MANAGERS)
def index():
    classes = list_managed_classes(actor=current_user, page=request.args.get("page", 1, type=int),
                                   per_page=current_app.config["PAGE_SIZE"])
    return render_template("training/classes.html", classes=classes)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
@commits
def new():
    return _save(ClassForm(), None)


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
@commits
def edit(class_id: int):
    training_class = managed_class_or_403(class_id)
    form = ClassForm(obj=training_class)
    if request.method == "GET":
        links = linked_courses([training_class.id])[training_class.id]
        form.org_unit.data = str(training_class.org_unit_id)
        form.test_quiz.data = str(training_class.test_quiz_id or "")
        form.courses_before.data = [str(k.course.id) for k in links if k.due == BEFORE]
        form.courses_during.data = [str(k.course.id) for k in links if k.due != BEFORE]
    return _save(form, training_class)


def _save(form: ClassForm, training_class: TrainingClass | None):
    choices = _prepare(form, training_class)
    if form.validate_on_submit():
        try:
            data = _input(form, *choices)
            if training_class is None:
                training_class = create_training_class(data, actor=current_user)
            else:
                update_training_class(training_class, data, actor=current_user)
        except ClassRefused as error:
            show_refusal(form, error)
        else:
            flash(_("Class saved."), "success")
            return redirect(url_for(".show", class_id=training_class.id))
    return render_template("training/class_form.html", form=form, training_class=training_class)


def _prepare(form: ClassForm, training_class: TrainingClass | None):
    units = {str(u.id): u for u in list_class_units(current_user)}
    quizzes = {str(q.id): q for q in list_class_test_quizzes(current_user)}
    current = []
    if training_class is not None:
        units.setdefault(str(training_class.org_unit_id), training_class.org_unit)
        if training_class.test_quiz is not None:
            quizzes.setdefault(str(training_class.test_quiz_id), training_class.test_quiz)
        current = [link.course for link in linked_courses([training_class.id])[training_class.id]]
    courses = {str(c.id): c for c in list_linkable_courses(current)}
    form.org_unit.choices = [SelectChoice(k, "　" * (u.path.count("/") - 2) + u.name)
                             for k, u in units.items()]
    form.test_quiz.choices = [SelectChoice("", _("No class test"))] + [
        SelectChoice(k, f"{q.code} {q.title}") for k, q in quizzes.items()]
    form.ranks.choices = [SelectChoice(r.value, label(r)) for r in Rank]
    form.categories.choices = [SelectChoice(c.value, label(c)) for c in WorkCategory]
    course_choices = [SelectChoice(k, f"{c.code} {c.title}") for k, c in courses.items()]
    form.courses_before.choices = course_choices
    form.courses_during.choices = list(course_choices)
    return units, quizzes, courses


def _input(form: ClassForm, units, quizzes, courses) -> ClassInput:
    return ClassInput(
        title=form.title.data, organizer=form.organizer.data, org_unit=units[form.org_unit.data],
        starts_on=form.starts_on.data, ends_on=form.ends_on.data, venue=form.venue.data,
        capacity=form.capacity.data, open_to_applications=form.open_to_applications.data,
        attendance_share=form.attendance_share.data,
        late_after_minutes=form.late_after_minutes.data,
        opens_before_minutes=form.opens_before_minutes.data,
        test_quiz=quizzes.get(form.test_quiz.data or ""), description=form.description.data or "",
        ranks=[Rank(r) for r in form.ranks.data],
        categories=[WorkCategory(c) for c in form.categories.data],
        courses_before=[courses[c] for c in form.courses_before.data],
        courses_during=[courses[c] for c in form.courses_during.data])


@bp.get("/<int:class_id>")
@login_required
def show(class_id: int):
    training_class = find_class(class_id)
    if may_manage_class(current_user, training_class):
        return render_template(
            "training/class_overview.html", overview=class_overview(
                training_class, actor=current_user), training_class=training_class,
            active_tab="overview", action_form=ActionForm(), cancel_form=ReasonForm())
    with refusal_hidden():
        view = member_view(training_class, actor=current_user)
    now = utcnow()
    standing = standing_of_member(training_class, current_user, actor=current_user, now=now)
    return render_template("training/class_member_view.html", view=view,
                           training_class=training_class, action_form=ActionForm(),
                           my_standing=standing, now=now)


@bp.post("/<int:class_id>/publish")
@roles_required(*MANAGERS)
@commits
def publish(class_id: int):
    training_class = managed_class_or_403(class_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".show", class_id=class_id))
    try:
        publish_training_class(training_class, actor=current_user)
    except ClassRefused as error:
        flash(class_refusal_text(error.code, error.params), "danger")
    else:
        flash(_("The class is open: members see it and its schedule."), "success")
    return redirect(url_for(".show", class_id=class_id))


@bp.post("/<int:class_id>/cancel")
@roles_required(*MANAGERS)
@commits
def cancel(class_id: int):
    training_class = managed_class_or_403(class_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for cancelling (at most 500 characters)."), "danger")
        return redirect(url_for(".show", class_id=class_id))
    try:
        cancel_training_class(training_class, form.reason.data, actor=current_user)
    except ClassRefused as error:
        flash(class_refusal_text(error.code, error.params), "danger")
    else:
        flash(_("The class is cancelled."), "success")
    return redirect(url_for(".show", class_id=class_id))
