"""A served app leaves what it built at start out of the cyclic collector's way: full
collections would otherwise walk it again, 110-140 ms in the middle of some request
(docs/performance.md, "Collector pauses")."""
from __future__ import annotations

import gc

from ethics import create_app


def test_a_served_app_freezes_what_it_built_at_start(tmp_path):
    gc.unfreeze()
    try:
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}"})
        assert gc.get_freeze_count() > 50_000
    finally:
        gc.unfreeze()


def test_the_suites_apps_stay_collectable(tmp_path):
    """Hundreds of apps are built in one test run; frozen, none of their cycles would ever be freed."""
    gc.unfreeze()
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}"})
    assert gc.get_freeze_count() == 0
