"""Helpers for the start page's tests: providers called in an English request, and their items read back."""
from __future__ import annotations

import pytest


@pytest.fixture
def in_english(app):
    """A request in English, for providers that build links and translate their labels."""
    with app.test_request_context("/", headers={"Cookie": "ethics_lang=en"}):
        yield


def shown(items) -> dict[str, tuple]:
    """Label -> (count, detail, url) of each item, as text."""
    return {str(item.label): (item.count, str(item.detail), item.url) for item in items}
