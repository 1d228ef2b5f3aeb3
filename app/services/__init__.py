"""Use cases, verb first, acting user explicit. They flush; the request or command commits."""


class ServiceError(Exception):
    """A refused operation; the message is safe to show to the user."""


class PermissionDenied(ServiceError):
    """The acting user may not do this."""
