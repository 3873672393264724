"""The demo province as data: teams, cooperatives and RAT filings, the same for the same seed and day.

Sulawesi Tenggara, 2021: of 2,300 active cooperatives only 420 held their RAT (DOMAIN.md). The demo takes
the latest fiscal year whose report deadline has passed on the demo day, so its sweep finds 1,880 missed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from config.settings import RuleSettings
from demo.people import cooperative_email, cooperative_name, supervisor_email
from models.regions import provinces, regencies
from models.rules.deadlines import latest_overdue_fiscal_year, rat_deadline, report_deadline

PROVINCE = "74"
COOPERATIVES = 2300
REPORTED = 420
LATE = 14  #: of the reported: RAT held after its deadline
NEGATIVE_EQUITY = 6  #: of the reported, on time: liabilities above assets
ZERO_MEMBERS = 3
#: Marks a demo NIK: {regency}9999{8 digits}.
NIK_MARK = "9999"
#: Rough weight of each regency (its population), so Kendari has more cooperatives than Konawe Kepulauan.
REGENCY_WEIGHTS = {
    "7401": 240, "7402": 260, "7403": 230, "7404": 115, "7405": 310, "7406": 150, "7407": 95, "7408": 140,
    "7409": 67, "7410": 63, "7411": 120, "7412": 38, "7413": 85, "7414": 100, "7415": 90, "7471": 345, "7472": 160,
}
KINDS = {"KSP": 22, "KSPPS": 6, "produsen": 20, "konsumen": 27, "pemasaran": 10, "jasa": 15}


@dataclass(frozen=True)
class DemoProvince:
    province_code: str
    fiscal_years: dict[str, int]  #: level -> the fiscal year the demo reports (the same unless rules differ)
    teams: list[dict[str, Any]]
    cooperatives: list[dict[str, Any]]
    filings: list[dict[str, Any]]


def demo_fiscal_year(as_of: date, level: str, rules: RuleSettings) -> int:
    return latest_overdue_fiscal_year(as_of, "12-31", level, rules)


def _counts(rng: random.Random, total: int) -> dict[str, int]:
    """Cooperatives per regency, summing to `total` (largest remainders)."""
    weights = {code: weight * rng.uniform(0.8, 1.25) for code, weight in REGENCY_WEIGHTS.items()}
    shares = {code: total * weight / sum(weights.values()) for code, weight in weights.items()}
    counts = {code: int(share) for code, share in shares.items()}
    for code in sorted(shares, key=lambda c: shares[c] - counts[c], reverse=True)[: total - sum(counts.values())]:
        counts[code] += 1
    return counts


def build_teams(rng: random.Random) -> list[dict[str, Any]]:
    """Rows as a teams file holds them (emails separated by "; "): the same validation reads them."""
    taken: set[str] = set()
    teams = [
        {"team_id": f"satgas-{code}", "name": f"Satgas Pengawas Koperasi {regency.name}", "level": "kabupaten",
         "region_code": code,
         "supervisor_emails": "; ".join(supervisor_email(rng, regency.name.split(" ", 1)[1], taken)
                                        for _ in range(rng.choice((2, 3))))}
        for code, regency in sorted(regencies().items()) if code.startswith(PROVINCE)
    ]
    teams.append({"team_id": f"satgas-{PROVINCE}", "level": "provinsi", "region_code": PROVINCE,
                  "name": f"Satgas Pengawas Koperasi Provinsi {provinces()[PROVINCE].name}",
                  "supervisor_emails": "; ".join(supervisor_email(rng, "sultra", taken) for _ in range(3))})
    teams.append({"team_id": "satgas-nasional", "name": "Satgas Pengawas Koperasi Kementerian Koperasi",
                  "level": "nasional", "region_code": "ID",
                  "supervisor_emails": "; ".join(supervisor_email(rng, "kemenkop", taken) for _ in range(2))})
    return teams


def build_cooperatives(rng: random.Random) -> list[dict[str, Any]]:
    cooperatives = []
    for code, count in sorted(_counts(rng, COOPERATIVES).items()):
        for serial in sorted(rng.sample(range(10**7, 10**8), count)):
            nik = f"{code}{NIK_MARK}{serial}"
            kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
            level = "sekunder" if rng.random() < 0.03 else "primer"
            area = rng.choices(("kabupaten", "provinsi", "nasional"), weights=(96, 3, 1))[0]
            if level == "sekunder" and area == "kabupaten":
                area = "provinsi"
            cooperatives.append({
                "nik": nik, "name": cooperative_name(rng, kind), "kind": kind, "level": level,
                "membership_area": area, "regency_code": code, "status": "aktif", "fiscal_year_end": "12-31",
                "email": cooperative_email(nik) if rng.random() < 0.6 else None,
            })
    return cooperatives


def _reporters(rng: random.Random, cooperatives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """420 cooperatives, more of them where the regency's office pushes harder (a propensity per regency)."""
    propensity = {code: rng.uniform(0.3, 2.5) for code in REGENCY_WEIGHTS}
    keyed = sorted(cooperatives, key=lambda c: rng.random() ** (1 / propensity[c["regency_code"]]), reverse=True)
    return sorted(keyed[:REPORTED], key=lambda c: c["nik"])


