from types import SimpleNamespace

from sqlalchemy import select

from app.extensions import db
from app.models import Question
from app.services.curriculum.course_files.sync import sync_by_key
from tests.factories import make_question


def _sync(items, *, retire=None):
    """Questions of a bank named by key with the prompt as their content."""
    stored = {row.key: row for row in db.session.scalars(select(Question))}

    def fill(row, item, digest):
        row.prompt, row.content_hash = item.prompt, digest
        row.type, row.area, row.difficulty, row.points, row.spec = "single", "data", 1, 1, {}
        return row

    counts = sync_by_key(items, stored, key=lambda item: item.key,
                         digest=lambda item: f"h-{item.prompt}",
                         new=lambda item: Question(key=item.key, version=1), fill=fill,
                         retire=retire)
    db.session.flush()
    return counts


def test_sync_adds_new_updates_changed_and_retires_or_deletes_missing_items(db):
    for key in ("K1", "K2", "K3"):
        row = make_question(key, prompt=key)
        row.content_hash = f"h-{key}"
    kept = db.session.scalar(select(Question).where(Question.key == "K1"))
    items = [SimpleNamespace(key="K1", prompt="K1"), SimpleNamespace(key="K2", prompt="新"),
             SimpleNamespace(key="K4", prompt="K4")]
    retired = []
    counts = _sync(items, retire=lambda row: retired.append(row.key) or True)
    assert (counts.created, counts.updated, counts.unchanged, counts.retired) == (1, 1, 1, 1)
    assert retired == ["K3"] and counts.removed == []
    rows = {row.key: row for row in db.session.scalars(select(Question))}
    assert rows["K1"] is kept and kept.version == 1
    assert (rows["K2"].version, rows["K2"].prompt) == (2, "新")
    assert (rows["K4"].version, rows["K4"].prompt) == (1, "K4") and "K3" in rows
    counts = _sync(items[:1])  # without retire, missing rows are deleted, in key order
    assert counts.removed == ["K2", "K3", "K4"] and counts.unchanged == 1
    assert list(db.session.scalars(select(Question.key))) == ["K1"]
