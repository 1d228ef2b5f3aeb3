"""The projector's QR code: the absolute address of the phone's check-in page for the
current window, drawn server-side as an inline SVG (segno), so the page needs no script to
show it and no QR library in the browser."""

import segno
from flask import current_app, url_for

from app.models import ClassSession
from app.services.training.attendance import ShownCode


def check_in_url(session: ClassSession, shown: ShownCode) -> str:
    """Where a phone lands: PUBLIC_BASE_URL (as certificates' QR codes use it) and the
    phone page's path with the session, window and code."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return base + url_for("attendance.scan", session_id=session.id, window=shown.window,
                          code=shown.code)


def qr_svg(text: str) -> str:
    """An SVG of ``text`` sized by its viewBox (CSS sets the size), with the 4-module quiet
    zone scanners need; error correction M survives a projector's glare and a hand-held
    phone's blur while keeping the modules large. Safe to insert as markup: it holds path
    data only (no title, so ``text`` itself is not written into it)."""
    code = segno.make(text, error="m", micro=False)
    return code.svg_inline(scale=1, border=4, omitsize=True, svgclass="check-in-qr",
                           title=None, dark="#000", light="#fff")
