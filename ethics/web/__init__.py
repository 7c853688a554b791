"""The web layer over the domains: page or fragment, error pages, access, form fields,
pagination, kept pages, the home page, the navigation, the interface components' helpers and the unit
of work. It knows no domain."""
from __future__ import annotations

from flask import Flask

from ethics.web import components, error_pages, home, navigation, render, request_checks


def init_app(app: Flask) -> None:
    request_checks.init_app(app)
    render.init_app(app)
    error_pages.init_app(app)
    home.init_app(app)
    navigation.init_app(app)
    components.init_app(app)
