from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.vocabulary import RoleName
from app.models import AuditEvent
from tests.factories import make_course, make_unit
from tests.services.test_hr_dashboard import YEAR, credit, enroll
from tests.services.test_hr_dashboard import cadre as make_cadre


def events(db, action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def populate(tree, db, count=3, course=None):
    course = course or make_course("DB101", hours="10")
    for i in range(count):
        person = make_cadre(tree["chaotianmen" if i % 2 else "jiefangbei"], name=f"干部{i}")
        credit(person, course, str(20 + 10 * i))
        enroll(person, course, done=bool(i % 2))
    db.session.commit()
    return course


def test_hr_sees_their_unit_drills_down_and_searches(client, tree, login_as, db):
    populate(tree, db)
    make_cadre(tree["guanyinqiao"], name="江北干部")
    db.session.commit()
    login_as(RoleName.HR, scope=tree["yuzhong"])
    page = client.get(f"/hr/dashboard/?year={YEAR}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="tile-cadres">4<' in text  # three cadres and the HR user, a cadre too
    assert "解放碑街道" in text and "朝天门街道" in text and "江北区" not in text
    assert "/hr/dashboard/cadres?unit=500103001" in text  # a street drills to its people
    # Completion has data; no scores, answers or ratings yet: those three say so (each chart
    # is drawn for wide screens and for phones).
    assert text.count('<div class="chart-wide"><svg') == 4
    assert text.count('<div class="chart-phone"><svg') == 4
    assert text.count("<desc>暂无数据</desc>") == 2 * 3
    street = client.get(f"/hr/dashboard/?unit=500103001&year={YEAR}").get_data(as_text=True)
    assert 'href="/hr/dashboard/?unit=500103&amp;year=' in street  # breadcrumbs lead back up
    people = client.get(f"/hr/dashboard/cadres?unit=500103&year={YEAR}&q=干部1")
    body = people.get_data(as_text=True)
    assert people.status_code == 200 and "干部1" in body and "干部0" not in body
    assert "/records/" in body


def test_admin_sees_the_city_and_sorts_any_column(client, tree, login_as, db):
    populate(tree, db)
    make_cadre(tree["guanyinqiao"], name="江北干部")
    db.session.commit()
    login_as(RoleName.ADMIN)
    text = client.get(f"/hr/dashboard/?year={YEAR}&sort=-cadres").get_data(as_text=True)
    assert text.index("渝中区") < text.index("江北区")
    text = client.get(f"/hr/dashboard/?year={YEAR}&sort=cadres").get_data(as_text=True)
    assert text.index("江北区") < text.index("渝中区")
    for bad in ("sort=bogus", "year=1800", "rank=mayor", "category=x", "page=0"):
        response = client.get(f"/hr/dashboard/cadres?{bad}")
        assert response.status_code == 400, bad
    assert client.get("/hr/dashboard/?unit=999999").status_code == 404


def test_hr_outside_the_scope_gets_403_and_it_is_audited(client, tree, login_as, db):
    hr = login_as(RoleName.HR, scope=tree["yuzhong"])
    for url in ("/hr/dashboard/?unit=500105", "/hr/dashboard/cadres?unit=500105",
                "/hr/dashboard/export.xlsx?unit=500105&table=cadres"):
        assert client.get(url).status_code == 403, url
    refused = [e for e in events(db, "access.refused") if e.actor_id == hr.id
               and e.target == f"org_unit:{tree['jiangbei'].id}"]
    assert len(refused) == 3  # one each, naming the unit
    assert events(db, "report.downloaded") == []


def test_cadres_and_trainers_get_403(client, tree, login_as, db):
    login_as(RoleName.CADRE)
    for url in ("/hr/dashboard/", "/hr/dashboard/cadres", "/hr/dashboard/export.xlsx"):
        assert client.get(url).status_code == 403, url
    client.post("/auth/logout")
    login_as(RoleName.TRAINER)
    assert client.get("/hr/dashboard/").status_code == 403


def test_an_empty_unit_and_a_year_without_data(client, tree, login_as, db):
    make_unit("500105009", "空街道", parent=tree["jiangbei"])
    db.session.commit()
    login_as(RoleName.ADMIN)
    empty = client.get("/hr/dashboard/?unit=500105009").get_data(as_text=True)
    assert 'id="dashboard-empty"' in empty and empty.count("<desc>暂无数据</desc>") == 2 * 4
    quiet = client.get("/hr/dashboard/?unit=500103&year=2019").get_data(as_text=True)
    assert 'id="dashboard-no-data"' in quiet and quiet.count("<desc>暂无数据</desc>") == 2 * 4


def test_names_with_markup_are_escaped(client, tree, login_as, db):
    course = make_course("DB101", hours="10")
    street = make_unit("500103009", "<b>坏</b>街道", parent=tree["yuzhong"])
    person = make_cadre(street, name="<script>alert(1)</script>")
    enroll(person, course, done=True)
    db.session.commit()
    login_as(RoleName.ADMIN)
    board = client.get(f"/hr/dashboard/?unit=500103&year={YEAR}").get_data(as_text=True)
    assert "<b>坏</b>" not in board and "&lt;b&gt;坏&lt;/b&gt;" in board
    people = client.get(f"/hr/dashboard/cadres?unit=500103&year={YEAR}").get_data(as_text=True)
    assert "<script>alert" not in people and "&lt;script&gt;" in people


def test_the_page_runs_the_same_queries_for_3_and_30_cadres(client, tree, login_as, db,
                                                            count_queries):
    login_as(RoleName.ADMIN)
    course = populate(tree, db, 3)

    def measure(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    urls = (f"/hr/dashboard/?year={YEAR}", f"/hr/dashboard/cadres?unit=500103&year={YEAR}")
    few = [measure(url) for url in urls]
    populate(tree, db, 27, course)
    assert [measure(url) for url in urls] == few
    assert few[0] <= 12 and few[1] <= 8  # session user, then the service's few aggregates


def _sheet(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(BytesIO(response.data)).active


def test_excel_exports_read_back_and_are_audited(client, tree, login_as, db):
    course = populate(tree, db)
    sly = make_cadre(tree["jiefangbei"], name='=HYPERLINK("http://evil","点我")')
    credit(sly, course, "5")
    db.session.commit()
    hr = login_as(RoleName.HR, scope=tree["yuzhong"])
    units = _sheet(client.get(f"/hr/dashboard/export.xlsx?year={YEAR}&table=units"))
    assert units.freeze_panes == "A2"
    assert [c.value for c in units[2]][:2] == ["500103001", "解放碑街道"]
    assert units["F2"].number_format == "0.0%" and units["G2"].number_format == "0.0"
    cadres = _sheet(client.get(f"/hr/dashboard/export.xlsx?unit=500103&year={YEAR}"
                               "&table=cadres"))
    headers = [c.value for c in cadres[1]]
    assert headers[:4] == ["工号", "姓名", "单位", "职级"]
    names = {row[1].value: row for row in cadres.iter_rows(min_row=2)}
    trap = names["'=HYPERLINK(\"http://evil\",\"点我\")"]
    assert trap[1].data_type == "s"
    assert trap[5].value == 5 and trap[5].number_format == "0.0"
    assert cadres.column_dimensions["C"].width == 24
    compliance = _sheet(client.get(f"/hr/dashboard/export.xlsx?year={YEAR}&table=compliance"))
    assert compliance.freeze_panes == "A2" and compliance.max_row >= 2
    assert "no-store" in client.get(f"/hr/dashboard/export.xlsx?year={YEAR}").cache_control
    downloads = events(db, "report.downloaded")
    assert {e.details["kind"] for e in downloads} == {"xlsx.units", "xlsx.cadres",
                                                       "xlsx.compliance"}
    assert all(e.actor_id == hr.id and e.details["unit"] == "500103"
               and e.details["year"] == YEAR for e in downloads)
    assert client.get("/hr/dashboard/export.xlsx?table=everything").status_code == 400


def test_the_page_says_how_fresh_its_figures_are(client, login_as, tree, db):
    from app.domain.learning import local_year
    from app.models.types import utcnow
    from app.services.records.dashboard.rollups import refresh_unit_rollups

    login_as(RoleName.HR)
    page = client.get("/hr/dashboard/").get_data(as_text=True)
    assert "数据为当前实时计算" in page
    refresh_unit_rollups(local_year(utcnow()), now=utcnow())
    db.session.commit()
    page = client.get("/hr/dashboard/").get_data(as_text=True)
    assert 'id="figures-as-of"' in page and "数据截至" in page
