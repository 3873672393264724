"""Made-up names for the demo: supervisors and cooperatives. Every address is under the reserved `.example`
domain and every cooperative name ends in "(Contoh)", so nothing can be mistaken for, or mailed to, a real one."""
from __future__ import annotations

import random
import re

FIRST_NAMES = (
    "Andi", "Ayu", "Budi", "Dewi", "Fajar", "Hasnah", "Ikhsan", "Irma", "Kadek", "Lina", "Muh", "Nurul", "Putri",
    "Rahmat", "Rini", "Safar", "Siti", "Sri", "Taufik", "Wa Ode", "La Ode", "Wahyu", "Yusuf", "Zainab",
)
FAMILY_NAMES = (
    "Amir", "Baharuddin", "Daeng", "Hamzah", "Hasan", "Jufri", "Kadir", "Lamusu", "Mahmud", "Nasir", "Pratama",
    "Rahman", "Saleh", "Sulaiman", "Tamburaka", "Usman", "Wijaya", "Yamin",
)
KIND_PREFIXES = {
    "KSP": "KSP", "KSPPS": "KSPPS", "produsen": "Koperasi Produsen", "konsumen": "Koperasi Konsumen",
    "pemasaran": "Koperasi Pemasaran", "jasa": "Koperasi Jasa",
}
NAME_WORDS = (
    "Sejahtera", "Mandiri", "Bersama", "Makmur", "Maju", "Jaya", "Sentosa", "Harapan", "Amanah", "Berkah", "Karya",
    "Mitra", "Bahari", "Lestari", "Abadi", "Sinar", "Cahaya", "Bina", "Usaha", "Tani", "Nelayan", "Anoa",
    "Teluk", "Pesisir", "Mekar", "Gotong Royong", "Serumpun", "Sumber Rezeki", "Tunas", "Pelita",
)
#: Reserved for examples (RFC 2606): never a real mailbox.
DOMAIN = "example"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def supervisor_email(rng: random.Random, place: str, taken: set[str]) -> str:
    """e.g. siti.rahman@kolaka.satgas.example; unique within `taken`."""
    while True:
        local = f"{slug(rng.choice(FIRST_NAMES))}.{slug(rng.choice(FAMILY_NAMES))}".replace("-", "")
        address = f"{local}@{slug(place)}.satgas.{DOMAIN}"
        if address not in taken:
            taken.add(address)
            return address


def cooperative_name(rng: random.Random, kind: str) -> str:
    first, second = rng.sample(NAME_WORDS, 2)
    return f"{KIND_PREFIXES[kind]} {first} {second} (Contoh)"


def cooperative_email(nik: str) -> str:
    return f"pengurus.{nik}@koperasi.{DOMAIN}"
