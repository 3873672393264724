"""A ceiling on request bodies, so an upload larger than allowed is refused before it fills the disk."""
from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """The request body passed the ceiling; the error handler answers 413."""


class BodySizeLimit:
    """Refuses by Content-Length at once, and counts the bytes of bodies that do not announce it."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send, is_api=scope.get("path", "").startswith("/api"))
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted_receive, send)


TOO_LARGE = "Berkas atau isian terlalu besar."


async def _refuse(send: Send, is_api: bool) -> None:
    """Answered here, before the app: JSON under /api, a bare Indonesian page elsewhere."""
    if is_api:
        body, media_type = json.dumps({"detail": TOO_LARGE}).encode(), b"application/json"
    else:
        body = (f'<!doctype html><html lang="id"><meta charset="utf-8"><title>{TOO_LARGE}</title>'
                f'<h1>{TOO_LARGE}</h1><p><a href="/">Kembali ke beranda</a></p></html>').encode()
        media_type = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", media_type), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
