"""Authoring: the trainer's courses, the course form, owners, status and zip export."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.vocabulary import RoleName
from app.services.curriculum.authoring import find_editable_course
from app.services.curriculum.authoring.course_zip import export_course_zip
from app.services.curriculum.authoring.courses import (
    CourseInputError,
    EditConflict,
    add_course_owner_by_username,
    course_revision,
    create_course,
    list_course_owners,
    list_editable_courses,
    prerequisite_choices,
    remove_course_owner,
    update_course,
)
from app.services.curriculum.authoring.publishing import (
    CourseNotPublishable,
    archive_course,
    describe_problems,
    do_publish_course,
    unpublish_course,
    validate_course_content,
)
from app.web.curriculum import AUTHORS, OWNERS_ONLY, bp
from app.web.curriculum.course_forms import (
    CourseForm,
    NewCourseForm,
    OwnerForm,
    RemoveOwnerForm,
    course_error,
)
from app.web.errors import refusal_says
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.transactions import commits


@refusal_says(OWNERS_ONLY)
def editable_course_or_abort(code: str):
    """The course if the signed-in user may edit it; 404 / 403 otherwise."""
    return find_editable_course(code, actor=current_user)


def render_course_page(template: str, course, tab: str, **context):
    """A page of one course being edited, with its tabs (_course_nav.html)."""
    endpoints = current_app.view_functions
    return render_template(
        template, course=course, tab=tab,
        has_question_pages="authoring.questions" in endpoints,
        has_assessment_pages="authoring.course_assessments" in endpoints, **context)


def _show_field_error(form, error: CourseInputError) -> None:
    field = getattr(form, error.field, None)
    if field is None:
        form.form_errors.append(course_error(error))
    else:
        field.errors = [*field.errors, course_error(error)]


@bp.get("/courses")
@roles_required(*AUTHORS)
def courses():
    return render_template("curriculum/course_list.html",
                           rows=list_editable_courses(actor=current_user))


@bp.route("/courses/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def course_new():
    form = NewCourseForm()
    form.fill_choices(prerequisite_choices(None))
    if form.validate_on_submit():
        try:
            course = create_course(form.code.data, form.course_input(), actor=current_user)
        except CourseInputError as error:
            _show_field_error(form, error)
        else:
            flash(_("Course %(code)s created as a draft. Now write its lessons.",
                    code=course.code), "success")
            return redirect(url_for(".lessons", code=course.code))
    return render_template("curriculum/course_form.html", form=form, course=None)


@bp.route("/courses/<code>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def course_edit(code: str):
    course = editable_course_or_abort(code)
    form = CourseForm()
    form.fill_choices(prerequisite_choices(course))
    if request.method == "GET":
        form.fill_from(course)
        form.revision.data = course_revision(course)
    conflict = False
    if form.validate_on_submit():
        try:
            changed = update_course(course, form.course_input(), revision=form.revision.data,
                                    actor=current_user)
        except EditConflict:
            conflict = True
            form.revision.data = course_revision(course)
        except CourseInputError as error:
            _show_field_error(form, error)
        else:
            flash(_("Saved: the course is now version %(version)s.", version=course.version)
                  if changed else _("Saved; nothing had changed."), "success")
            return redirect(url_for(".course_edit", code=code))
    return render_course_page("curriculum/course_form.html", course, "edit", form=form,
                              conflict=conflict, owners=list_course_owners(course),
                              owner_form=OwnerForm(prefix="owner"), action_form=ActionForm())


@bp.post("/courses/<code>/owners")
@roles_required(*AUTHORS)
@commits
def course_owner_add(code: str):
    course = editable_course_or_abort(code)
    form = OwnerForm(prefix="owner")
    if form.validate_on_submit():
        try:
            trainer = add_course_owner_by_username(course, form.username.data,
                                                   actor=current_user)
        except CourseInputError as error:
            flash(course_error(error), "danger")
        else:
            flash(_("%(name)s now owns this course too.", name=trainer.name), "success")
    else:
        flash(_("Type the employee number of a trainer."), "warning")
    return redirect(url_for(".course_edit", code=code))


@bp.post("/courses/<code>/owners/remove")
@roles_required(*AUTHORS)
@commits
def course_owner_remove(code: str):
    course = editable_course_or_abort(code)
    form = RemoveOwnerForm()
    if not form.validate_on_submit() or not form.user_id.data.isdigit():
        abort(400)
    try:
        owner = remove_course_owner(course, int(form.user_id.data), actor=current_user)
    except CourseInputError as error:
        flash(course_error(error), "danger")
        return redirect(url_for(".course_edit", code=code))
    flash(_("%(name)s no longer owns this course.", name=owner.name), "success")
    if owner.id == current_user.id and not current_user.has_role(RoleName.ADMIN):
        return redirect(url_for(".courses"))
    return redirect(url_for(".course_edit", code=code))


@bp.route("/courses/<code>/publish", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def course_publish(code: str):
    course = editable_course_or_abort(code)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            do_publish_course(course, actor=current_user)
        except CourseNotPublishable as refused:
            problems = refused.problems
            flash(_("Not published: fix the problems listed below first."), "danger")
        else:
            flash(_("Published: cadres can now find %(code)s in the catalogue.", code=code),
                  "success")
            return redirect(url_for(".course_publish", code=code))
    else:
        problems = validate_course_content(course)
    return render_course_page("curriculum/course_publish.html", course, "publish", form=form,
                              problems=describe_problems(course, problems))


@bp.post("/courses/<code>/archive")
@roles_required(*AUTHORS)
@commits
def course_archive(code: str):
    course = editable_course_or_abort(code)
    if ActionForm().validate_on_submit():
        archive_course(course, actor=current_user)
        flash(_("Archived: the course left the catalogue; cadres who took it can still read "
                "it."), "success")
    return redirect(url_for(".course_publish", code=code))


@bp.post("/courses/<code>/unpublish")
@roles_required(*AUTHORS)
@commits
def course_unpublish(code: str):
    course = editable_course_or_abort(code)
    if ActionForm().validate_on_submit():
        unpublish_course(course, actor=current_user)
        flash(_("The course is a draft again: only trainers and administrators see it."),
              "success")
    return redirect(url_for(".course_publish", code=code))


@bp.get("/courses/<code>/export.zip")
@roles_required(*AUTHORS)
def course_export(code: str):
    name, archive = export_course_zip(editable_course_or_abort(code), actor=current_user)
    # send_file streams it in blocks and closes it when the response is done
    return send_file(archive, mimetype="application/zip", as_attachment=True,
                     download_name=name)
