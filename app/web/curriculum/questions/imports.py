"""Authoring: the question bank in and out of Excel, and GIFT in. An import is previewed
first (every row and its problems), then confirmed: all of it, or nothing."""

from io import BytesIO

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.gift import GiftDefaults
from app.labels import QUESTION_TYPE_NAMES
from app.services.curriculum.authoring.question_excel import (
    MAX_UPLOAD_BYTES,
    XLSX_TYPE,
    WorkbookRefused,
    export_question_workbook,
    import_question_workbook,
    preview_question_workbook,
    question_template,
)
from app.services.curriculum.authoring.question_uploads import (
    UploadGone,
    discard_upload,
    load_upload,
    store_upload,
)
from app.services.curriculum.authoring.questions import (
    ImportRefused,
    gift_text,
    import_gift,
    preview_gift_import,
)
from app.services.curriculum.authoring.questions.gift import MAX_GIFT_BYTES
from app.web.curriculum import AUTHORS, bp
from app.web.curriculum.courses import editable_course_or_abort, render_course_page
from app.web.curriculum.question_forms import ConfirmForm, ExcelUploadForm, GiftForm
from app.web.curriculum.questions.messages import field_label, issue_text, workbook_text
from app.web.guards import roles_required
from app.web.transactions import commits, discard_refused_work

#: Rows listed on a preview page; every problem is listed whatever the number of rows.
PREVIEW_ROWS = 1000


@bp.get("/courses/<code>/questions/template.xlsx")
@roles_required(*AUTHORS)
def question_template_download(code: str):
    editable_course_or_abort(code)
    return send_file(BytesIO(question_template()), mimetype=XLSX_TYPE, as_attachment=True,
                     download_name="题库导入模板.xlsx")


@bp.get("/courses/<code>/questions/export.xlsx")
@roles_required(*AUTHORS)
def question_export(code: str):
    course = editable_course_or_abort(code)
    data = export_question_workbook(course, actor=current_user)
    return send_file(BytesIO(data), mimetype=XLSX_TYPE, as_attachment=True,
                     download_name=f"{course.code}-题库.xlsx")


@bp.route("/courses/<code>/questions/import", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def question_import(code: str):
    course = editable_course_or_abort(code)
    form = ExcelUploadForm()
    error = None
    if form.validate_on_submit():
        data = _read_upload(form.file.data, MAX_UPLOAD_BYTES)
        if data is None:
            error = _("Choose the Excel file to import.")
        else:
            try:
                bank_import = preview_question_workbook(course, data, actor=current_user)
            except WorkbookRefused as refused:
                error = workbook_text(refused.code, refused.params)
            else:
                return _preview_page(course, bank_import, "excel", data)
    return render_course_page("curriculum/question_import.html", course, "questions", form=form,
                              error=error, kind="excel")


@bp.post("/courses/<code>/questions/import/confirm")
@roles_required(*AUTHORS)
@commits
def question_import_confirm(code: str):
    course = editable_course_or_abort(code)
    form, data = _confirmed_upload(course, "xlsx")
    try:
        counts = import_question_workbook(course, data, actor=current_user)
    except ImportRefused as refused:  # the bank changed since the preview
        discard_refused_work()
        return _preview_page(course, refused.bank_import, "excel", None)
    except WorkbookRefused as refused:
        flash(workbook_text(refused.code, refused.params), "danger")
        return redirect(url_for(".question_import", code=code))
    return _finish(course, form.token.data, counts)


@bp.route("/courses/<code>/questions/import-gift", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def question_import_gift(code: str):
    course = editable_course_or_abort(code)
    form = GiftForm()
    error = None
    if form.validate_on_submit():
        text = form.text.data or ""
        if form.file.data and getattr(form.file.data, "filename", ""):
            text = gift_text(_read_upload(form.file.data, MAX_GIFT_BYTES) or b"")
            if text is None:
                error = _("The file is not text in UTF-8 or GB18030: save it as a .txt file.")
        if error is None:
            bank_import = preview_gift_import(course, text, _defaults(form),
                                              actor=current_user)
            return _preview_page(course, bank_import, "gift", text.encode("utf-8"), form)
    return render_course_page("curriculum/question_import.html", course, "questions", form=form,
                              error=error, kind="gift")


@bp.post("/courses/<code>/questions/import-gift/confirm")
@roles_required(*AUTHORS)
@commits
def question_import_gift_confirm(code: str):
    course = editable_course_or_abort(code)
    form, data = _confirmed_upload(course, "txt")
    try:
        counts = import_gift(course, data.decode("utf-8"), _defaults(form), actor=current_user)
    except ImportRefused as refused:
        discard_refused_work()
        return _preview_page(course, refused.bank_import, "gift", None)
    return _finish(course, form.token.data, counts)


def _read_upload(upload, limit: int) -> bytes | None:
    """The uploaded bytes (one more than the limit at most, so "too large" can be told)."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.stream.read(limit + 1)


def _defaults(form) -> GiftDefaults:
    return GiftDefaults(area=form.area.data or "", difficulty=form.difficulty.data or "",
                        points=(form.points.data or "").strip())


def _confirmed_upload(course, kind: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = load_upload(form.token.data or "", kind=kind, course=course,
                           actor=current_user)
    except UploadGone:
        flash(_("This upload has expired or was imported already: upload the file again."),
              "warning")
        endpoint = ".question_import" if kind == "xlsx" else ".question_import_gift"
        abort(redirect(url_for(endpoint, code=course.code)))
    return form, data


def _finish(course, token: str, counts: dict):
    discard_upload(token)  # in the same transaction: gone only once imported
    flash(_("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.",
            **counts), "success")
    return redirect(url_for(".questions", code=course.code))


def _preview_page(course, bank_import, kind: str, data: bytes | None, gift_form=None):
    """Every row (up to PREVIEW_ROWS) and every problem; a confirm button only when the
    import can go ahead, its file kept until then."""
    confirm = None
    if data is not None and not bank_import.problems:
        confirm = ConfirmForm()
        confirm.token.data = store_upload(data, kind="xlsx" if kind == "excel" else "txt",
                                          course=course, actor=current_user)
        if gift_form is not None:
            for name in ("area", "difficulty", "points"):
                getattr(confirm, name).data = getattr(gift_form, name).data
    rows: dict[int, dict] = {}
    for item in bank_import.planned:
        rows[item.place] = {"place": item.place, "key": item.question.key,
                            "type": QUESTION_TYPE_NAMES[item.question.type],
                            "prompt": item.question.prompt, "action": item.action,
                            "problems": []}
    problems = [{"place": problem.place, "column": problem.column, "letter": problem.letter,
                 "field": field_label(problem.issue.field) if problem.issue.field else "",
                 "message": issue_text(problem.issue)} for problem in bank_import.problems]
    for problem in problems:
        rows.setdefault(problem["place"], {"place": problem["place"], "key": "", "type": "",
                                           "prompt": "", "action": "problem",
                                           "problems": []})["problems"].append(problem)
    listed = sorted(rows.values(), key=lambda row: row["place"])
    summary = {action: bank_import.count(action) for action in ("new", "updated", "unchanged")}
    return render_course_page("curriculum/question_preview.html", course, "questions",
                              kind=kind, rows=listed[:PREVIEW_ROWS], total_rows=len(listed),
                              problems=problems, summary=summary, confirm=confirm,
                              place_label=_("Row") if kind == "excel" else _("Line"))
