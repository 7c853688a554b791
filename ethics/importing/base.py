"""What every importer returns: row-numbered problems and a row-by-row plan of changes."""
from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l

from ethics.core.spreadsheets import Table
from ethics.core.text import has_hidden_characters
from ethics.importing.template_files import Guide

Progress = Callable[[int, int], None]  # (rows checked, rows in all)
MAX_REPORTED_ERRORS = 1000


SHOWN_VALUE_LENGTH = 40


@dataclass
class RowError:
    row: int
    column: str
    reason: Any  # a (lazy) translated message
    value: str = ""  # the cell as read, given where the reason does not already name it

    @property
    def problem(self) -> str:
        """The reason, then the value that has it, so the cell is found at a glance:
        `not a valid email address: "somchai@"`."""
        if not self.value:
            return str(self.reason)
        value = self.value if len(self.value) <= SHOWN_VALUE_LENGTH else self.value[:SHOWN_VALUE_LENGTH] + "…"
        return f'{self.reason}: "{value}"'

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.problem}"


class RowErrors:
    """An import's problems in row order (within a row, in the order found). Only the first
    `keep` are kept, the rest are counted in `more`: a file of a hundred thousand bad rows costs
    a thousand errors' memory, and a job stores no more than that."""

    def __init__(self, errors: Iterable[RowError] = (), keep: int = MAX_REPORTED_ERRORS) -> None:
        self.keep = keep
        self.more = 0
        self._found = 0
        self._kept: list[tuple[int, int, RowError]] = []  # a heap of (-row, -order, error): the last kept on top
        self.extend(errors)

    def append(self, error: RowError) -> None:
        self._found += 1
        entry = (-error.row, -self._found, error)  # orders are unique: errors are never compared
        if len(self._kept) < self.keep:
            heapq.heappush(self._kept, entry)
            return
        self.more += 1
        if entry > self._kept[0]:  # it comes before the last one kept, which becomes one more
            heapq.heapreplace(self._kept, entry)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    def __iter__(self) -> Iterator[RowError]:
        """The kept errors, in row order."""
        return (error for _row, _order, error in sorted(self._kept, reverse=True))

    def __bool__(self) -> bool:
        return bool(self._kept)

    @property
    def total(self) -> int:
        return len(self._kept) + self.more

    def lines(self) -> list[str]:
        """The CLI's report: `row N: column: reason` for each kept error, then `and N more`."""
        return [str(error) for error in self] + ([f"and {self.more} more"] if self.more else [])


@dataclass
class RowChange:
    row: int
    status: str  # new | updated | unchanged
    label: str
    fields: list[str] = field(default_factory=list)  # the columns that change
    values: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (old, new), as the preview shows them


def cell_text(value: Any) -> str:
    """A stored or read value as a preview cell shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def compared(row: int, label: str, old: Mapping[str, Any], new: Mapping[str, Any], names: Iterable[str],
             shown: Callable[[str, str], str] = lambda _name, text: text) -> RowChange:
    """An existing record against its row: updated with each differing column's old and new
    value (`shown` may mask one), or unchanged."""
    differing = [name for name in names if old[name] != new[name]]
    return RowChange(row, "updated" if differing else "unchanged", label, differing,
                     {name: (shown(name, cell_text(old[name])), shown(name, cell_text(new[name]))) for name in differing})


@dataclass
class ImportPlan:
    changes: list[RowChange] = field(default_factory=list)
    errors: RowErrors = field(default_factory=RowErrors)
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
    """What an import is: its name, columns (with their Thai aliases), required columns, options,
    what its template file says of each column, and the roles that may run it (read-only, so
    each importer may declare them as plain tuples)."""

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

    @property
    def guide(self) -> Guide: ...  # what its blank template file says of each column

    def plan(self, table: Table, options: dict, progress: Progress) -> ImportPlan: ...

    def apply(self, plan: ImportPlan, filename: str) -> None: ...


def missing_values(number: int, values: dict[str, str], required: tuple[str, ...]) -> list[RowError]:
    """One error per required column left empty on this row."""
    return [RowError(number, name, _l("a value is required")) for name in required
            if not values.get(name, "").strip()]


def hidden_characters(table: Table) -> RowErrors:
    """One error per cell holding control or text-direction characters (tab and line breaks are
    ordinary within a cell), checked before any importer reads the rows."""
    problem = _l("remove the invisible control or text-direction characters")
    return RowErrors(RowError(number, column, problem) for number, values in table.rows
                     for column, text in values.items() if has_hidden_characters(text, multiline=True))


def missing_columns(table: Table, required: tuple[str, ...]) -> list[RowError]:
    return [RowError(1, name, _l("this column is missing")) for name in required if name not in table.columns]
