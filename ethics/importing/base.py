"""What every importer returns: row-numbered problems and a row-by-row plan of changes."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ethics.core.spreadsheets import Table

Progress = Callable[[int, int], None]  # (rows checked, rows in all)


@dataclass
class RowError:
    row: int
    column: str
    reason: Any  # a (lazy) translated message

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.reason}"


@dataclass
class RowChange:
    row: int
    status: str  # new | updated | unchanged
    label: str
    fields: list[str] = field(default_factory=list)  # the columns that change


@dataclass
class ImportPlan:
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)  # e.g. {"deactivated": 3}
    state: Any = None  # what apply() needs, prepared while checking

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        tally = Counter(change.status for change in self.changes)
        return {"new": tally["new"], "updated": tally["updated"], "unchanged": tally["unchanged"], **self.extra}

    def summary(self) -> str:
        """The contract's line `new N, updated N, unchanged N`; extras (deactivated N) follow on their own lines."""
        counts = self.counts()
        lines = [f"new {counts['new']}, updated {counts['updated']}, unchanged {counts['unchanged']}"]
        return "\n".join(lines + [f"{name} {value}" for name, value in self.extra.items()])


class Importer(Protocol):
    """What an import is: its name, columns (with their Thai aliases), required columns, options
    and the roles that may run it (read-only, so each importer may declare them as plain tuples)."""

    @property
    def kind(self) -> str: ...

    @property
    def title(self) -> Any: ...

    @property
    def columns(self) -> Mapping[str, tuple[str, ...]]: ...

    @property
    def required(self) -> tuple[str, ...]: ...

    @property
    def options(self) -> tuple[str, ...]: ...

    @property
    def roles(self) -> tuple[str, ...]: ...

    def plan(self, table: Table, options: dict, progress: Progress) -> ImportPlan: ...

    def apply(self, plan: ImportPlan, filename: str) -> None: ...


def missing_values(number: int, values: dict[str, str], required: tuple[str, ...]) -> list[RowError]:
    """One error per required column left empty on this row."""
    from flask_babel import lazy_gettext as _l

    return [RowError(number, name, _l("a value is required")) for name in required
            if not values.get(name, "").strip()]


def missing_columns(table: Table, required: tuple[str, ...]) -> list[RowError]:
    from flask_babel import lazy_gettext as _l

    return [RowError(1, name, _l("this column is missing")) for name in required if name not in table.columns]
