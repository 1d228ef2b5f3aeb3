"""The application factory: every extension, blueprint, CLI group and error handler, listed."""

import secrets

from flask import Flask, g, request

from config import BASE_DIR, Config, DevelopmentConfig


class Academy(Flask):
    def log_exception(self, exc_info) -> None:
        """Flask's log record of an unexpected error, carrying the error id that the 500 page
        shows (app.web.errors), so a user's report leads to this traceback."""
        g.error_id = new_error_id()
        self.logger.error("Exception on %s [%s] (error id %s)", request.path, request.method,
                          g.error_id, exc_info=exc_info)


def new_error_id() -> str:
    return secrets.token_hex(4).upper()


def create_app(config_class: type[Config] = DevelopmentConfig) -> Flask:
    app = Academy(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    config_class.apply_environment(app.config)
    config_class.validate(app.config)

    _trust_proxies(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)

    # deferred: importing any app.* module runs this file; only create_app() loads this
    from app.web import errors, guards, i18n, security, sessions, templating
    from app.web.people.auth import loader

    loader.init_app(app)
    errors.register_error_handlers(app)
    sessions.init_app(app)  # before the guards: an idle session is signed out first
    guards.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    return app


def _trust_proxies(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        # deferred: loaded only behind trusted proxies
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _init_extensions(app: Flask) -> None:
    # deferred: importing any app.* module runs this file; only create_app() loads this
    from app import models  # noqa: F401 - registers the models with the metadata
    from app.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
    from app.models.sqlite import configure_sqlite

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True,
                     compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    # deferred: importing any app.* module runs this file; only create_app() loads this
    from app.web.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)


def _register_blueprints(app: Flask) -> None:
    # deferred: importing any app.* module runs this file; only create_app() loads this
    from app.web.appraisal.commendation import bp as commendation_bp
    from app.web.appraisal.routes import bp as appraisal_bp
    from app.web.assessment.routes import bp as assessment_bp
    from app.web.assessment.teaching.routes import bp as teaching_bp
    from app.web.certificates.routes import bp as certificates_bp
    from app.web.certificates.seal import bp as certificate_seal_bp
    from app.web.certificates.verify import bp as verify_bp
    from app.web.core.audit import bp as admin_bp
    from app.web.core.public import bp as public_bp
    from app.web.curriculum.routes import bp as authoring_bp
    from app.web.exercises.routes import bp as exercises_bp
    from app.web.learning.home import bp as home_bp
    from app.web.learning.plans import bp as plans_bp
    from app.web.learning.routes import bp as learning_bp
    from app.web.people.auth.routes import bp as auth_bp
    from app.web.people.cadres import bp as hr_bp
    from app.web.people.org import bp as admin_org_bp
    from app.web.people.roster import bp as roster_bp
    from app.web.people.users import bp as admin_users_bp
    from app.web.records.dashboard import bp as hr_dashboard_bp
    from app.web.records.reports import bp as reports_bp
    from app.web.records.routes import bp as records_bp
    from app.web.training.attendance import bp as attendance_bp
    from app.web.training.attendance_sheet import bp as attendance_sheet_bp
    from app.web.training.claim_review import bp as hr_claims_bp
    from app.web.training.claims import bp as claims_bp
    from app.web.training.classes import bp as classes_bp
    from app.web.training.completion import bp as class_completion_bp
    from app.web.training.leave import bp as class_leave_bp
    from app.web.training.members import bp as class_members_bp
    from app.web.training.my_classes import bp as my_classes_bp
    from app.web.training.schedule import bp as class_schedule_bp
    from app.web.video.hours import bp as video_hours_bp
    from app.web.video.player import bp as video_bp
    from app.web.video.uploads import video_uploads_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(home_bp)
    app.register_blueprint(learning_bp, url_prefix="/courses")
    app.register_blueprint(video_bp, url_prefix="/courses")
    app.register_blueprint(assessment_bp)
    app.register_blueprint(exercises_bp)
    app.register_blueprint(hr_bp, url_prefix="/hr")
    app.register_blueprint(hr_dashboard_bp, url_prefix="/hr/dashboard")
    app.register_blueprint(reports_bp, url_prefix="/hr/reports")
    app.register_blueprint(plans_bp, url_prefix="/hr/plans")
    app.register_blueprint(appraisal_bp, url_prefix="/hr/appraisal")
    app.register_blueprint(commendation_bp, url_prefix="/hr/appraisal")
    app.register_blueprint(hr_claims_bp, url_prefix="/hr/claims")
    app.register_blueprint(teaching_bp, url_prefix="/teaching")
    app.register_blueprint(authoring_bp, url_prefix="/teaching")
    app.register_blueprint(video_uploads_bp, url_prefix="/teaching")
    app.register_blueprint(records_bp, url_prefix="/records")
    app.register_blueprint(claims_bp, url_prefix="/claims")
    app.register_blueprint(certificates_bp, url_prefix="/certificates")
    app.register_blueprint(verify_bp, url_prefix="/verify")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(admin_users_bp, url_prefix="/admin/users")
    app.register_blueprint(admin_org_bp, url_prefix="/admin/org")
    app.register_blueprint(roster_bp, url_prefix="/admin/roster")
    app.register_blueprint(certificate_seal_bp, url_prefix="/admin/certificate-seal")
    app.register_blueprint(video_hours_bp, url_prefix="/admin/video-hours")
    app.register_blueprint(classes_bp, url_prefix="/classes")
    app.register_blueprint(my_classes_bp, url_prefix="/classes")
    app.register_blueprint(class_schedule_bp, url_prefix="/classes")
    app.register_blueprint(class_members_bp, url_prefix="/classes")
    app.register_blueprint(class_completion_bp, url_prefix="/classes")
    app.register_blueprint(attendance_bp, url_prefix="/classes")
    app.register_blueprint(attendance_sheet_bp, url_prefix="/classes")
    app.register_blueprint(class_leave_bp, url_prefix="/classes")


def _register_cli(app: Flask) -> None:
    # deferred: importing any app.* module runs this file; only create_app() loads this
    from app.cli.appraisal import appraise_command
    from app.cli.assessment import assessment_cli
    from app.cli.backup import backup_cli
    from app.cli.certificates import certificates_cli
    from app.cli.city import seed_city_command
    from app.cli.courses import courses_cli
    from app.cli.demo import seed_demo_command
    from app.cli.plans import plans_cli
    from app.cli.reports import reports_cli
    from app.cli.rollups import rollups_cli
    from app.cli.roster import roster_cli
    from app.cli.users import users_cli
    from app.cli.video import video_cli

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_city_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(plans_cli)
    app.cli.add_command(assessment_cli)
    app.cli.add_command(appraise_command)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(roster_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(rollups_cli)
    app.cli.add_command(video_cli)
