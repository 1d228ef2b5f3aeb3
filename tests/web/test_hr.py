from app.domain.vocabulary import RoleName
from tests.factories import make_user


def test_hr_of_yuzhong_cannot_open_a_jiangbei_cadre(client, tree, login_as):
    login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["yuzhong"])
    jiangbei = make_user(unit=tree["guanyinqiao"], name="江北学员")
    yuzhong = make_user(unit=tree["chaotianmen"], name="渝中学员")
    denied = client.get(f"/hr/cadres/{jiangbei.id}")
    assert denied.status_code == 403
    assert "不在您有权查看的单位范围内" in denied.get_data(as_text=True)
    allowed = client.get(f"/hr/cadres/{yuzhong.id}")
    assert allowed.status_code == 200 and "渝中学员" in allowed.get_data(as_text=True)


def test_cadre_list_shows_only_the_scope(client, tree, login_as):
    login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["yuzhong"])
    make_user(unit=tree["guanyinqiao"], name="江北学员")
    make_user(unit=tree["chaotianmen"], name="渝中学员")
    text = client.get("/hr/cadres").get_data(as_text=True)
    assert "渝中学员" in text and "江北学员" not in text


def test_cadre_search_matches_name_number_or_unit(client, tree, login_as):
    login_as(RoleName.HR)
    make_user(unit=tree["guanyinqiao"], name="江北学员", username="JB001")
    make_user(unit=tree["chaotianmen"], name="渝中学员", username="YZ001")
    assert "江北学员" not in client.get("/hr/cadres?q=YZ001").get_data(as_text=True)
    assert "江北学员" in client.get("/hr/cadres?q=观音桥").get_data(as_text=True)
    assert "江北学员" not in client.get("/hr/cadres?q=%25").get_data(as_text=True)


def test_missing_cadre_is_404(client, login_as):
    login_as(RoleName.HR)
    assert client.get("/hr/cadres/999999").status_code == 404


def test_cadre_list_query_count_does_not_grow(client, tree, login_as, count_queries, db):
    login_as(RoleName.HR)
    for i in range(5):
        make_user(unit=tree["jiefangbei"], username=f"S{i:03d}")
    db.session.commit()
    with count_queries(own_context=True) as small:
        assert client.get("/hr/cadres").status_code == 200
    for i in range(60):
        make_user(unit=tree["guanyinqiao"], username=f"L{i:03d}")
    db.session.commit()
    with count_queries(own_context=True) as large:
        assert client.get("/hr/cadres").status_code == 200
    assert large.count == small.count
    assert large.count <= 6


def test_home_query_count_is_bounded(client, tree, login_as, count_queries, db):
    login_as(RoleName.ADMIN)
    client.get("/")  # the shared course list is kept from here
    db.session.expire_all()  # each count starts like a request of its own: nothing loaded
    with count_queries(own_context=True) as small:
        client.get("/")
    for i in range(40):
        make_user(unit=tree["jiefangbei"], username=f"H{i:03d}")
    db.session.commit()
    db.session.expire_all()
    with count_queries(own_context=True) as large:
        client.get("/")
    assert large.count == small.count


def test_admin_reads_the_audit_log(client, login_as):
    login_as(RoleName.ADMIN)
    client.post("/auth/login", data={"username": "ghost", "password": "x"})
    text = client.get("/admin/audit?action=auth.").get_data(as_text=True)
    assert "auth.login" in text


def test_hr_sets_extra_time_within_scope(client, tree, login_as, db):
    from app.models import TimeAccommodation

    login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["yuzhong"])
    inside = make_user(unit=tree["chaotianmen"])
    outside = make_user(unit=tree["guanyinqiao"])
    db.session.commit()
    client.post(f"/hr/cadres/{inside.id}/accommodation",
                data={"extra_percent": "50", "reason": "视力障碍"})
    assert db.session.get(TimeAccommodation, inside.id).extra_percent == 50
    page = client.post(f"/hr/cadres/{inside.id}/accommodation",
                       data={"extra_percent": "500"}, follow_redirects=True)
    assert "0 到 200" in page.get_data(as_text=True)
    assert db.session.get(TimeAccommodation, inside.id).extra_percent == 50
    assert client.post(f"/hr/cadres/{outside.id}/accommodation",
                       data={"extra_percent": "50"}).status_code == 403
    client.post(f"/hr/cadres/{inside.id}/accommodation", data={"extra_percent": "0"})
    assert db.session.get(TimeAccommodation, inside.id) is None
