"""The compliance dashboard of one province, limited to the regencies in the user's reach."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from models.regions import WIB, provinces
from models.rules.jurisdiction import Jurisdiction
from services.compliance import default_fiscal_year, province_dashboard
from web.auth import CurrentUser, supervisor_page_user
from web.charts import compliance_bars, trend_line
from web.database import db
from web.pages.cases import no_team

router = APIRouter()


def choose_province(scope: Jurisdiction, asked: str | None) -> str:
    reachable = scope.province_codes()
    if asked is None:
        return reachable[0]
    if asked not in reachable:
        raise HTTPException(404, "Provinsi ini tidak ada atau bukan wewenang tim Anda.")
    return asked


def choose_year(asked: str | None, default: int) -> int:
    if asked is None or asked == "":
        return default
    if not asked.isdigit() or not 1990 <= int(asked) <= 2100:
        raise HTTPException(400, "Tahun buku tidak valid.")
    return int(asked)


@router.get("/dasbor")
def dashboard(request: Request, provinsi: str | None = None, tahun: str | None = None,
              user: CurrentUser = Depends(supervisor_page_user), session: Session = Depends(db)) -> Response:
    if user.jurisdiction is None:
        return no_team(request, user)
    default_year = default_fiscal_year(datetime.now(WIB).date(), request.app.state.settings.rules)
    province_code = choose_province(user.jurisdiction, provinsi)
    data = province_dashboard(session, user.jurisdiction, province_code, choose_year(tahun, default_year))
    return request.app.state.templates.TemplateResponse(request, "pengawas/dasbor.html", {
        "user": user, "data": data, "bars": compliance_bars(data["regencies"]), "trend": trend_line(data["trend"]),
        "province_choices": [(code, provinces()[code].name) for code in user.jurisdiction.province_codes()],
        "year_choices": list(range(default_year + 1, default_year - 5, -1)),
    })
