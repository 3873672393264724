"""Server-rendered pages (not in the OpenAPI description): login, the cooperative's side, the supervisor's side."""
from fastapi import APIRouter

from web.pages import case_actions, cases, cooperative, dashboard, documents, login

router = APIRouter(include_in_schema=False)
for module in (login, cooperative, documents, dashboard, case_actions, cases):
    router.include_router(module.router)
