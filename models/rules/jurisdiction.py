"""Which regions a Satgas team supervises: its regency, its province's regencies, or the whole country."""
from __future__ import annotations

from dataclasses import dataclass

from models.regions import regencies
from models.rules.assignment import KABUPATEN, NASIONAL, PROVINSI


@dataclass(frozen=True)
class Jurisdiction:
    """A team's reach. Every read and every change a supervisor makes is limited to it."""

    level: str  #: kabupaten | provinsi | nasional
    region_code: str  #: 4-digit regency, 2-digit province, or "ID"

    @property
    def is_national(self) -> bool:
        return self.level == NASIONAL

    def regency_codes(self) -> tuple[str, ...]:
        """The regencies within reach, sorted (all 514 for the national team)."""
        if self.level == KABUPATEN:
            return (self.region_code,)
        if self.level == PROVINSI:
            return tuple(sorted(code for code in regencies() if code[:2] == self.region_code))
        return tuple(sorted(regencies()))

    def province_codes(self) -> tuple[str, ...]:
        return tuple(sorted({code[:2] for code in self.regency_codes()}))

    def covers(self, regency_code: str | None) -> bool:
        if regency_code is None:
            return False
        if self.level == KABUPATEN:
            return regency_code == self.region_code
        if self.level == PROVINSI:
            return regency_code[:2] == self.region_code
        return self.level == NASIONAL


def team_jurisdiction(level: str, region_code: str) -> Jurisdiction | None:
    """None for a level no team can have."""
    if level not in (KABUPATEN, PROVINSI, NASIONAL):
        return None
    return Jurisdiction(level, region_code)
