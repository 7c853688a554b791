"""Eligibility rules, each switchable per round, and HR's overrides (always with a reason).

A round's `rules` maps a rule to its setting; a rule that is absent or empty is off. Results
are stored as data (`rule`, `passed`, `detail`) and worded when shown, in the reader's language.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.people.models import DisciplinaryFlag, PersonnelType
from ethics.recognition.errors import RecognitionError, StageClosed
from ethics.recognition.models import AwardRound, Nomination, NominationStatus, RoundStatus
from ethics.training import counting
from ethics.training.models import Registration

RULE_LABELS = {
    "min_service_years": _l("Minimum years of service"),
    "personnel_types": _l("Personnel types"),
    "position_levels": _l("Position levels"),
    "not_awarded_years": _l("Years without an award before the round"),
    "no_disciplinary_flag": _l("No open disciplinary flag"),
    "ethics_course": _l("Completed an ethics course this fiscal year"),
}


def rule_label(rule: str, setting=None) -> str:
    """A rule as a round sets it, with the number of years written in; without one, its name."""
    if isinstance(setting, int) and not isinstance(setting, bool):
        if rule == "min_service_years":
            return ngettext("At least %(num)d year of service", "At least %(num)d years of service", setting)
        if rule == "not_awarded_years":
            return ngettext("Not awarded in the last %(num)d year", "Not awarded in the last %(num)d years", setting)
    return str(RULE_LABELS[rule])


def check_rules(rules: dict) -> None:
    """Refuse settings the rules cannot apply: unknown rules, negative years, unknown types."""
    for key, value in rules.items():
        if key not in RULE_LABELS:
            raise RecognitionError(_l("Unknown eligibility rule."), field="rules")
        if key in ("min_service_years", "not_awarded_years") and not (isinstance(value, int) and 0 < value <= 60):
            raise RecognitionError(_l("Give a number of years from 1 to 60."), field=key)
        if key == "personnel_types" and not set(value) <= {t.value for t in PersonnelType}:
            raise RecognitionError(_l("Unknown personnel type."), field=key)


def _service_years(start, on) -> int:
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def _recent_winners(award_round: AwardRound, years: int) -> set[int]:
    return set(db.session.scalars(
        select(Nomination.person_id).join(AwardRound)
        .where(AwardRound.status == RoundStatus.ANNOUNCED, Nomination.status == NominationStatus.SELECTED,
               AwardRound.year.between(award_round.year - years, award_round.year - 1))))


def _flagged(person_ids: list[int]) -> set[int]:
    return set(db.session.scalars(select(DisciplinaryFlag.person_id).where(
        DisciplinaryFlag.person_id.in_(person_ids), DisciplinaryFlag.closed_on.is_(None))))


def _passed_ethics(award_round: AwardRound, person_ids: list[int]) -> set[int]:
    sessions = counting.sessions_of(award_round.year, category="ethics")
    return set(db.session.scalars(select(Registration.person_id).where(
        Registration.session_id.in_(sessions), Registration.passed.is_(True), Registration.person_id.in_(person_ids))))


def evaluate(award_round: AwardRound, nominations: Sequence[Nomination]) -> dict[int, list[dict]]:
    """Every switched-on rule's result for each nomination, in a fixed number of queries."""
    rules, on = award_round.rules, award_round.nominations_close
    ids = [n.person_id for n in nominations]
    winners = _recent_winners(award_round, rules["not_awarded_years"]) if rules.get("not_awarded_years") else set()
    flagged = _flagged(ids) if rules.get("no_disciplinary_flag") else set()
    trained = _passed_ethics(award_round, ids) if rules.get("ethics_course") else set()
    results = {}
    for nomination in nominations:
        person, found = nomination.person, []
        if rules.get("min_service_years"):
            years = _service_years(person.service_start_date, on) if person.service_start_date else None
            found.append({"rule": "min_service_years", "passed": years is not None and years >= rules["min_service_years"],
                          "detail": {"years": years, "needed": rules["min_service_years"]}})
        if rules.get("personnel_types"):
            found.append({"rule": "personnel_types", "passed": person.personnel_type in rules["personnel_types"],
                          "detail": {"value": person.personnel_type}})
        if rules.get("position_levels"):
            found.append({"rule": "position_levels", "passed": person.position_level in rules["position_levels"],
                          "detail": {"value": person.position_level}})
        if rules.get("not_awarded_years"):
            found.append({"rule": "not_awarded_years", "passed": person.id not in winners,
                          "detail": {"years": rules["not_awarded_years"]}})
        if rules.get("no_disciplinary_flag"):
            found.append({"rule": "no_disciplinary_flag", "passed": person.id not in flagged, "detail": {}})
        if rules.get("ethics_course"):
            found.append({"rule": "ethics_course", "passed": person.id in trained,
                          "detail": {"fiscal_year": award_round.year}})
        results[nomination.id] = found
    return results


