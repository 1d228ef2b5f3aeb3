"""Language and time zone: the user's choice, then the remembered switch, then the browser."""

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

LANGUAGE_COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600


def supported_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    languages = supported_languages()
    if current_user.is_authenticated and current_user.preferred_language in languages:
        return current_user.preferred_language
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    if remembered in languages:
        return remembered
    return request.accept_languages.best_match(languages) or default


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def html_lang() -> str:
    """The value for <html lang>: zh-Hans for Chinese, en otherwise."""
    return "zh-Hans" if str(get_locale()).startswith("zh") else "en"


def init_app(app: Flask) -> None:
    app.jinja_env.globals["html_lang"] = html_lang
