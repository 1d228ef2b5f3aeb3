"""A small HTTP client for preparing the benchmark: keeps its cookies, never follows a
redirect, and reads the CSRF token and an attempt's answer fields out of pages."""

import http.client
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
USER_AGENT = "city-load"


class Session:
    """One browser: its cookies on one keep-alive connection to the app."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        if parts.hostname != "127.0.0.1":
            raise ValueError("the load benchmark talks to 127.0.0.1 only")
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.cookies: dict[str, str] = {}

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict | list | None = None
                ) -> tuple[int, str, str]:
        """(status, Location, body) of one request."""
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/json"}
        if self.cookies:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in header.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, response.headers.get("Location", ""), text

    def csrf_token(self, path: str = "/") -> str:
        status, _, body = self.request("GET", path)
        found = CSRF.search(body)
        if status != 200 or not found:
            raise RuntimeError(f"no CSRF token on {path} (HTTP {status})")
        return found.group(1)

    def close(self) -> None:
        self.connection.close()


class _AnswerFields(HTMLParser):
    """The answer fields (named q<position>-...) of an attempt page, in page order."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str, list[str]]] = []  # (name, kind, options)
        self._select: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "option" and self._select is not None and a.get("value"):
            self._select.append(a["value"])
        if not re.match(r"q\d+-", name):
            return
        if tag == "input" and a.get("type") in ("radio", "checkbox"):
            if not any(f[0] == name for f in self.fields):
                self.fields.append((name, "choice", []))
            next(f for f in self.fields if f[0] == name)[2].append(a.get("value") or "")
        elif tag in ("input", "textarea"):
            self.fields.append((name, "text", []))
        elif tag == "select":
            self._select = []
            self.fields.append((name, "select", self._select))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def answer_fields(page: str) -> list[tuple[str, str]]:
    """A plausible answer to every question on an attempt page, as form pairs: the first
    option of a choice, "1" in a text field, and distinct options down a question's selects
    (so orderings and matchings are well formed)."""
    parser = _AnswerFields()
    parser.feed(page)
    pairs, seen_selects = [], {}
    for name, kind, options in parser.fields:
        if kind == "choice":
            pairs.append((name, options[0]))
        elif kind == "text":
            pairs.append((name, "1"))
        elif options:
            question = name.split("-", 1)[0]
            index = seen_selects.get(question, 0)
            seen_selects[question] = index + 1
            pairs.append((name, options[index % len(options)]))
    return pairs
