"""What the lesson page's player fetches and reports: the video file (HTTP ranges, or
handed to nginx), poster, subtitles, and the claim / report / presence-check calls."""

from flask import Blueprint, Response, abort, current_app, jsonify, request, send_file
from flask_login import current_user
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from app.domain.watch_time import Report
from app.services.learning.enrollment import find_course_for
from app.services.video.storage import playable_file, poster_file
from app.services.video.viewing import find_lesson_video, find_video_to_watch, subtitle_text
from app.services.video.watching import (
    answer_presence_check,
    claim_video_watch,
    report_video_watch,
)
from app.web.guards import login_required
from app.web.transactions import commits

bp = Blueprint("video", __name__)
MEDIA_CACHE = "private, max-age=3600"


def _video(code: str, number: int):
    return find_lesson_video(find_course_for(code, actor=current_user), number,
                             actor=current_user)


@bp.get("/<code>/lessons/<int:number>/video.mp4")
@login_required
def stream(code: str, number: int):
    video = _video(code, number)
    accel = current_app.config["VIDEO_ACCEL_REDIRECT"]
    if accel:  # nginx serves the bytes (and the ranges) from its internal location
        response = Response(status=200, mimetype="video/mp4")
        response.headers["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{video.storage_key}/video.mp4"
    else:
        try:
            response = send_file(playable_file(video), mimetype="video/mp4", conditional=True,
                                 etag=video.storage_key, max_age=3600)
        except RequestedRangeNotSatisfiable as error:  # RFC 9110: say how long it is
            return Response(status=416, headers={"Content-Range": f"bytes */{error.length}"})
    response.headers["Cache-Control"] = MEDIA_CACHE
    return response


@bp.get("/<code>/lessons/<int:number>/poster.jpg")
@login_required
def poster(code: str, number: int):
    response = send_file(poster_file(_video(code, number)), mimetype="image/jpeg",
                         conditional=True, max_age=3600)
    response.headers["Cache-Control"] = MEDIA_CACHE
    return response


@bp.get("/<code>/lessons/<int:number>/subtitles/<language>.vtt")
@login_required
def subtitles(code: str, number: int, language: str):
    text = subtitle_text(_video(code, number), language)
    return Response(text, mimetype="text/vtt", headers={"Cache-Control": MEDIA_CACHE})


def _tab() -> str:
    tab = str((request.get_json(silent=True) or {}).get("tab", ""))
    if not 8 <= len(tab) <= 32 or not tab.isalnum():
        abort(400)
    return tab


@bp.post("/<code>/lessons/<int:number>/watch/claim")
@login_required
@commits
def claim(code: str, number: int):
    video, enrollment = find_video_to_watch(code, number, actor=current_user)
    return jsonify(claim_video_watch(video, actor=current_user, tab=_tab(),
                                     enrollment=enrollment).as_json())


@bp.post("/<code>/lessons/<int:number>/watch/report")
@login_required
@commits
def report(code: str, number: int):
    video, enrollment = find_video_to_watch(code, number, actor=current_user)
    body = request.get_json(silent=True) or {}
    try:
        played = Report(start=float(body["start"]), end=float(body["end"]),
                        visible=bool(body.get("visible", True)))
    except (KeyError, TypeError, ValueError):
        abort(400)
    state = report_video_watch(video, played, actor=current_user, tab=_tab(),
                               final=bool(body.get("final")), enrollment=enrollment)
    return jsonify(state.as_json())


@bp.post("/<code>/lessons/<int:number>/watch/presence")
@login_required
@commits
def presence(code: str, number: int):
    video, enrollment = find_video_to_watch(code, number, actor=current_user)
    return jsonify(answer_presence_check(video, actor=current_user, tab=_tab(),
                                         enrollment=enrollment).as_json())
