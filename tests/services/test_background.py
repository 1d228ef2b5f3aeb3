"""Work started once a transaction commits (app.services.core.background)."""

from app.extensions import db
from app.services.core.background import after_commit, on_rollback


def test_callbacks_run_after_the_commit_or_the_rollback_not_a_savepoints(app):
    ran = []
    after_commit(lambda: ran.append("committed"))
    on_rollback(lambda: ran.append("undone"))
    with db.session.begin_nested() as savepoint:
        savepoint.rollback()
    assert ran == []
    db.session.commit()
    assert ran == ["committed"]
    db.session.rollback()  # nothing pending any more
    assert ran == ["committed"]
    on_rollback(lambda: ran.append("undone"))
    after_commit(lambda: ran.append("never"))
    db.session.execute(db.select(1))
    db.session.rollback()
    db.session.commit()
    assert ran == ["committed", "undone"]
