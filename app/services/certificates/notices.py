"""Notices on a cadre's dashboard (e.g. a certificate revoked after a regrade), until read."""

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.notification import Notification
from app.models.types import utcnow
from app.services.core.errors import NotFound, PermissionDenied

SHOWN = 10


def list_unread_notifications(user: User) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id,
                                   Notification.read_at.is_(None))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(SHOWN)))


def mark_notification_read(notification_id: int, *, actor: User) -> None:
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        raise NotFound(str(notification_id))
    if notification.user_id != actor.id:
        raise PermissionDenied("not your notification")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
