"""GET /metrics for Prometheus, when ETHICS_METRICS=1: requests and their latency per route
pattern, the database pool, the task queue's length, imports and mails by status.

Refused (403) unless the scrape shows ETHICS_METRICS_TOKEN as a bearer token, or, when no token is
set, comes from a loopback or private address (the internal network). Without ETHICS_METRICS the
page does not exist (404). Labels are route patterns and statuses only: nothing personal. Counts of
requests are per process; the database, queue, import and mail figures are read at each scrape.
"""
from __future__ import annotations

import hmac
import ipaddress
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.core.tasks import queue
from ethics.importing.models import ImportJob
from ethics.mail.models import OutboxMessage

bp = Blueprint("metrics", __name__)
REGISTRY = CollectorRegistry()
REQUESTS = Counter("ethics_http_requests", "Requests answered, by route pattern, method and status",
                   ["route", "method", "status"], registry=REGISTRY)
LATENCY = Histogram("ethics_http_request_duration_seconds", "Time to answer a request, by route pattern and method",
                    ["route", "method"], registry=REGISTRY)


class _State(Collector):
    """Figures read when Prometheus scrapes, inside the /metrics request."""

    def collect(self):
        pool = db.engine.pool
        for name, what, reading in (("checked_out", "Database connections in use", "checkedout"),
                                    ("size", "Database connections the pool keeps", "size")):
            if hasattr(pool, reading):
                yield GaugeMetricFamily(f"ethics_db_pool_{name}", what, value=getattr(pool, reading)())
        yield GaugeMetricFamily("ethics_task_queue_length", "Tasks waiting for the worker",
                                value=0 if queue.immediate else queue.pending_count())
        for model, name, what in ((ImportJob, "ethics_imports", "Import jobs by status"),
                                  (OutboxMessage, "ethics_mails", "Outbox messages by status")):
            family = GaugeMetricFamily(name, what, labels=["status"])
            for status, count in db.session.execute(select(model.status, func.count()).group_by(model.status)):
                family.add_metric([status], count)
            yield family


REGISTRY.register(_State())


def _internal(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private


def may_scrape() -> bool:
    token = current_app.config["ETHICS_METRICS_TOKEN"]
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return _internal(request.remote_addr)


@bp.get("/metrics")
def metrics():
    if not current_app.config["ETHICS_METRICS"]:
        abort(404)
    if not may_scrape():
        abort(403)
    return Response(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    if "metrics_started" in g:
        route = request.url_rule.rule if request.url_rule else "unmatched"  # a guessed address is no new label
        REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        LATENCY.labels(route, request.method).observe(time.perf_counter() - g.metrics_started)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    if app.config["ETHICS_METRICS"]:
        app.before_request_funcs.setdefault(None, []).insert(0, _start)
        app.after_request(_count)
