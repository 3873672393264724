"""Error answers without stack traces: an Indonesian page for people, JSON under /api."""
from __future__ import annotations

import logging
import uuid
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException

from web.auth import LoginRequired
from web.case_commands import ActionRefused
from web.limits import BodyTooLarge

log = logging.getLogger("satgas.web")

TITLES = {
    400: "Permintaan tidak dapat diproses", 401: "Perlu masuk", 403: "Akses ditolak",
    404: "Halaman tidak ditemukan", 405: "Cara akses tidak didukung", 413: "Berkas terlalu besar",
    429: "Terlalu banyak percobaan",
    422: "Isian tidak valid", 500: "Terjadi kesalahan", 503: "Layanan sedang tidak tersedia",
}
DEFAULT_TEXT = {
    404: "Halaman atau data yang Anda cari tidak ada, atau bukan wewenang Anda.",
    413: "Berkas atau isian melebihi batas ukuran.",
    500: "Terjadi kesalahan di server. Kejadian ini sudah dicatat; silakan coba lagi.",
    503: "Basis data sedang tidak dapat dihubungi. Silakan coba beberapa saat lagi.",
}


def _is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def error_response(request: Request, status: int, detail: str | None, headers: dict | None = None) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": detail or TITLES.get(status, "error")}, status, headers=headers)
    text = detail or DEFAULT_TEXT.get(status, "")
    context = {"user": None, "status": status, "title": TITLES.get(status, "Terjadi kesalahan"), "text": text}
    try:
        return request.app.state.templates.TemplateResponse(request, "error.html", context, status_code=status,
                                                            headers=headers)
    except Exception:  # the error page itself must never fail
        log.exception("error page could not be rendered")
        return Response(f"{status} {context['title']}", status, media_type="text/plain; charset=utf-8")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        detail = error.detail if isinstance(error.detail, str) else None
        if detail in ("Not Found", "Method Not Allowed"):
            detail = None
        return error_response(request, error.status_code, detail, getattr(error, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            problems = {".".join(str(part) for part in e.get("loc", ())): str(e.get("msg", "")) for e in error.errors()}
            return JSONResponse({"detail": "invalid request", "errors": problems}, 422)
        return error_response(request, 400, "Alamat atau isian tidak valid.")

    @app.exception_handler(ActionRefused)
    async def action_refused(request: Request, error: ActionRefused) -> Response:
        # The pages catch it themselves, to show the form again with what was typed.
        return error_response(request, 409, str(error))

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, error: LoginRequired) -> Response:
        return RedirectResponse(f"/masuk?next={quote(request.url.path)}", 303)

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(request: Request, error: BodyTooLarge) -> Response:
        return error_response(request, 413, None)

    @app.exception_handler(DataError)
    async def unstorable_input(request: Request, error: DataError) -> Response:
        # PostgreSQL refuses some text SQLite takes, above all NUL characters in paths, queries or fields.
        log.warning("input the database refused on %s %s: %s", request.method, request.url.path, error.orig)
        return error_response(request, 400, "Isian berisi karakter yang tidak dapat diproses.")

    @app.exception_handler(OperationalError)
    async def database_unavailable(request: Request, error: OperationalError) -> Response:
        log.error("database unavailable: %s", error.orig)
        return error_response(request, 503, None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        incident = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s on %s %s", incident, request.method, request.url.path)
        return error_response(request, 500, f"Terjadi kesalahan (kode kejadian {incident}).")
