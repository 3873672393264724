"""GET /api/dashboard/{province_code}: the compliance dashboard as data."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from sqlalchemy.orm import Session

from models.regions import WIB
from services.compliance import default_fiscal_year, province_dashboard
from web.api.case_schemas import Dashboard
from web.api.schemas import problem_responses
from web.auth import CurrentUser, api_supervisor
from web.database import db

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard/{province_code}", response_model=Dashboard,
            responses=problem_responses(400, 401, 403, 404, 422))
def dashboard(request: Request, province_code: str = Path(description="2-digit province code, e.g. 74"),
              fiscal_year: int | None = Query(None, ge=1990, le=2100, description="default: the latest one overdue"),
              user: CurrentUser = Depends(api_supervisor), session: Session = Depends(db)) -> dict:
    """RAT compliance per regency (ranked), open and overdue cases, weekly trend: only regencies in reach."""
    if user.jurisdiction is None:
        raise HTTPException(403, f"team '{user.team_id}' no longer exists")
    if province_code not in user.jurisdiction.province_codes():
        raise HTTPException(404, "no such province within your reach")
    year = fiscal_year or default_fiscal_year(datetime.now(WIB).date(), request.app.state.settings.rules)
    return province_dashboard(session, user.jurisdiction, province_code, year)
