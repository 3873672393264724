"""Test data with random NIKs, so tests can share a database without cleaning up."""
from __future__ import annotations

import json
import random
from itertools import count

from services.dead_letters import Incoming

_offsets = count()


def random_nik(regency_code: str = "7471") -> str:
    return regency_code + "".join(random.choices("0123456789", k=12))


def cooperative(nik: str | None = None, **fields) -> dict:
    nik = nik or random_nik(fields.get("regency_code", "7471"))
    return {
        "nik": nik,
        "name": f"Koperasi Uji {nik[-4:]}",
        "kind": "konsumen",
        "level": "primer",
        "membership_area": "kabupaten",
        "regency_code": nik[:4],
        "email": f"kop{nik[-6:]}@contoh.id",
        "status": "aktif",
        "fiscal_year_end": "12-31",
        **fields,
    }


def filing(nik: str, fiscal_year: int = 2024, **fields) -> dict:
    return {
        "filing_id": f"F-{nik}-{fiscal_year}-{random.randrange(10**9)}",
        "nik": nik,
        "fiscal_year": fiscal_year,
        "rat_date": f"{fiscal_year + 1}-03-15",
        "submitted_at": f"{fiscal_year + 1}-03-20T10:00:00+08:00",
        "members": 120,
        "assets": "500000000.00",
        "liabilities": "200000000.00",
        "equity": "300000000.00",
        "business_volume": "900000000.00",
        "shu": "25000000.00",
        **fields,
    }


def missed(nik: str, fiscal_year: int = 2024, **fields) -> dict:
    return {
        "nik": nik,
        "fiscal_year": fiscal_year,
        "deadline": f"{fiscal_year + 1}-07-31",
        "detected_at": f"{fiscal_year + 1}-08-01T00:05:00+07:00",
        **fields,
    }


def incoming(topic: str, data: dict | bytes, headers: dict | None = None) -> Incoming:
    value = data if isinstance(data, bytes) else json.dumps(data).encode()
    return Incoming(topic=topic, value=value, key=None, source=f"{topic}/0/{next(_offsets)}", headers=headers or {})
