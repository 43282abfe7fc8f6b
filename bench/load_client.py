"""The client side of the load benchmark (``bench/bench_load.py`` starts it as a process of its own).

Reads a JSON plan (the server's address, the users, the pages with their URLs, the clients and the seconds per
page), logs every client in (password, then the authenticator code; each client is its own user, since a
code is accepted only once per user), prints ``{"event": "ready"}`` and waits for a line on standard input.
Then it drives the baseline and each page in turn: ``clients`` threads, each on its own keep-alive
connection with its own session cookie, request one URL of the page after another (each thread starts at
another URL and walks the list) until the page's seconds are over. After each page it prints one JSON line
with the requests, errors (a status other than 200, or an exception), the time it took, and the
latencies' p50/p95/p99 in ms; at the end ``{"event": "done"}``.

Standard library only, besides ``pyotp`` (through ``load_seed.totp_code``): it must not import the
application, so that it measures the server and nothing else.

    .venv/bin/python bench/load_client.py PLAN.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_seed import totp_code  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
TIMEOUT_SECONDS = 60


class LoginFailed(Exception):
    pass


@dataclass
class Session:
    """One client: a keep-alive connection and the cookies the server set on it."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, Location, body text); reconnects once when a kept-alive connection was closed."""
        headers = {"Connection": "keep-alive", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response.getheader("Location") or "", text


def _csrf(text: str) -> str:
    found = CSRF.search(text)
    if not found:
        raise LoginFailed("no csrf_token on the log-in page")
    return found.group(1) or found.group(2)


def log_in(session: Session, email: str, password: str) -> None:
    """Password, then the current authenticator code (or the next step's, if this user's current code was
    used already by an earlier run); raises LoginFailed when the dashboard does not answer 200 afterwards."""
    status, _, text = session.request("GET", "/account/inloggen")
    status, location, text = session.request("POST", "/account/inloggen",
                                             {"csrf_token": _csrf(text), "email": email, "password": password})
    if status != 302 or "/inloggen/code" not in location:
        raise LoginFailed(f"{email}: the password was not accepted (status {status}, to {location!r})")
    for steps_ahead in (0, 1):
        status, _, text = session.request("GET", "/account/inloggen/code")
        status, location, text = session.request("POST", "/account/inloggen/code", {
            "csrf_token": _csrf(text), "code": totp_code(email, steps_ahead=steps_ahead)})
        if status == 302:
            break
    status, _, _ = session.request("GET", "/")
    if status != 200:
        raise LoginFailed(f"{email}: not logged in after the code (the dashboard answers {status})")


def percentile(sorted_ms: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not sorted_ms:
        return 0.0
    rank = max(1, min(len(sorted_ms), round(share * len(sorted_ms) + 0.5)))
    return sorted_ms[rank - 1]


def drive(sessions: list[Session], name: str, urls: list[str], seconds: float) -> dict:
    """Every session requests the page's URLs in a loop for ``seconds``; the page's figures."""
    latencies: list[list[float]] = [[] for _ in sessions]
    errors: list[list[str]] = [[] for _ in sessions]
    deadline = time.perf_counter() + seconds

    def run(k: int) -> None:
        session = sessions[k]
        n = k * max(1, len(urls) // len(sessions))
        while time.perf_counter() < deadline:
            url = urls[n % len(urls)]
            n += 1
            start = time.perf_counter()
            try:
                status, location, _ = session.request("GET", url)
            except Exception as exc:  # noqa: BLE001 (any failure of a request is an error of the page)
                session.close()
                status, location = 0, f"{type(exc).__name__}: {exc}"
            latencies[k].append((time.perf_counter() - start) * 1000)
            if status != 200:
                errors[k].append(f"{status} {url} {location}".strip())

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(len(sessions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    every = sorted(ms for one in latencies for ms in one)
    failed = [e for one in errors for e in one]
    return {"event": "page", "page": name, "requests": len(every), "errors": len(failed),
            "error_samples": failed[:5], "seconds": elapsed, "rps": len(every) / elapsed if elapsed else 0.0,
            "p50": percentile(every, 0.50), "p95": percentile(every, 0.95), "p99": percentile(every, 0.99),
            "started": time.time() - elapsed, "ended": time.time()}


def emit(event: dict) -> None:
    print(json.dumps(event), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", help="the JSON plan bench_load.py writes")
    args = parser.parse_args()
    plan = json.loads(Path(args.plan).read_text(encoding="utf-8"))
    sessions = [Session(plan["host"], plan["port"]) for _ in plan["users"]]
    try:
        for session, email in zip(sessions, plan["users"], strict=True):
            log_in(session, email, plan["password"])
    except (LoginFailed, OSError, http.client.HTTPException) as exc:
        emit({"event": "failed", "error": f"log-in: {exc}"})
        sys.exit(2)
    emit({"event": "ready"})
    if not sys.stdin.readline():
        return
    for page in plan["pages"]:
        emit(drive(sessions, page["name"], page["urls"], plan["seconds"]))
    for session in sessions:
        session.close()
    emit({"event": "done"})


if __name__ == "__main__":
    main()
