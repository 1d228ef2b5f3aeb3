
import pytest

from app import jobs
from app.domain.vocabulary import JobStatus, RoleName
from app.extensions import db
from app.models import ReportJob
from app.services.core.errors import NotFound, ServiceError
from app.services.records.report_jobs import (
    JobOutput,
    find_report_job,
    job_waits_for_a_worker,
    report_workers_listening,
    submit_report_job,
    wait_for_report_jobs,
)
from tests.factories import make_user
from tests.reports.pdfs import read_pdf
from tests.services.test_hr_reports import YEAR, busy_cadre, catalogue


@pytest.fixture
def hr(tree):
    return make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"],
                     name="张静")


@pytest.fixture
def cadres(tree):
    courses = catalogue()
    return [busy_cadre(tree["jiefangbei"], name=f"学员{i}", courses=courses) for i in range(3)]


def _fresh(job_id):
    db.session.expire_all()
    return db.session.get(ReportJob, job_id)


def test_a_batch_job_runs_in_a_thread_after_the_commit(hr, cadres, tree):
    job = submit_report_job(jobs.BATCH_RECORDS, {"unit": "500103", "year": YEAR}, actor=hr)
    assert job.status is JobStatus.QUEUED and len(job.id) == 32
    wait_for_report_jobs(timeout=1)
    assert _fresh(job.id).status is JobStatus.QUEUED  # not started before the commit
    db.session.commit()
    wait_for_report_jobs()
    done = _fresh(job.id)
    assert done.status is JobStatus.DONE and (done.done, done.total) == (8, 8)
    assert done.filename == f"{tree['yuzhong'].name}-{YEAR}年干部培训档案.pdf"
    assert done.started_at <= done.finished_at and done.error is None
    titles = [item.title for item in read_pdf(done.content).outline]
    assert titles == ["张静（渝中区）", "学员0（解放碑街道）", "学员1（解放碑街道）",
                      "学员2（解放碑街道）"]


def test_a_rolled_back_submission_starts_nothing(hr):
    job_id = submit_report_job(jobs.BATCH_RECORDS, {"unit": "500103", "year": YEAR},
                               actor=hr).id
    db.session.rollback()
    db.session.commit()
    wait_for_report_jobs()
    assert _fresh(job_id) is None


def test_a_failing_job_records_why(hr, monkeypatch):
    def refused(params, *, actor, progress):
        progress(1, 4)
        raise ServiceError("this unit is outside your scope")

    def broken(params, *, actor, progress):
        raise RuntimeError("secret internals")

    monkeypatch.setitem(jobs.BUILDERS, "refused", refused)
    monkeypatch.setitem(jobs.BUILDERS, "broken", broken)
    first = submit_report_job("refused", {}, actor=hr)
    second = submit_report_job("broken", {}, actor=hr)
    third = submit_report_job("unknown", {}, actor=hr)
    db.session.commit()
    wait_for_report_jobs()
    assert (_fresh(first.id).status, _fresh(first.id).error, _fresh(first.id).total) == (
        JobStatus.FAILED, "this unit is outside your scope", 4)
    assert _fresh(second.id).status is JobStatus.FAILED
    assert "secret" not in _fresh(second.id).error and _fresh(second.id).finished_at
    assert _fresh(third.id).error == "unknown report kind: unknown"


def test_a_job_outside_the_requesters_scope_fails(tree, hr):
    job = submit_report_job(jobs.BATCH_RECORDS, {"unit": "500105", "year": YEAR}, actor=hr)
    db.session.commit()
    wait_for_report_jobs()
    assert _fresh(job.id).status is JobStatus.FAILED and _fresh(job.id).content is None


def test_a_job_runs_once(hr, monkeypatch):
    calls = []
    monkeypatch.setitem(jobs.BUILDERS, "count", lambda params, *, actor, progress: calls.append(
        1) or JobOutput("x.pdf", "application/pdf", b"%PDF-1.4"))
    job = submit_report_job("count", {}, actor=hr)
    db.session.commit()
    wait_for_report_jobs()
    assert jobs.run_report_job(job.id) is None  # done already: nothing to do
    assert jobs.run_report_job("f" * 32) is None
    assert calls == [1]


def test_only_the_requester_finds_a_job(tree, hr):
    job = submit_report_job("unknown", {}, actor=hr)
    other = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    assert find_report_job(job.id, actor=hr) is job
    for job_id, actor in ((job.id, other), ("0" * 32, hr), ("x" * 500, hr)):
        with pytest.raises(NotFound):
            find_report_job(job_id, actor=actor)
    db.session.rollback()


def test_the_rq_path_runs_on_a_real_redis(hr, cadres, report_queue):
    from rq import SimpleWorker

    connection, queue = report_queue
    job = submit_report_job(jobs.BATCH_RECORDS, {"unit": "500103001", "year": YEAR}, actor=hr)
    db.session.commit()
    assert queue.count == 1
    assert SimpleWorker([queue], connection=connection).work(burst=True)
    done = _fresh(job.id)
    assert done.status is JobStatus.DONE and (done.done, done.total) == (6, 6)
    assert len(read_pdf(done.content).outline) == 3


def test_an_unreachable_queue_fails_the_job_not_the_request(app, hr, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
    job = submit_report_job(jobs.BATCH_RECORDS, {"unit": "500103", "year": YEAR}, actor=hr)
    db.session.commit()  # does not raise
    failed = _fresh(job.id)
    assert failed.status is JobStatus.FAILED and "queue" in failed.error


def test_without_redis_jobs_run_in_the_app_so_a_worker_is_never_missing(app, hr, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "")
    assert report_workers_listening() is None
    job = ReportJob(id="b" * 32, kind=jobs.BATCH_RECORDS, params={}, requested_by_id=hr.id,
                    status=JobStatus.QUEUED)
    assert job_waits_for_a_worker(job) is False


def test_an_unreachable_redis_counts_as_no_worker(app, hr, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
    assert report_workers_listening() == 0
    job = ReportJob(id="c" * 32, kind=jobs.BATCH_RECORDS, params={}, requested_by_id=hr.id,
                    status=JobStatus.QUEUED)
    assert job_waits_for_a_worker(job) is True
    job.status = JobStatus.DONE
    assert job_waits_for_a_worker(job) is False


def test_listening_workers_come_from_rqs_registry_on_a_real_redis(listening_worker):
    assert report_workers_listening() == 0
    with listening_worker():
        assert report_workers_listening() == 1
    assert report_workers_listening() == 0
