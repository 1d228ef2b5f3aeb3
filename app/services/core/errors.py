"""What a use case raises when it refuses. The web layer turns each into a status code
(app.web.errors): NotFound → 404, PermissionDenied → 403, any other ServiceError → the
page's own message. Messages are safe to show to the user."""


class ServiceError(Exception):
    """A refused operation; the message is safe to show to the user."""


class PermissionDenied(ServiceError):
    """The acting user may not do this. ``target`` names what was refused (e.g.
    "org_unit:12") for the audit log, where the web layer records every refusal once."""

    def __init__(self, message: str = "", *, target: str | None = None):
        super().__init__(message)
        self.target = target


class NotFound(ServiceError):
    """The thing does not exist, or this user may not know that it does."""
