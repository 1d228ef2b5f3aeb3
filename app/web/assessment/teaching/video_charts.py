"""The audience-retention chart of a lesson video, drawn for wide screens and for phones."""

from flask_babel import gettext as _

from app.domain.charts import ScreenSvg, render_chart_for_screens
from app.domain.video_evidence import moment_label
from app.services.video.evidence import VideoEvidence


def retention_rows(video: VideoEvidence) -> list[tuple[str, float]]:
    """(moment as m:ss, share still watching in percent): the chart's table equivalent."""
    return [(moment_label(moment), round(share * 100, 1))
            for moment, share in zip(video.moments, video.curve, strict=True)]


def retention_chart(video: VideoEvidence) -> ScreenSvg:
    rows = retention_rows(video)
    return render_chart_for_screens(
        "line", [moment for moment, _share in rows],
        [(_("Still watching"), [share for _moment, share in rows])],
        y_label=_("Share still watching, in percent"))
