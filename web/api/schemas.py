"""The JSON shapes of the API's errors, session and filings, as its OpenAPI description publishes them
(docs/contract.md, "JSON API"); cases and the dashboard are in web.api.case_schemas."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

class Problem(BaseModel):
    """Every error answer of the API."""

    detail: str
    #: Set when fields are wrong: field name (or "query.limit" and the like) -> what is wrong with it.
    errors: dict[str, str] | None = None


def problem_responses(*status_codes: int) -> dict[int, dict]:
    """The error answers an operation documents, all shaped as Problem."""
    return {code: {"model": Problem} for code in status_codes}


class TokenRequest(BaseModel):
    login: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds")


class Me(BaseModel):
    login: str
    role: Literal["pengawas", "koperasi"]
    name: str
    nik: str | None
    team_id: str | None
    team_level: str | None
    team_region: str | None


class Document(BaseModel):
    name: str
    sha256: str
    bytes: int


class Filing(BaseModel):
    filing_id: str = Field(description="the receipt number")
    nik: str
    fiscal_year: int
    rat_date: str | None
    submitted_at: str
    members: int | None
    members_men: int | None
    members_women: int | None
    assets: str | None
    liabilities: str | None
    equity: str | None
    business_volume: str | None
    shu: str | None
    late: bool | None = Field(description="null until the worker has judged it")
    timeliness: Literal["diproses", "tepat_waktu", "terlambat"]
    document: Document | None


class FilingReceipt(BaseModel):
    filing_id: str
    new: bool = Field(description="false when the same submission (submission_key) came in before")
    filing: Filing
