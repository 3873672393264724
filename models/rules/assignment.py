"""Which Satgas team supervises a cooperative: by membership area (Permenkop 9/2020)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

KABUPATEN = "kabupaten"
PROVINSI = "provinsi"
NASIONAL = "nasional"
TEAM_LEVELS = (KABUPATEN, PROVINSI, NASIONAL)
#: The region code of the national team.
NATIONAL_REGION = "ID"


@dataclass(frozen=True)
class Assignment:
    team_id: str | None
    #: Set when the team is not the one the rule names, so the fallback is visible.
    note: str | None = None


def supervising_region(membership_area: str, regency_code: str) -> tuple[str, str]:
    """(team level, region code) of the authority that supervises the cooperative."""
    if membership_area == KABUPATEN:
        return KABUPATEN, regency_code
    if membership_area == PROVINSI:
        return PROVINSI, regency_code[:2]
    return NASIONAL, NATIONAL_REGION


def assign_team(
    membership_area: str, regency_code: str, teams: Mapping[tuple[str, str], str]
) -> Assignment:
    """`teams` maps (level, region code) to a team id. Falls back regency -> province -> national."""
    level, region = supervising_region(membership_area, regency_code)
    candidates = [(level, region)]
    if level == KABUPATEN:
        candidates.append((PROVINSI, regency_code[:2]))
    if level != NASIONAL:
        candidates.append((NASIONAL, NATIONAL_REGION))
    for candidate in candidates:
        team_id = teams.get(candidate)
        if team_id:
            if candidate == candidates[0]:
                return Assignment(team_id)
            return Assignment(team_id, f"no {level} team for {region}; assigned to the {candidate[0]} team")
    return Assignment(None, f"no team configured for {level} {region} or above")
