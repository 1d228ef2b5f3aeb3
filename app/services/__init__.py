"""Use cases, verb first, acting user explicit. They flush; the request or command commits."""


class ServiceError(Exception):
    """A refused operation; the message is safe to show to the user."""


class PermissionDenied(ServiceError):
    """The acting user may not do this. ``target`` names what was refused (e.g.
    "org_unit:12") for the audit log, where the web layer records every refusal once."""

    def __init__(self, message: str = "", *, target: str | None = None):
        super().__init__(message)
        self.target = target
