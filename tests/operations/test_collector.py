"""A served app keeps the cyclic collector out of the way of requests: what it built at start is
frozen out of every collection, and young collections come every 20,000 new objects
(docs/performance.md, "Collector pauses")."""
from __future__ import annotations

import gc

from ethics import COLLECTOR_THRESHOLDS, create_app


def test_a_served_app_freezes_what_it_built_at_start_and_collects_less_often(tmp_path):
    gc.unfreeze()
    thresholds = gc.get_threshold()
    try:
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}"})
        assert gc.get_freeze_count() > 50_000 and gc.get_threshold() == COLLECTOR_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_the_suites_apps_stay_collectable(tmp_path):
    """Hundreds of apps are built in one test run; frozen, none of their cycles would ever be freed."""
    gc.unfreeze()
    thresholds = gc.get_threshold()
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}"})
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == thresholds
