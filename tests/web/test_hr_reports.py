import pytest
from sqlalchemy import select

from app.domain.vocabulary import JobStatus, RoleName
from app.models import ReportJob
from app.services.records.report_jobs import wait_for_report_jobs
from tests.factories import audit_events, make_user
from tests.reports.pdfs import all_text, flat, read_pdf
from tests.services.test_hr_reports import YEAR, busy_cadre, catalogue


def _events(db, action, *, target_prefix=None):
    """Audit events of an action (refusals: only those naming a cadre or unit, since every
    403 is also audited by the error handler with the page's path)."""
    return audit_events(action, target_prefix=target_prefix)


@pytest.fixture
def people(tree, db):
    courses = catalogue()
    inside = busy_cadre(tree["jiefangbei"], name="渝中<干部>", courses=courses)
    outside = make_user(unit=tree["guanyinqiao"], name="江北干部")
    db.session.commit()
    return {"inside": inside, "outside": outside}


def test_hr_downloads_a_cadre_record_and_it_is_audited(client, login_as, tree, db, people):
    hr = login_as(RoleName.HR, scope=tree["yuzhong"])
    person = people["inside"]
    response = client.get(f"/hr/reports/cadre/{person.id}.pdf?year={YEAR}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = flat(all_text(response.data))
    assert "渝中<干部>" in text and person.username in text and "第1页/共" in text
    [event] = _events(db, "report.downloaded")
    assert (event.actor_id, event.target) == (hr.id, f"user:{person.id}")
    assert event.details == {"kind": "cadre_record", "year": YEAR, "user": person.username}


def test_a_cadre_outside_the_scope_is_refused_and_audited(client, login_as, tree, db, people):
    hr = login_as(RoleName.HR, scope=tree["yuzhong"])
    response = client.get(f"/hr/reports/cadre/{people['outside'].id}.pdf")
    assert response.status_code == 403
    [event] = _events(db, "access.refused", target_prefix="user:")
    assert (event.actor_id, event.target) == (hr.id, f"user:{people['outside'].id}")
    assert event.details["endpoint"] == "reports.cadre_pdf"
    assert _events(db, "report.downloaded") == []


@pytest.mark.parametrize("query", ["?year=1999", "?year=abc", f"?year={YEAR + 1}"])
def test_a_bad_year_is_a_400(client, login_as, tree, people, query):
    login_as(RoleName.HR)
    response = client.get(f"/hr/reports/cadre/{people['inside'].id}.pdf{query}")
    assert response.status_code == 400
    assert client.get(f"/hr/reports/unit.pdf{query}").status_code == 400


def test_unknown_cadre_or_unit_is_a_404(client, login_as, people):
    login_as(RoleName.ADMIN)
    assert client.get("/hr/reports/cadre/999999.pdf").status_code == 404
    assert client.get("/hr/reports/unit.pdf?unit=nope").status_code == 404


def test_unit_summary_for_the_scope_and_refusal_outside(client, login_as, tree, db, people):
    hr = login_as(RoleName.HR, scope=tree["yuzhong"])
    default = client.get("/hr/reports/unit.pdf")  # the HR user's own scope
    assert default.status_code == 200 and "渝中区" in flat(all_text(default.data))
    street = client.get(f"/hr/reports/unit.pdf?unit=500103001&year={YEAR}")
    assert street.status_code == 200
    text = flat(all_text(street.data))
    assert "解放碑街道" in text and "渝中<干部>" in text and "江北干部" not in text
    assert [e.details for e in _events(db, "report.downloaded")] == [
        {"kind": "unit_summary", "year": YEAR, "unit": "500103"},
        {"kind": "unit_summary", "year": YEAR, "unit": "500103001"}]
    assert client.get("/hr/reports/unit.pdf?unit=500105").status_code == 403
    [refusal] = _events(db, "access.refused", target_prefix="org_unit:")
    assert (refusal.actor_id, refusal.target) == (hr.id, f"org_unit:{tree['jiangbei'].id}")
    assert "500105" in refusal.details["message"]


@pytest.mark.parametrize("role", [RoleName.CADRE, RoleName.TRAINER])
def test_other_roles_may_not_download(client, login_as, people, role):
    login_as(role)
    assert client.get(f"/hr/reports/cadre/{people['inside'].id}.pdf").status_code == 403
    assert client.get("/hr/reports/unit.pdf").status_code == 403
    assert client.post("/hr/reports/batch", data={"unit": "500103", "year": YEAR}
                       ).status_code == 403


def test_batch_job_runs_in_the_background_and_only_its_requester_sees_it(
        client, login_as, tree, db, people):
    hr = login_as(RoleName.HR, scope=tree["yuzhong"])
    response = client.post("/hr/reports/batch", data={"unit": "500103", "year": YEAR})
    assert response.status_code == 302 and "/hr/reports/jobs/" in response.location
    wait_for_report_jobs()
    page = client.get(response.location)
    assert page.status_code == 200 and 'id="job-bar"' in page.get_data(as_text=True)
    job_id = response.location.rsplit("/", 1)[1]
    state = client.get(f"/hr/reports/jobs/{job_id}.json").get_json()
    assert state["status"] == "done" and state["percent"] == 100
    assert state["download_url"].endswith(f"/hr/reports/jobs/{job_id}/download")
    download = client.get(state["download_url"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    titles = [item.title for item in read_pdf(download.data).outline]
    assert sorted(titles) == sorted(["渝中<干部>（解放碑街道）", f"{hr.name}（解放碑街道）"])
    assert _events(db, "report.downloaded")[-1].details == {
        "kind": "batch_records", "year": YEAR, "unit": "500103"}
    assert db.session.get(ReportJob, job_id).requested_by_id == hr.id

    client.post("/auth/logout")
    login_as(RoleName.HR, scope=tree["yuzhong"])
    for url in (f"/hr/reports/jobs/{job_id}", f"/hr/reports/jobs/{job_id}.json",
                f"/hr/reports/jobs/{job_id}/download"):
        assert client.get(url).status_code == 404, url


def test_batch_form_errors_and_scope(client, login_as, tree, db, people):
    login_as(RoleName.HR, scope=tree["yuzhong"])
    assert client.post("/hr/reports/batch", data={"unit": "", "year": YEAR}).status_code == 400
    assert client.post("/hr/reports/batch", data={"unit": "500103", "year": "x"}
                       ).status_code == 400
    assert client.post("/hr/reports/batch", data={"unit": "500103", "year": YEAR + 1}
                       ).status_code == 400
    assert client.post("/hr/reports/batch", data={"unit": "nope", "year": YEAR}
                       ).status_code == 404
    assert client.post("/hr/reports/batch", data={"unit": "500105", "year": YEAR}
                       ).status_code == 403
    assert db.session.scalars(select(ReportJob)).all() == []
    assert len(_events(db, "access.refused", target_prefix="org_unit:")) == 1


def test_a_job_not_ready_redirects_to_its_page(client, login_as, db):
    hr = login_as(RoleName.ADMIN)
    db.session.add(ReportJob(id="a" * 32, kind="batch_records", params={"unit": "500000"},
                             requested_by_id=hr.id, status=JobStatus.RUNNING, done=3, total=8))
    db.session.commit()
    response = client.get(f"/hr/reports/jobs/{'a' * 32}/download")
    assert response.status_code == 302 and response.location.endswith(f"/jobs/{'a' * 32}")
    assert client.get(f"/hr/reports/jobs/{'a' * 32}.json").get_json()["percent"] == 37
    assert client.get("/hr/reports/jobs/nope.json").status_code == 404


def test_index_lists_recent_jobs_in_few_queries(client, login_as, db, count_queries):
    hr = login_as(RoleName.HR)
    for i in range(15):
        db.session.add(ReportJob(id=f"{i:032x}", kind="batch_records",
                                 params={"unit": "500000", "year": YEAR},
                                 requested_by_id=hr.id, status=JobStatus.DONE))
    db.session.commit()
    with count_queries() as counter:
        page = client.get("/hr/reports/")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("/hr/reports/jobs/") == 10
    assert counter.count <= 8


def test_the_record_page_links_the_pdf_for_hr_only(client, login_as, tree, db, people):
    person = people["inside"]
    login_as(RoleName.HR, scope=tree["yuzhong"])
    page = client.get(f"/records/{person.id}?year={YEAR}").get_data(as_text=True)
    assert f'href="/hr/reports/cadre/{person.id}.pdf?year={YEAR}"' in page
    client.post("/auth/logout")
    login_as(user=person)
    assert 'id="record-pdf"' not in client.get("/records/me").get_data(as_text=True)


def test_a_large_unit_summary_is_built_in_the_background(app, client, login_as, tree, db,
                                                         people, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_SYNC_CADRES", 1)
    login_as(RoleName.HR, scope=tree["yuzhong"])
    page = client.get(f"/hr/reports/unit.pdf?unit=500103&year={YEAR}")
    assert page.status_code == 200 and 'id="summary-job-form"' in page.get_data(as_text=True)
    assert _events(db, "report.downloaded") == []
    response = client.post("/hr/reports/summary", data={"unit": "500103", "year": YEAR})
    assert response.status_code == 302
    wait_for_report_jobs()
    job_id = response.location.rsplit("/", 1)[1]
    state = client.get(f"/hr/reports/jobs/{job_id}.json").get_json()
    assert state["status"] == "done"
    download = client.get(state["download_url"])
    assert f'filename="training-summary-500103-{YEAR}.pdf"' in download.headers[
        "Content-Disposition"]
    assert "渝中<干部>" in flat(all_text(download.data))
    assert client.post("/hr/reports/summary", data={"unit": "500105", "year": YEAR}
                       ).status_code == 403


def test_finding_14_units_are_picked_by_name_and_years_from_a_list(client, login_as, tree, db):
    login_as(RoleName.HR, scope=tree["yuzhong"])
    page = client.get("/hr/reports/").get_data(as_text=True)
    assert 'list="summary-unit-units"' in page and 'list="unit-units"' in page
    assert f'<option value="{tree["jiefangbei"].code}" label="{tree["jiefangbei"].name}">' in page
    assert tree["guanyinqiao"].name not in page  # outside this HR's scope
    assert 'type="number"' not in page
    assert f'<option value="{YEAR}" selected>{YEAR}</option>' in page


def test_finding_14_a_job_is_titled_with_its_unit_name(client, login_as, tree, db):
    login_as(RoleName.HR, scope=tree["yuzhong"])
    response = client.post("/hr/reports/batch", data={"unit": "500103", "year": YEAR})
    wait_for_report_jobs()
    page = client.get(response.location).get_data(as_text=True)
    title = page[page.index("<title>"):page.index("</title>")]
    assert tree["yuzhong"].name in title and "500103" not in title
    assert f"{tree['yuzhong'].name} · {YEAR}" in page
    listing = client.get("/hr/reports/").get_data(as_text=True)
    assert f"{tree['yuzhong'].name} · {YEAR}</a>" in listing


def test_finding_19_pdfs_are_saved_under_chinese_names(client, login_as, tree, db, people):
    from urllib.parse import unquote

    from werkzeug.http import parse_options_header

    login_as(RoleName.HR, scope=tree["yuzhong"])
    person = people["inside"]
    for url, name, fallback in [
            (f"/hr/reports/cadre/{person.id}.pdf?year={YEAR}",
             f"渝中<干部>-{YEAR}年干部培训档案.pdf",
             f"training-record-{person.username}-{YEAR}.pdf"),
            (f"/hr/reports/unit.pdf?unit=500103&year={YEAR}",
             f"{tree['yuzhong'].name}-{YEAR}年培训汇总.pdf",
             f"training-summary-500103-{YEAR}.pdf")]:
        header = client.get(url).headers["Content-Disposition"]
        kind, options = parse_options_header(header)
        assert kind == "attachment" and options["filename"] == name  # werkzeug reads filename*
        assert f'filename="{fallback}"' in header
        assert "filename*=UTF-8''" in header and unquote(header.split("''")[1]) == name
