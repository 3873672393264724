"""`make bench`'s options: defaults for the national size, and a clear refusal of a run with no ceiling."""
from __future__ import annotations

import pytest

from bench.handler_cost import statement_kind
from bench.national_burst import median_pair, parse_args


def test_the_defaults_are_the_national_size_with_three_bursts_each_followed_by_its_ceiling():
    args = parse_args([])
    assert (args.coops, args.pairs, args.ceiling_runs, args.latency_seconds, args.databases) == (
        250_000, 3, 1, 60.0, "sqlite,postgresql")
    quick = parse_args(["--quick"])
    assert (quick.coops, quick.pairs) == (20_000, 1)


def test_a_run_without_a_ceiling_is_refused_in_plain_words(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--ceiling-runs", "0"])
    assert "--ceiling-runs must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("options, words", [
    (["--coops", "0"], "--coops must be at least 2"),
    (["--workers", "0"], "--workers must be at least 1"),
    (["--pairs", "0"], "--pairs must be at least 1"),
    (["--latency-rate", "0"], "--latency-rate must be more than 0"),
    (["--latency-seconds", "-1"], "--latency-seconds must be more than 0"),
    (["--databases", "sqlite,mysql"], "--databases takes sqlite and/or postgresql"),
])
def test_options_that_cannot_make_a_run_are_refused_in_plain_words(capsys, options, words):
    with pytest.raises(SystemExit):
        parse_args(options)
    assert words in capsys.readouterr().err


def test_the_handler_cost_bench_names_statements_by_what_they_touch():
    assert statement_kind("INSERT INTO followups (followup_id) SELECT value ->> 0 FROM json_each(?)") == \
        "INSERT INTO followups"
    assert statement_kind("SELECT x FROM (SELECT 1 FROM json_each(?)) AS events JOIN cooperatives c ON c.nik = "
                          "events.nik LEFT JOIN cases previous ON 1") == "SELECT json_each, cooperatives, cases"
    assert statement_kind("BEGIN IMMEDIATE") == "BEGIN"


def test_the_run_reports_the_pair_of_median_ratio_and_of_an_even_number_the_lower_middle_one():
    pairs = [{"burst_to_ceiling": ratio, "number": number} for number, ratio in enumerate([0.62, 0.39, 0.55], 1)]
    assert median_pair(pairs)["number"] == 3
    assert median_pair(pairs[:2])["number"] == 2
    assert median_pair(pairs[:1])["number"] == 1
