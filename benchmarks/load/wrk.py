"""wrk: installing it, running one round of prepared requests, reading its figures."""

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPLAY_LUA = Path(__file__).with_name("replay.lua")
SUMMARY = re.compile(r"^CITYLOAD (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Request:
    """One request the Lua script replays. ``once``: never send it twice (a submit)."""

    method: str
    path: str
    cookie: str = ""
    csrf: str = ""
    body: str = ""
    once: bool = False

    def line(self) -> str:
        fields = (self.method, self.path, self.cookie, self.csrf, self.body,
                  "1" if self.once else "0")
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"a tab or newline in a request field: {fields!r}")
        return "\t".join(fields)


@dataclass(frozen=True)
class RoundResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: dict[str, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        """Socket errors, non-2xx/3xx answers and 2xx/3xx answers the row did not expect."""
        return sum(v for k, v in self.errors.items() if k != "exhausted")


def parse_summary(output: str) -> RoundResult:
    """The figures the Lua script's done() printed (microseconds) as a RoundResult."""
    found = SUMMARY.search(output)
    if found is None:
        raise RuntimeError(f"wrk printed no summary line:\n{output[-2000:]}")
    values = {key: int(value) for key, value in
              (pair.split("=", 1) for pair in found.group(1).split())}
    errors = {key: values[key] for key in
              ("connect", "read", "write", "timeout", "status", "unexpected", "exhausted")}
    return RoundResult(requests=values["requests"], seconds=values["duration_us"] / 1e6,
                       p50_ms=values["p50_us"] / 1000, p95_ms=values["p95_us"] / 1000,
                       errors=errors)


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian (apt-get, as root) when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install -y wrk", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, check=False, timeout=600).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], check=True, timeout=600)
        subprocess.run(install, check=True, timeout=600)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is still missing after apt-get install wrk")
    return found


def run_round(wrk: str, base_url: str, requests: list[Request], *, accept: str,
              connections: int, seconds: float, timeout_s: int) -> RoundResult:
    """One wrk run of ``seconds`` on one thread with ``connections`` keep-alive connections."""
    if not base_url.startswith("http://127.0.0.1:"):
        raise ValueError("the load benchmark sends traffic to 127.0.0.1 only")
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", prefix="city-load-",
                                     encoding="utf-8") as listing:
        listing.write("\n".join(r.line() for r in requests) + "\n")
        listing.flush()
        command = [wrk, "-t1", f"-c{connections}", f"-d{seconds:g}s", f"--timeout={timeout_s}s",
                   "-s", str(REPLAY_LUA), base_url, "--", listing.name, accept]
        finished = subprocess.run(command, capture_output=True, text=True, check=False,
                                  timeout=seconds + timeout_s + 30)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr.strip()} "
                           f"{finished.stdout.strip()[-500:]}")
    return parse_summary(finished.stdout)
