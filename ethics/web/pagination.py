"""Counting and slicing a query in SQL, the same way for every list that can grow."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from ethics.core.extensions import db


@dataclass
class Page:
    items: list
    total: int
    page: int
    pages: int


def paginate(query: Select, page: int, per_page: int) -> Page:
    """Two queries whatever the size: the count, then one page of rows."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items=list(items), total=total, page=page, pages=pages)
