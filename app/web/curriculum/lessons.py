"""Authoring: a course's lessons (write with a live preview, reorder, delete) and images."""

import re

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.course_files.spec import MAX_ASSET_BYTES
from app.services.curriculum.authoring.courses import EditConflict
from app.services.curriculum.authoring.lessons import (
    ImageRefused,
    LessonInputError,
    create_lesson,
    delete_lesson,
    find_lesson,
    lesson_revision,
    move_lesson,
    preview_markdown,
    update_lesson,
    upload_course_image,
)
from app.web.curriculum import AUTHORS, bp
from app.web.curriculum.course_forms import (
    ImageForm,
    LessonForm,
    MoveForm,
    image_error,
    lesson_error,
)
from app.web.curriculum.courses import editable_course_or_abort, render_course_page
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.transactions import commits

#: Asset images as the sanitiser writes them: relative to a learner's lesson page.
_ASSET_IMAGE = re.compile(r'src="\.\./assets/([A-Za-z0-9._-]+)"')


def _lesson_or_404(course, number: int):
    return find_lesson(course, number)


def _preview(course, text: str) -> str:
    """The learner's HTML, with asset images pointing at the asset route from any page."""
    html = preview_markdown(course, text, actor=current_user)
    return _ASSET_IMAGE.sub(lambda match: 'src="{}"'.format(
        url_for("learning.asset", code=course.code, filename=match[1])), html)


@bp.get("/courses/<code>/lessons")
@roles_required(*AUTHORS)
def lessons(code: str):
    course = editable_course_or_abort(code)
    return render_course_page("curriculum/lesson_list.html", course, "lessons",
                              action_form=ActionForm(), image_form=ImageForm())


@bp.route("/courses/<code>/lessons/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def lesson_new(code: str):
    course = editable_course_or_abort(code)
    return _lesson_page(course, None)


@bp.route("/courses/<code>/lessons/<int:number>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def lesson_edit(code: str, number: int):
    course = editable_course_or_abort(code)
    return _lesson_page(course, _lesson_or_404(course, number))


def _lesson_page(course, lesson):
    form = LessonForm()
    if request.method == "GET" and lesson is not None:
        form.fill_from(lesson)
        form.revision.data = lesson_revision(lesson)
    conflict = None
    previewing = request.form.get("action") == "preview"
    if not previewing and form.validate_on_submit():
        try:
            saved = _save(course, lesson, form)
        except EditConflict:
            # Their text stays in the form; what is saved now is shown beside it.
            same = (form.revision.data or "").split("-")[0] == str(lesson.id)
            conflict = "changed" if same else "moved"
            if same:
                form.revision.data = lesson_revision(lesson)
        except LessonInputError as error:
            field = getattr(form, error.field, form.body)
            field.errors = [*field.errors, lesson_error(error)]
        else:
            flash(_("Lesson %(number)s saved; the course is version %(version)s.",
                    number=saved.number, version=course.version), "success")
            return redirect(url_for(".lesson_edit", code=course.code, number=saved.number))
    return render_course_page("curriculum/lesson_form.html", course, "lessons", form=form,
                              lesson=lesson, conflict=conflict,
                              preview_html=_preview(course, form.body.data or ""),
                              image_form=ImageForm())


def _save(course, lesson, form: LessonForm):
    if lesson is None:
        return create_lesson(course, form.lesson_input(), actor=current_user)
    update_lesson(lesson, form.lesson_input(), revision=form.revision.data or "",
                  actor=current_user)
    return lesson


@bp.post("/courses/<code>/lessons/<int:number>/move")
@roles_required(*AUTHORS)
@commits
def lesson_move(code: str, number: int):
    course = editable_course_or_abort(code)
    lesson = _lesson_or_404(course, number)
    form = MoveForm()
    if form.validate_on_submit() and move_lesson(lesson, form.direction.data,
                                                 actor=current_user):
        flash(_("“%(title)s” is now lesson %(number)s.", title=lesson.title,
                number=lesson.number), "success")
    return redirect(url_for(".lessons", code=code))


@bp.post("/courses/<code>/lessons/<int:number>/delete")
@roles_required(*AUTHORS)
@commits
def lesson_delete(code: str, number: int):
    course = editable_course_or_abort(code)
    lesson = _lesson_or_404(course, number)
    if ActionForm().validate_on_submit():
        title = lesson.title
        try:
            delete_lesson(lesson, actor=current_user)
        except LessonInputError as error:
            flash(lesson_error(error), "danger")
        else:
            flash(_("Lesson “%(title)s” deleted; the lessons after it moved up.", title=title),
                  "success")
    return redirect(url_for(".lessons", code=code))


@bp.post("/courses/<code>/markdown-preview")
@roles_required(*AUTHORS)
def markdown_preview(code: str):
    """The preview pane's HTML for the text typed so far (markdown_preview.js)."""
    course = editable_course_or_abort(code)
    if not ActionForm().validate_on_submit():
        return jsonify(error=_("The page has expired: reload it.")), 400
    return jsonify(html=_preview(course, request.form.get("body", "")))


@bp.post("/courses/<code>/images")
@roles_required(*AUTHORS)
@commits
def course_images(code: str):
    course = editable_course_or_abort(code)
    form = ImageForm()
    back = url_for(".lessons", code=code)
    if (form.lesson.data or "").isdigit():
        back = url_for(".lesson_edit", code=code, number=int(form.lesson.data))
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.image.errors) or _("Choose an image file."),
              "warning")
        return redirect(back)
    upload = form.image.data
    # One byte more than allowed is enough to tell the file is too large.
    data = upload.stream.read(MAX_ASSET_BYTES + 1)
    try:
        asset = upload_course_image(course, upload.filename or "", data,
                                    replace=form.replace.data, actor=current_user)
    except ImageRefused as error:
        flash(image_error(error), "danger")
    else:
        flash(_("Image %(name)s uploaded. Copy its Markdown from the list of images into a "
                "lesson.", name=asset.filename), "success")
    return redirect(back)
