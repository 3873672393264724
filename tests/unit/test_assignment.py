"""Which Satgas team supervises a cooperative, by membership area, with visible fallbacks."""
from models.rules.assignment import (
    KABUPATEN,
    NASIONAL,
    NATIONAL_REGION,
    PROVINSI,
    Assignment,
    assign_team,
    supervising_region,
)

KENDARI_TEAM = {(KABUPATEN, "7471"): "satgas-kendari"}
SULTRA_TEAM = {(PROVINSI, "74"): "satgas-sultra"}
NATIONAL_TEAM = {(NASIONAL, NATIONAL_REGION): "satgas-kemenkop"}
ALL_TEAMS = {**KENDARI_TEAM, **SULTRA_TEAM, **NATIONAL_TEAM}


def test_a_regency_wide_cooperative_is_supervised_by_its_regency():
    assert supervising_region("kabupaten", "7471") == (KABUPATEN, "7471")


def test_a_province_wide_cooperative_is_supervised_by_its_province():
    assert supervising_region("provinsi", "7471") == (PROVINSI, "74")


def test_a_nation_wide_cooperative_is_supervised_by_the_ministry():
    assert supervising_region("nasional", "7471") == (NASIONAL, "ID")


def test_a_regency_wide_cooperative_goes_to_its_regency_team_without_a_note():
    assert assign_team("kabupaten", "7471", ALL_TEAMS) == Assignment("satgas-kendari")


def test_without_a_regency_team_the_province_team_takes_the_case_with_a_note():
    assignment = assign_team("kabupaten", "7471", {**SULTRA_TEAM, **NATIONAL_TEAM})
    assert assignment == Assignment("satgas-sultra", "no kabupaten team for 7471; assigned to the provinsi team")


def test_a_team_of_another_regency_in_the_province_is_not_used():
    assignment = assign_team("kabupaten", "7471", {(KABUPATEN, "7472"): "satgas-baubau", **SULTRA_TEAM})
    assert assignment.team_id == "satgas-sultra"


def test_without_regency_or_province_team_the_national_team_takes_the_case_with_a_note():
    assignment = assign_team("kabupaten", "7471", NATIONAL_TEAM)
    assert assignment == Assignment("satgas-kemenkop", "no kabupaten team for 7471; assigned to the nasional team")


def test_a_province_wide_cooperative_goes_to_its_province_team_even_when_its_regency_has_one():
    assert assign_team("provinsi", "7471", ALL_TEAMS) == Assignment("satgas-sultra")


def test_a_province_wide_cooperative_without_a_province_team_goes_to_the_national_team():
    assignment = assign_team("provinsi", "7471", {**KENDARI_TEAM, **NATIONAL_TEAM})
    assert assignment == Assignment("satgas-kemenkop", "no provinsi team for 74; assigned to the nasional team")


def test_a_nation_wide_cooperative_goes_to_the_national_team_even_when_local_teams_exist():
    assert assign_team("nasional", "7471", ALL_TEAMS) == Assignment("satgas-kemenkop")


def test_without_any_team_the_case_stays_unassigned_with_a_note():
    assert assign_team("kabupaten", "7471", {}) == Assignment(None, "no team configured for kabupaten 7471 or above")


def test_a_nation_wide_cooperative_without_a_national_team_stays_unassigned():
    assignment = assign_team("nasional", "7471", {**KENDARI_TEAM, **SULTRA_TEAM})
    assert assignment == Assignment(None, "no team configured for nasional ID or above")


def test_a_team_entry_with_an_empty_id_counts_as_no_team():
    assert assign_team("kabupaten", "7471", {(KABUPATEN, "7471"): "", **SULTRA_TEAM}).team_id == "satgas-sultra"
