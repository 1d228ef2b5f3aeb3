"""What the video pages say for each reason a service gives (uploads, processing,
subtitles): one place, so the upload page and its JSON answers say the same."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain.vocabulary import VideoStatus

STATUS_LABELS = {VideoStatus.PROCESSING: _l("Processing"), VideoStatus.READY: _l("Ready to play"),
                 VideoStatus.FAILED: _l("Failed")}
LANGUAGE_LABELS = {"zh": _l("Chinese"), "en": _l("English")}


def mebibytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MiB"


def duration_text(seconds: float) -> str:
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    return (f"{hours}:" if hours else "") + f"{rest // 60:02d}:{rest % 60:02d}"


def video_message(reason: str | None, detail: str = "") -> str:
    """The message for a reason of VideoRefused, UploadRefused or a failed processing."""
    config = current_app.config
    number = int(detail) if detail.isdigit() else None
    messages = {
        "tools_missing": lambda: _(
            "ffmpeg is not installed on the server: an administrator installs Debian's "
            "ffmpeg package (%(command)s).", command="apt-get install ffmpeg"),
        "not_video": lambda: _(
            "This file is not a video the server can read (it may be another kind of file "
            "renamed, or cut off). Upload an MP4, MOV, MKV, WebM or AVI video."),
        "no_video_stream": lambda: _(
            "This file has no picture: it is a sound file, not a video."),
        "still_image": lambda: _("This file is a single picture, not a video."),
        "too_long": lambda: _(
            "This video is longer than %(limit)s: split it into shorter lessons.",
            limit=duration_text(number or config["VIDEO_MAX_SECONDS"])),
        "empty": lambda: _("The file is empty."),
        "too_large": lambda: _(
            "The file is larger than %(limit)s, the most a video may be.",
            limit=mebibytes(number or config["VIDEO_MAX_BYTES"])),
        "chunk_size": lambda: _(
            "A part of the upload was too large; reload the page and try again."),
        "past_end": lambda: _("The upload sent more bytes than the file has; start it again."),
        "incomplete": lambda: _(
            "Only %(detail)s bytes of the file arrived; the upload resumes.", detail=detail),
        "gone": lambda: _("This upload is no longer on the server; start it again."),
        "truncated": lambda: _(
            "The video ends early: the file was cut off (an incomplete copy or download). "
            "Upload the complete file."),
        "transcode_failed": lambda: _(
            "The video could not be converted: the file is damaged or in a format the server "
            "does not read. Upload it again, or export it as MP4 first."),
        "source_missing": lambda: _(
            "The uploaded file is no longer on the server: upload it again."),
        "unqueued": lambda: _(
            "The processing queue is not reachable; upload the video again later or ask an "
            "administrator."),
    }
    message = messages.get(reason or "")
    return message() if message is not None else (reason or "")


def subtitle_message(reason: str, line: int = 0) -> str:
    """The message for a SubtitlesRefused."""
    messages = {
        "language": _("Subtitles are in Chinese or English."),
        "too_large": _("The subtitle file is larger than 1 MiB."),
        "encoding": _("The subtitle file is not UTF-8 text: save it as UTF-8."),
        "header": _("A WebVTT file starts with the line WEBVTT (an .srt file must be "
                    "converted first)."),
        "timing": _("Line %(line)s should be a cue timing such as "
                    "00:01.000 --> 00:04.000 (a dot before the milliseconds).", line=line),
        "backwards": _("Line %(line)s: the cue ends before it starts.", line=line),
        "cue_text": _("Line %(line)s: the cue has no text.", line=line),
        "no_cues": _("The file has no subtitles (no cue timings)."),
    }
    return messages.get(reason, reason)