def effective(result: dict) -> bool:
    override = result.get("override")
    return override["passed"] if override else result["passed"]


def unchanged_rules(before: dict, after: dict, close_moved: bool) -> set[str]:
    """The rules whose results cannot have changed: same setting, and for service years the
    same closing date (service is counted up to it)."""
    same = {rule for rule in RULE_LABELS if before.get(rule) == after.get(rule)}
    return same - {"min_service_years"} if close_moved else same


def screen(award_round: AwardRound, nominations: Sequence[Nomination],
           keep_overrides_on: set[str] | None = None) -> list[tuple[Nomination, str]]:
    """Check each nomination against the round's rules. Screening again after the settings
    changed (`keep_overrides_on` given) keeps an override only on those rules; returns the
    (nomination, rule) pairs whose override was kept."""
    results, kept = evaluate(award_round, nominations), []
    for nomination in nominations:
        before, found = nomination.status, results[nomination.id]
        overrides = {r["rule"]: r["override"] for r in nomination.eligibility or [] if r.get("override")}
        kept_here = sorted(set(overrides) & (keep_overrides_on or set()))
        for result in found:
            if result["rule"] in kept_here:
                result["override"] = overrides[result["rule"]]
        nomination.eligibility, nomination.status = found, _status(found)
        kept += [(nomination, rule) for rule in kept_here]
        if keep_overrides_on is None:
            record("nomination.screen", nomination, status=nomination.status,
                   failed=[r["rule"] for r in found if not r["passed"]])
        else:
            record("nomination.rescreen", nomination, before=before, after=nomination.status,
                   overrides_kept=kept_here, overrides_dropped=sorted(set(overrides) - set(kept_here)))
    return kept


def _status(results: list[dict]) -> str:
    return NominationStatus.ELIGIBLE if all(effective(r) for r in results) else NominationStatus.INELIGIBLE


def override(nomination: Nomination, rule: str, passed: bool, reason: str, by: str) -> None:
    """HR changes one rule's result; the reason is required and kept with the result."""
    if nomination.round.status != RoundStatus.SCREENING or nomination.status not in (
            NominationStatus.ELIGIBLE, NominationStatus.INELIGIBLE):
        raise StageClosed()
    if not reason.strip():
        raise RecognitionError(_l("Write the reason for the override."), field="reason")
    results = [dict(r) for r in nomination.eligibility]
    target = next((r for r in results if r["rule"] == rule), None)
    if target is None:
        raise RecognitionError(_l("This rule is not part of the round."), field="rule")
    target["override"] = {"passed": passed, "reason": reason.strip(), "by": by}
    nomination.eligibility = results
    before = nomination.status
    nomination.status = _status(results)
    record("nomination.override", nomination, rule=rule, passed=passed, reason=reason.strip(),
           before=before, after=nomination.status)


def describe(result: dict) -> str:
    """Why the rule passed or failed, in the reader's language."""
    detail, rule, passed = result["detail"], result["rule"], result["passed"]
    if rule == "min_service_years":
        if detail["years"] is None:
            return _("No service start date on record.")
        return _("%(years)d years of service; %(needed)d needed.", years=detail["years"], needed=detail["needed"])
    if rule == "personnel_types":
        return _("Personnel type: %(value)s.", value=PersonnelType(detail["value"]).label)
    if rule == "position_levels":
        return _("Position level: %(value)s.", value=detail["value"] or "-")
    if rule == "not_awarded_years":
        return (_("Not awarded in the last %(years)d years.", years=detail["years"]) if passed
                else _("Awarded in the last %(years)d years.", years=detail["years"]))
    if rule == "no_disciplinary_flag":
        return _("No open disciplinary flag.") if passed else _("Has an open disciplinary flag.")
    return (_("Passed an ethics course in fiscal year %(year)d.", year=detail["fiscal_year"]) if passed
            else _("No ethics course passed in fiscal year %(year)d.", year=detail["fiscal_year"]))