def _rupiah(value: float) -> str:
    return str(Decimal(round(value / 1000) * 1000).quantize(Decimal("0.01")))


def _filing(rng: random.Random, coop: dict[str, Any], fiscal_year: int, rules: RuleSettings, late: bool,
            anomaly: str | None) -> dict[str, Any]:
    level = coop["level"]
    rat_by, report_by = rat_deadline(fiscal_year, "12-31", level, rules), report_deadline(fiscal_year, "12-31",
                                                                                          level, rules)
    earliest = date(fiscal_year + 1, 1, 15)
    rat_day = (rat_by + timedelta(days=rng.randint(1, 20)) if late
               else earliest + timedelta(days=rng.randint(0, max((rat_by - earliest).days, 0))))
    submitted_day = min(rat_day + timedelta(days=rng.randint(1, 20)), max(report_by, rat_day))
    submitted = datetime.combine(submitted_day, time(rng.randint(8, 15), rng.randint(0, 59)),
                                 tzinfo=provinces()[PROVINCE].timezone)
    savings = coop["kind"] in ("KSP", "KSPPS")
    assets = 10 ** rng.uniform(8, 10.5)
    liabilities = assets * (rng.uniform(1.05, 1.4) if anomaly == "negative_equity" else rng.uniform(0.2, 0.75))
    volume = assets * rng.uniform(0.3, 2.5)
    equity = _rupiah(assets - liabilities)
    return {
        "filing_id": f"DEMO-{fiscal_year}-{coop['nik']}", "nik": coop["nik"], "fiscal_year": fiscal_year,
        "rat_date": rat_day.isoformat(), "submitted_at": submitted.isoformat(),
        "members": 0 if anomaly == "zero_members" else rng.randint(150, 4000) if savings else rng.randint(20, 800),
        "assets": _rupiah(assets), "liabilities": _rupiah(liabilities), "equity": equity,
        "business_volume": _rupiah(volume),
        "shu": _rupiah(volume * (rng.uniform(-0.05, -0.01) if anomaly else rng.uniform(0.005, 0.06))),
    }


def build_demo_province(seed: int, as_of: date, rules: RuleSettings) -> DemoProvince:
    rng = random.Random(seed)
    teams = build_teams(rng)
    cooperatives = build_cooperatives(rng)
    years = {level: demo_fiscal_year(as_of, level, rules) for level in ("primer", "sekunder")}
    reporters = _reporters(rng, cooperatives)
    marked = rng.sample(range(REPORTED), LATE + NEGATIVE_EQUITY + ZERO_MEMBERS)
    late = set(marked[:LATE])
    anomalies = {i: "negative_equity" for i in marked[LATE:LATE + NEGATIVE_EQUITY]}
    anomalies |= {i: "zero_members" for i in marked[LATE + NEGATIVE_EQUITY:]}
    filings = [_filing(rng, coop, years[coop["level"]], rules, i in late, anomalies.get(i))
               for i, coop in enumerate(reporters)]
    return DemoProvince(PROVINCE, years, teams, cooperatives, filings)
