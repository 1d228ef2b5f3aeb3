"""Security headers on every response, and no copies of signed-in answers in any cache."""

from flask import Flask, current_app, request, session

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
#: What a signed-in user gets that is the same for everyone (our CSS and JS, course images
#: and files): the browser may keep these as the view says; every other signed-in answer
#: (pages, PDFs, CSV, Excel, zip, JSON) is no-store, whatever the view set.
SHARED_CONTENT_ENDPOINTS = frozenset({"static", "bootstrap.static", "learning.asset",
                                      "video.stream", "video.poster", "video.subtitles"})


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint not in SHARED_CONTENT_ENDPOINTS and "_user_id" in session:
        headers["Cache-Control"] = "no-store"
    elif response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    hsts_seconds = current_app.config["HSTS_SECONDS"]
    if hsts_seconds:
        headers.setdefault("Strict-Transport-Security",
                           f"max-age={hsts_seconds}; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
