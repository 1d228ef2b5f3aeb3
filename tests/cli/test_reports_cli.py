from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from tests.factories import make_user
from tests.reports.pdfs import all_text, flat, page_texts, read_pdf
from tests.services.test_hr_reports import YEAR, busy_cadre, catalogue


def _downloads():
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "report.downloaded").order_by(AuditEvent.id)).all()


def test_unit_summary_to_a_file(runner, tree, tmp_path):
    busy_cadre(tree["jiefangbei"], name="李明")
    db.session.commit()
    output = tmp_path / "summary.pdf"
    result = runner.invoke(args=["reports", "unit", "--org", "500103", "--year", str(YEAR),
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    pages = page_texts(output.read_bytes())
    assert "渝中区" in flat(pages[0]) and f"第1页/共{len(pages)}页" in flat(pages[0])
    [event] = _downloads()
    assert event.actor_id is None and event.details["unit"] == "500103"
    assert db.session.scalar(select(User).where(User.name == "operator")) is None


def test_cadre_record_to_a_file(runner, tree, tmp_path):
    person = busy_cadre(tree["jiefangbei"], name="李<明>")
    db.session.commit()
    output = tmp_path / "cadre.pdf"
    result = runner.invoke(args=["reports", "cadre", "--user", person.username, "--year",
                                 str(YEAR), "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = flat(all_text(output.read_bytes()))
    assert "李<明>" in text and "DA110" in text and f"DCA-{YEAR}-000001" in text


def test_batch_with_bookmarks_and_a_progress_bar(runner, tree, tmp_path):
    courses = catalogue()
    for i in range(3):
        busy_cadre(tree["jiefangbei"], name=f"学员{i}", courses=courses)
    make_user(unit=tree["guanyinqiao"], name="江北学员")
    db.session.commit()
    output = tmp_path / "batch.pdf"
    result = runner.invoke(args=["reports", "batch", "--org", "500103", "--year", str(YEAR),
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    pdf = read_pdf(output.read_bytes())
    assert [item.title for item in pdf.outline] == [
        "学员0（解放碑街道）", "学员1（解放碑街道）", "学员2（解放碑街道）"]
    # Written page by page, the batch prints its page total from a form drawn at the end.
    total = len(pdf.pages)
    assert f"第1页/共{total}页" in flat(pdf.pages[0].extract_text())
    assert f"第{total}页/共{total}页" in flat(pdf.pages[-1].extract_text())
    assert _downloads()[0].details["cadres"] == 3


def test_bad_input_gets_a_clear_message(runner, tree, tmp_path):
    make_user(unit=tree["jiefangbei"], username="C1")
    db.session.commit()
    output = str(tmp_path / "x.pdf")
    cases = [
        (["reports", "unit", "--org", "nope", "--year", str(YEAR), "-o", output],
         "no org unit with code nope"),
        (["reports", "batch", "--org", "nope", "--year", str(YEAR), "-o", output],
         "no org unit with code nope"),
        (["reports", "cadre", "--user", "ghost", "--year", str(YEAR), "-o", output],
         "no account ghost"),
        (["reports", "cadre", "--user", "C1", "--year", str(YEAR + 1), "-o", output],
         "the year must be within"),
        (["reports", "unit", "--org", "500103", "--year", "1990", "-o", output],
         "1990"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert not (tmp_path / "x.pdf").exists() and _downloads() == []


def test_worker_needs_redis(runner, app):
    result = runner.invoke(args=["reports", "worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


def test_purge_drops_old_finished_jobs_only(runner, tree):
    from datetime import timedelta

    from app.domain.vocabulary import JobStatus
    from app.models import ReportJob
    from app.models.types import utcnow

    owner = make_user(unit=tree["yuzhong"])
    old = utcnow() - timedelta(days=10)
    for key, status, created in (("a", JobStatus.DONE, old), ("b", JobStatus.FAILED, old),
                                 ("c", JobStatus.RUNNING, old), ("d", JobStatus.DONE, utcnow())):
        db.session.add(ReportJob(id=key * 32, kind="batch_records", params={},
                                 requested_by_id=owner.id, status=status, created_at=created))
    db.session.commit()
    result = runner.invoke(args=["reports", "purge", "--days", "7"])
    assert result.exit_code == 0 and "2 report jobs removed" in result.output
    assert sorted(j.id[0] for j in db.session.scalars(select(ReportJob))) == ["c", "d"]
