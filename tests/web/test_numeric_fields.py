"""Finding 10 of issue #17: NaN, infinities and absurd sizes are a form error, never a 500;
and a 500 page shows an error id that the log carries too."""

import importlib
import logging
import pkgutil
import re

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import ServiceUnavailable
from wtforms import DecimalField, FloatField, Form, IntegerField

import app.web
from app.domain.vocabulary import RoleName
from app.models import AttemptAnswer, TimeAccommodation
from app.services.core.access import add_course_owner
from app.web.curriculum.assessment_forms import scenario_params
from app.web.forms import OrdinaryDecimalField, OrdinaryFloatField, OrdinaryIntegerField
from tests.factories import make_user
from tests.web.test_teaching import _world

NOT_ORDINARY = ("NaN", "nan", "inf", "-inf", "Infinity", "1e400", "-1e400", "sNaN")
ORDINARY_FIELDS = (OrdinaryDecimalField, OrdinaryFloatField, OrdinaryIntegerField)


def _forms():
    for info in pkgutil.walk_packages(app.web.__path__, "app.web."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Form | FlaskForm)
                    and value.__module__ == module.__name__):
                yield value


def _numeric_fields():
    found = []
    for form in _forms():
        for name, unbound in vars(form).items():
            kind = getattr(unbound, "field_class", None)
            if kind and issubclass(kind, IntegerField | DecimalField | FloatField):
                found.append((form, name, kind))
    return found


NUMERIC_FIELDS = _numeric_fields()


def test_finding_10_every_numeric_form_field_is_an_ordinary_number_field():
    assert len(NUMERIC_FIELDS) >= 15  # the discovery itself works
    assert [(f.__name__, name) for f, name, kind in NUMERIC_FIELDS
            if not issubclass(kind, ORDINARY_FIELDS)] == []


@pytest.mark.parametrize("value", NOT_ORDINARY)
@pytest.mark.parametrize(("form", "name", "kind"), NUMERIC_FIELDS,
                         ids=[f"{f.__name__}.{n}" for f, n, _ in NUMERIC_FIELDS])
def test_finding_10_each_numeric_field_refuses_non_finite_numbers(app, form, name, kind,
                                                                   value):
    probe = type("Probe", (Form,), {name: vars(form)[name]})  # the field alone, as declared
    with app.test_request_context():
        bound = probe(formdata=MultiDict({name: value}))
        assert bound.validate() is False
        assert bound[name].errors and bound[name].data is None


def test_finding_10_scenario_parameters_refuse_non_finite_numbers():
    class Spec:
        def __init__(self, default):
            self.default = default

    class Scenario:
        key = "demo"
        parameters = {"rate": Spec(0.5), "rows": Spec(100)}

    for value in NOT_ORDINARY:
        params, errors = scenario_params(
            {"param-demo-rate": value, "param-demo-rows": value}, Scenario)
        assert params == {} and set(errors) == {"rate", "rows"}
    assert scenario_params({"param-demo-rate": "0.25", "param-demo-rows": "12"},
                           Scenario)[0] == {"rate": 0.25, "rows": 12}


@pytest.mark.parametrize("value", ("NaN", "inf", "-inf", "1e400", "sNaN"))
def test_finding_10_grading_an_essay_with_a_non_finite_number_is_a_form_error(
        client, tree, login_as, db, value):
    course, _cadre, attempt = _world(tree, db)
    trainer = login_as(RoleName.TRAINER, unit=tree["city"])
    add_course_owner(course, trainer, actor=None)
    db.session.commit()
    answer_id = next(a.id for a in attempt.answers if a.position == 1)
    response = client.post(f"/teaching/essays/{answer_id}",
                           data={"points": value, "feedback": ""})
    assert response.status_code == 200
    assert 'class="invalid-feedback' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AttemptAnswer, answer_id).points is None


@pytest.mark.parametrize("value", ("NaN", "inf", "-inf", "1e400"))
def test_finding_10_extra_time_with_a_non_finite_number_changes_nothing(
        client, tree, login_as, db, value):
    login_as(RoleName.ADMIN, unit=tree["city"])
    cadre = make_user(unit=tree["guanyinqiao"], username="E880")
    db.session.commit()
    page = client.post("/teaching/accommodations",
                       data={"username": "E880", "extra_percent": value})
    assert page.status_code == 200 and 'class="invalid-feedback' in page.get_data(as_text=True)
    hr_page = client.post(f"/hr/cadres/{cadre.id}/accommodation",
                          data={"extra_percent": value}, follow_redirects=True)
    assert hr_page.status_code == 200 and "0 到 200" in hr_page.get_data(as_text=True)
    assert db.session.get(TimeAccommodation, cadre.id) is None


def test_finding_10_a_500_page_shows_the_error_id_that_the_log_carries(
        app, client, login_as, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def explode(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("app.web.learning.home.summarize_people_in_scope", explode)
    login_as("hr")
    with caplog.at_level(logging.ERROR):
        response = client.get("/")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    shown = re.search(r'id="error-id">[^<]*?([0-9A-F]{8})', text)
    assert shown and "secret internals" not in text
    logged = [r for r in caplog.records if shown[1] in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info[1].args == ("secret internals",)


def test_finding_10_an_aborted_server_error_is_logged_with_its_id_too(
        app, client, login_as, monkeypatch, caplog):
    def unavailable(**kwargs):
        raise ServiceUnavailable()

    monkeypatch.setattr("app.web.learning.home.summarize_people_in_scope", unavailable)
    login_as("hr")
    with caplog.at_level(logging.ERROR):
        response = client.get("/")
    shown = re.search(r'id="error-id">[^<]*?([0-9A-F]{8})', response.get_data(as_text=True))
    assert response.status_code == 503 and shown
    assert len([r for r in caplog.records if shown[1] in r.getMessage()]) == 1
