"""The JSON API under /api, described by OpenAPI at /api/openapi.json. Bearer tokens, never cookies."""
from fastapi import APIRouter

from web.api import cases, dashboard, filings, session

router = APIRouter(prefix="/api")
for module in (session, filings, cases, dashboard):
    router.include_router(module.router)
