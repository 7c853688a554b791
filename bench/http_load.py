"""Gunicorn with two workers, and a load of concurrent clients measuring requests per second."""
from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
CLIENTS = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app: str, database_url: str, pids: list[int] | None = None, **extra_env: str):
    """Serve `app` (module:factory()) with two sync workers until the block ends; the master's
    process id goes into `pids` when given."""
    port = free_port()
    env = {**os.environ, "ETHICS_DATABASE_URL": database_url, "SECRET_KEY": "b" * 48,
           "PYTHONPATH": str(ROOT), "ETHICS_API_RATE_LIMIT": "1000000/minute",  # PF11 measures the API, not its limit
           **extra_env}
    process = subprocess.Popen([GUNICORN, "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
                               cwd=ROOT, env=env)
    try:
        for _ in range(300):  # ready when a worker answers, not merely when the port is open
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/__ready__")
                connection.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn could not start {app}")
        if pids is not None:
            pids.append(process.pid)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


class Client:
    """A signed-in browser: session cookie and CSRF token, one connection per request."""

    def __init__(self, port: int, bearer: str = ""):
        self.port, self.cookies, self.token, self.bearer = port, {}, "", bearer  # bearer: an API token

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        body = None
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.token
            body = urlencode(form or {})
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.cookies.update({key: morsel.value for key, morsel in cookie.items()})
        connection.close()
        return response.status, text

    def sign_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/login")
        self.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/login", {"username": username, "password": password,
                                                    "csrf_token": self.token})
        assert status == 302, f"sign-in failed ({status})"
        _, page = self.request("GET", "/")
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)


def throughput(send, seconds: float) -> float:
    """Requests per second that `send(n)` completes with a 2xx/3xx, from CLIENTS threads at once."""
    done, failed = [0] * CLIENTS, []
    stop = time.perf_counter() + seconds

    def worker(k):
        n = k
        while time.perf_counter() < stop:
            status = send(n)
            if status >= 400:
                failed.append(status)
                return
            done[k] += 1
            n += CLIENTS

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise RuntimeError(f"requests failed during the measurement: {failed[:5]}")
    return sum(done) / (time.perf_counter() - start)
