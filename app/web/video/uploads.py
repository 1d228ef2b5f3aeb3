"""A lesson's video page for its authors (under /teaching): the video's state, a
resumable upload in chunks (static/js/video_upload.js), subtitles, delete.

The upload speaks JSON: start (POST) gives an upload id; each chunk is a PUT of raw bytes
at ``?offset=``, answered with the bytes received, or 409 with the offset to resume from;
finish (POST) checks the file and queues its processing, whose state the page polls.
"""

from flask import Blueprint, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField

from app.services.curriculum.authoring import find_editable_course
from app.services.curriculum.authoring.lessons import find_lesson
from app.services.video.processing import VideoRefused, tools_missing
from app.services.video.subtitles import (
    SubtitlesRefused,
    decode_subtitles,
    remove_video_subtitles,
    set_video_subtitles,
)
from app.services.video.uploads import (
    ChunkOffsetMismatch,
    UploadRefused,
    delete_lesson_video,
    find_video_upload,
    finish_video_upload,
    receive_video_chunk,
    start_video_upload,
    video_state,
)
from app.web.curriculum import AUTHORS
from app.web.curriculum.courses import render_course_page
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.transactions import commits
from app.web.video.messages import (
    LANGUAGE_LABELS,
    STATUS_LABELS,
    duration_text,
    mebibytes,
    subtitle_message,
    video_message,
)

video_uploads_bp = Blueprint("video_uploads", __name__)
PAGE = "/courses/<code>/lessons/<int:number>/video"


class SubtitleForm(FlaskForm):
    language = SelectField(choices=[SelectChoice(code, label)
                                    for code, label in LANGUAGE_LABELS.items()])
    file = FileField(validators=[FileRequired()])


def _lesson(code: str, number: int):
    return find_lesson(find_editable_course(code, actor=current_user), number)


def _refused(error) -> tuple:
    return jsonify(error=video_message(error.reason, error.detail), reason=error.reason), 422


@video_uploads_bp.get(PAGE)
@roles_required(*AUTHORS)
def lesson_video(code: str, number: int):
    lesson = _lesson(code, number)
    return render_course_page(
        "video/lesson_video.html", lesson.course, "lessons", lesson=lesson, video=lesson.video,
        state=_state(lesson), missing_tools=tools_missing(), action_form=ActionForm(),
        subtitle_form=SubtitleForm(), status_labels=STATUS_LABELS,
        language_labels=LANGUAGE_LABELS, max_size=mebibytes(current_app.config[
            "VIDEO_MAX_BYTES"]))


@video_uploads_bp.get(PAGE + "/status.json")
@roles_required(*AUTHORS)
def lesson_video_status(code: str, number: int):
    return jsonify(_state(_lesson(code, number)))


def _state(lesson) -> dict:
    state = video_state(lesson.video)
    if state.get("error"):
        state["message"] = video_message(state["error"])
    if state.get("duration_seconds"):
        state["duration"] = duration_text(state["duration_seconds"])
    return state


@video_uploads_bp.post(PAGE + "/uploads")
@roles_required(*AUTHORS)
@commits
def upload_start(code: str, number: int):
    lesson = _lesson(code, number)
    size = request.form.get("size", "")
    if not size.isdigit():
        return jsonify(error=_("The file size is missing.")), 400
    try:
        upload = start_video_upload(lesson, request.form.get("filename", ""), int(size),
                                    actor=current_user)
    except (UploadRefused, VideoRefused) as error:
        return _refused(error)
    return jsonify(id=upload.id, offset=upload.received_bytes, total=upload.total_bytes,
                   chunk_bytes=current_app.config["VIDEO_CHUNK_BYTES"],
                   chunk_url=url_for(".upload_chunk", code=code, number=number,
                                     upload_id=upload.id),
                   finish_url=url_for(".upload_finish", code=code, number=number,
                                      upload_id=upload.id))


@video_uploads_bp.put(PAGE + "/uploads/<upload_id>")
@roles_required(*AUTHORS)
@commits
def upload_chunk(code: str, number: int, upload_id: str):
    upload = find_video_upload(upload_id, _lesson(code, number), actor=current_user)
    offset = request.args.get("offset", "")
    if not offset.isdigit():
        return jsonify(error=_("The chunk's offset is missing."), offset=upload.received_bytes), 400
    try:
        received = receive_video_chunk(upload, int(offset), request.get_data(),
                                       actor=current_user)
    except ChunkOffsetMismatch as mismatch:
        return jsonify(offset=mismatch.expected), 409
    except UploadRefused as error:
        return _refused(error)
    return jsonify(offset=received)


@video_uploads_bp.post(PAGE + "/uploads/<upload_id>/finish")
@roles_required(*AUTHORS)
@commits
def upload_finish(code: str, number: int, upload_id: str):
    upload = find_video_upload(upload_id, _lesson(code, number), actor=current_user)
    try:
        accepted = finish_video_upload(upload, actor=current_user)
    except (UploadRefused, VideoRefused) as error:
        return _refused(error)
    notice = _("This video has no sound: a silent sound track was added.") \
        if accepted.silent else ""
    return jsonify(status=accepted.video.status.value, notice=notice)


@video_uploads_bp.post(PAGE + "/subtitles")
@roles_required(*AUTHORS)
@commits
def subtitles_upload(code: str, number: int):
    lesson = _lesson(code, number)
    form = SubtitleForm()
    if lesson.video is None:
        flash(_("Upload the video first, then its subtitles."), "warning")
    elif not form.validate_on_submit():
        flash(_("Choose a WebVTT (.vtt) subtitle file."), "warning")
    else:
        try:
            text = decode_subtitles(form.file.data.stream.read(1024 * 1024 + 1))
            set_video_subtitles(lesson.video, form.language.data, text, actor=current_user)
        except SubtitlesRefused as error:
            flash(subtitle_message(error.reason, error.line), "danger")
        else:
            flash(_("%(language)s subtitles saved.",
                    language=LANGUAGE_LABELS[form.language.data]), "success")
    return redirect(url_for(".lesson_video", code=code, number=number))


@video_uploads_bp.post(PAGE + "/subtitles/<language>/delete")
@roles_required(*AUTHORS)
@commits
def subtitles_delete(code: str, number: int, language: str):
    lesson = _lesson(code, number)
    if ActionForm().validate_on_submit() and lesson.video is not None and \
            remove_video_subtitles(lesson.video, language, actor=current_user):
        flash(_("%(language)s subtitles removed.",
                language=LANGUAGE_LABELS.get(language, language)), "success")
    return redirect(url_for(".lesson_video", code=code, number=number))


@video_uploads_bp.post(PAGE + "/delete")
@roles_required(*AUTHORS)
@commits
def lesson_video_delete(code: str, number: int):
    lesson = _lesson(code, number)
    if ActionForm().validate_on_submit() and lesson.video is not None:
        delete_lesson_video(lesson.video, actor=current_user)
        flash(_("The video was deleted; the lesson is text only."), "success")
    return redirect(url_for(".lesson_video", code=code, number=number))
