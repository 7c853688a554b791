"""PF8 (the survey's opening morning): CLIENTS browsers at once under gunicorn, each signed in as
a different eligible member of staff, open the survey and submit it; ROUNDS mornings in a row,
each with new people. Measured: submissions per second (the submits only: the clients sign in a
few at a time, then open the survey together, then submit together) against the bare app's
durable insert sent the same way, the submit's p50 and p95, and after closing, one answer sheet
per participation.
"""
from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from bench.bare_app import make_table
from bench.first_view import percentile
from bench.generate_data import BENCH_PASSWORD
from bench.http_load import Client, gunicorn

CLIENTS = 50
ROUNDS = 4


def _at_once(work, count: int) -> tuple[float, list]:
    """Run work(k) in `count` threads released together: (seconds until the last ended, results)."""
    ready = threading.Barrier(count + 1)
    results: list = [None] * count
    failures: list[BaseException] = []

    def run(k):
        ready.wait()
        try:
            results[k] = work(k)
        except BaseException as error:  # reported below, on the measuring thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} clients failed: {failures[0]!r}")
    return time.perf_counter() - start, results


def _timed(send) -> tuple[int, float]:
    start = time.perf_counter()
    status = send()
    return status, time.perf_counter() - start


def open_campaign(app, fiscal_year: int, people: int) -> tuple[int, list[int], list[str]]:
    """A campaign open today for every active member of staff (a fiscal year the data lacks), and
    accounts for `people` of them: (campaign id, item ids, usernames)."""
    from ethics.auth.models import Account, AccountRole
    from ethics.auth.passwords import hash_password
    from ethics.auth.services import utcnow
    from ethics.core.extensions import db
    from ethics.core.fiscal import local_now
    from ethics.survey import campaigns
    from ethics.survey.models import SurveyEligibility

    today = local_now().date()
    with app.app_context():
        campaign = campaigns.create(campaigns.CampaignData(fiscal_year, f"ขวัญกำลังใจ {fiscal_year}", today,
                                                           today + timedelta(days=30)))
        db.session.flush()
        campaigns.open_campaign(campaign)
        db.session.commit()
        chosen = list(db.session.scalars(select(SurveyEligibility.person_id).where(
            SurveyEligibility.campaign_id == campaign.id, SurveyEligibility.person_id.not_in(
                select(Account.person_id).where(Account.person_id.is_not(None))))
            .order_by(SurveyEligibility.person_id).limit(people)))
        password = hash_password(BENCH_PASSWORD)  # one hash for all: hashing is not what PF8 measures
        names = [f"bench-staff-{person}" for person in chosen]
        db.session.add_all(Account(username=name, password_hash=password, person_id=person, active=True,
                                   session_version=1, created_at=utcnow(), role_rows=[AccountRole(role="employee")])
                           for name, person in zip(names, chosen, strict=True))
        db.session.commit()
        return campaign.id, [item.id for item in campaign.items], names


def close_and_count(app, campaign_id: int) -> dict:
    """Close the campaign as HR does, then count its answer sheets and participations."""
    from ethics.core.extensions import db
    from ethics.survey import answering
    from ethics.survey.models import MoraleCampaign, SurveyParticipation, SurveyPending, SurveyResponse

    with app.app_context():
        answering.close_campaign(db.session.get_one(MoraleCampaign, campaign_id))
        db.session.commit()

        def count(model):
            return db.session.scalar(select(func.count()).select_from(model).where(model.campaign_id == campaign_id))

        return {"sheets": count(SurveyResponse), "participations": count(SurveyParticipation),
                "pending": count(SurveyPending)}


def survey_morning(app, url: str, fiscal_year: int) -> list[dict]:
    campaign, items, names = open_campaign(app, fiscal_year, CLIENTS * ROUNDS)
    answers = {f"item-{item}": str(1 + item % 5) for item in items}
    answers["comment"] = ""
    make_table(url)
    with gunicorn("bench.bare_app:create_app()", url) as port:
        base_s, base_times = 0.0, []
        for _ in range(ROUNDS):
            clients = [Client(port) for _ in range(CLIENTS)]
            wall, got = _at_once(lambda k, c=clients: _timed(lambda: c[k].request("POST", "/insert")[0]), CLIENTS)
            assert all(status == 200 for status, _ in got), got
            base_s += wall
            base_times += [seconds for _, seconds in got]
    submitted, refused_again, open_times, times, ours_s = 0, 0, [], [], 0.0
    with gunicorn("ethics:create_app()", url) as port:
        for r in range(ROUNDS):
            clients = [Client(port) for _ in range(CLIENTS)]
            with ThreadPoolExecutor(4) as pool:  # signing in hashes a password (argon2, 64 MiB): a few at a time
                list(pool.map(lambda k, c=clients, r=r: c[k].sign_in(names[r * CLIENTS + k], BENCH_PASSWORD),
                              range(CLIENTS)))
            _, opened = _at_once(lambda k, c=clients: _timed(lambda: c[k].request("GET", f"/survey/{campaign}")[0]),
                                 CLIENTS)
            assert all(status == 200 for status, _ in opened), opened
            open_times += [seconds for _, seconds in opened]
            wall, got = _at_once(lambda k, c=clients: _timed(lambda: c[k].request(
                "POST", f"/survey/{campaign}", answers)[0]), CLIENTS)
            submitted += sum(status == 302 for status, _ in got)
            ours_s += wall
            times += [seconds for _, seconds in got]
            # the same people again, all at once (a second tab, a double click): refused, nothing stored
            _, again = _at_once(lambda k, c=clients: c[k].request("POST", f"/survey/{campaign}", answers)[0], CLIENTS)
            refused_again += sum(status == 409 for status in again)
    counted = close_and_count(app, campaign)
    ours_rps, base_rps = submitted / ours_s, CLIENTS * ROUNDS / base_s
    sent = CLIENTS * ROUNDS
    lost, doubled = sent - counted["sheets"], max(0, counted["sheets"] - counted["participations"])
    once = counted["sheets"] == counted["participations"] == submitted == sent and refused_again == sent
    return [{"ours_rps": ours_rps, "baseline_rps": base_rps, "ratio": ours_rps / base_rps,
             "p50_ms": statistics.median(times) * 1000, "p95_ms": percentile(times, 0.95) * 1000,
             "open_p50_ms": statistics.median(open_times) * 1000, "open_p95_ms": percentile(open_times, 0.95) * 1000,
             "baseline_p50_ms": statistics.median(base_times) * 1000,
             "baseline_p95_ms": percentile(base_times, 0.95) * 1000, "clients": CLIENTS, "rounds": ROUNDS,
             "submitted": submitted, "refused_again": refused_again, **counted, "lost": max(0, lost),
             "doubled": doubled, "met": ours_rps / base_rps >= 0.30 and once}]
