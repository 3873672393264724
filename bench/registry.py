"""The benchmark's set-up: a fresh database holding a national registry, half of it overdue.

This phase is not measured and writes the tables directly in bulk (not through `import-cooperatives`
and the worker), so that a 250,000-cooperative run does not spend minutes before the measured sweep.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from models.database import build_engine
from models.filings import RatFiling
from models.migrate import upgrade
from models.regions import provinces, regencies
from models.registry import COOPERATIVE_KINDS, Cooperative, Team

#: The sweep day of the benchmark: fiscal year 2024 became overdue the day before.
SWEEP_DAY = date(2025, 8, 1)
OVERDUE_YEAR = 2024
SETUP_NOW = datetime(2025, 7, 31, tzinfo=timezone.utc)
CHUNK = 10_000


def create_database(kind: str, workdir: Path, postgres_server: str) -> tuple[str, callable]:
    """(url, drop): a SQLite file under workdir, or a new PostgreSQL database dropped by `drop`."""
    if kind == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:8]}.db"
        return f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in path.parent.glob(path.name + "*")]
    name = f"satgas_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return postgres_server.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://") + f"/{name}", drop


def nik_of(index: int, regency_codes: list[str]) -> str:
    return f"{regency_codes[index % len(regency_codes)]}{index:012d}"


def cooperative_row(index: int, regency_codes: list[str]) -> dict:
    nik = nik_of(index, regency_codes)
    return {
        "nik": nik,
        "name": f"Koperasi Bench {index}",
        "kind": COOPERATIVE_KINDS[index % len(COOPERATIVE_KINDS)],
        "level": "sekunder" if index % 50 == 0 else "primer",
        "membership_area": ("kabupaten", "kabupaten", "kabupaten", "provinsi")[index % 4] if index % 100 else "nasional",
        "regency_code": nik[:4],
        "province_code": nik[:2],
        "email": f"pengurus{index}@koperasi.example",
        "status": "aktif" if index % 40 else "tidak_aktif",
        "fiscal_year_end": "12-31",
        "updated_at": SETUP_NOW,
    }


def on_time_filing_row(nik: str) -> dict:
    return {
        "filing_id": f"BENCH-{OVERDUE_YEAR}-{nik}",
        "nik": nik,
        "fiscal_year": OVERDUE_YEAR,
        "rat_date": date(OVERDUE_YEAR + 1, 3, 15),
        "submitted_at": datetime(OVERDUE_YEAR + 1, 3, 20, 3, 0, tzinfo=timezone.utc),
        "members": 120,
        "assets": Decimal("500000000.00"),
        "liabilities": Decimal("200000000.00"),
        "equity": Decimal("300000000.00"),
        "business_volume": Decimal("900000000.00"),
        "shu": Decimal("25000000.00"),
        "received_at": SETUP_NOW,
        "evaluated_at": SETUP_NOW,
        "late": False,
    }


def write_national_registry(url: str, cooperatives: int) -> dict:
    """Every odd-numbered cooperative has no FY2024 filing (overdue); every even one filed on time.
    One team per province and a national team, so cases are assigned as in production."""
    upgrade(url)
    regency_codes = sorted(regencies())
    engine = build_engine(url)
    try:
        with engine.begin() as connection:
            teams = [
                {"team_id": f"satgas-{code}", "name": f"Satgas {p.name}", "level": "provinsi", "region_code": code,
                 "supervisor_emails": [f"satgas{code}@kemenkop.example"]}
                for code, p in provinces().items()
            ] + [{"team_id": "satgas-ID", "name": "Satgas Nasional", "level": "nasional", "region_code": "ID",
                  "supervisor_emails": ["satgas@kemenkop.example"]}]
            connection.execute(insert(Team), teams)
        for start in range(0, cooperatives, CHUNK):
            indexes = range(start, min(start + CHUNK, cooperatives))
            rows = [cooperative_row(i, regency_codes) for i in indexes]
            filings = [on_time_filing_row(row["nik"]) for i, row in zip(indexes, rows) if i % 2 == 0]
            with engine.begin() as connection:
                connection.execute(insert(Cooperative), rows)
                if filings:
                    connection.execute(insert(RatFiling), filings)
        settle(engine, (Team, Cooperative, RatFiling))
    finally:
        engine.dispose()
    return {"cooperatives": cooperatives, "overdue": cooperatives // 2, "teams": len(provinces()) + 1}


def settle(engine, tables) -> None:
    """Leave the registry as a database in service has it: vacuumed, with planner statistics, and the
    set-up's writes flushed to the data files, so that neither autovacuum nor a checkpoint charges the
    set-up's rows to the measured burst."""
    connection = engine.raw_connection()  # VACUUM and checkpoints run outside any transaction
    try:
        connection.driver_connection.autocommit = True  # psycopg; the SQLite connection is in autocommit already
    except AttributeError:
        pass
    try:
        cursor = connection.cursor()
        for table in tables:
            cursor.execute(f"{'VACUUM ANALYZE' if engine.dialect.name == 'postgresql' else 'ANALYZE'} {table.__tablename__}")
        cursor.execute("CHECKPOINT" if engine.dialect.name == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        connection.close()


def latency_niks(cooperatives: int, count: int) -> list[str]:
    regency_codes = sorted(regencies())
    return [nik_of(i % cooperatives, regency_codes) for i in range(count)]
