"""The job page says plainly when no worker listens on the report queue (RQ on REDIS_URL)."""


import pytest

from app.domain.vocabulary import JobStatus, RoleName
from app.models import ReportJob

JOB_ID = "d" * 32
SHOWN = 'class="alert alert-warning" id="job-no-worker"'
HIDDEN = 'class="alert alert-warning d-none" id="job-no-worker"'


@pytest.fixture
def queued_job(client, login_as, db):
    hr = login_as(RoleName.ADMIN)
    db.session.add(ReportJob(id=JOB_ID, kind="batch_records", params={"unit": "500000"},
                             requested_by_id=hr.id, status=JobStatus.QUEUED))
    db.session.commit()
    return JOB_ID


def _page(client) -> str:
    return client.get(f"/hr/reports/jobs/{JOB_ID}").get_data(as_text=True)


def test_no_worker_on_the_queue_is_said_in_chinese(client, app, queued_job, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
    page = _page(client)
    assert SHOWN in page and "当前没有报表后台进程在运行" in page
    assert client.get(f"/hr/reports/jobs/{JOB_ID}.json").get_json()["no_worker"] is True
    client.set_cookie("lang", "en")
    assert "No report worker is running" in _page(client)


def test_jobs_run_in_the_app_without_redis_so_nothing_is_said(client, app, queued_job,
                                                               monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "")
    assert HIDDEN in _page(client)
    assert client.get(f"/hr/reports/jobs/{JOB_ID}.json").get_json()["no_worker"] is False


def test_a_listening_worker_on_a_real_redis_hides_the_warning(client, queued_job,
                                                              listening_worker):
    assert SHOWN in _page(client)
    with listening_worker():
        assert HIDDEN in _page(client)
