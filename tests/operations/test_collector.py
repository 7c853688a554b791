"""A served app keeps the cyclic collector out of the way of requests: what it built at start is
frozen out of every collection, once per process, and young collections come every 20,000 new
objects (docs/performance.md, "Collector pauses")."""
from __future__ import annotations

import gc

import pytest

from ethics import COLLECTOR_THRESHOLDS, create_app


@pytest.fixture
def collector(monkeypatch):
    """The collector as a served process would start it, put back afterwards."""
    monkeypatch.setenv("ETHICS_TUNE_COLLECTOR", "1")
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def served_app(tmp_path, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}", **config})


def test_a_served_app_freezes_what_it_built_at_start_and_collects_less_often(tmp_path, collector):
    served_app(tmp_path)
    assert gc.get_freeze_count() > 50_000 and gc.get_threshold() == COLLECTOR_THRESHOLDS


def test_a_second_app_in_the_process_freezes_nothing_more(tmp_path, collector):
    served_app(tmp_path)
    frozen = gc.get_freeze_count()
    served_app(tmp_path)
    assert gc.get_freeze_count() <= frozen  # objects without cycles still go when unreferenced


@pytest.mark.parametrize("config", [{"TESTING": True}, {"ETHICS_TUNE_COLLECTOR": False}])
def test_the_suites_apps_and_a_switched_off_one_leave_the_collector_alone(tmp_path, collector, config):
    """Hundreds of apps are built in one test run; frozen, none of their cycles would ever be freed."""
    thresholds = gc.get_threshold()
    served_app(tmp_path, **config)
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == thresholds
