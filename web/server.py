"""`satgas web`: the app served by uvicorn on the configured local port."""
from __future__ import annotations

import uvicorn

from config import Settings
from config.logs import process_logging_config
from web.app import create_app


def serve(settings: Settings) -> None:
    app = create_app(settings)
    uvicorn.run(app, host=settings.web.host, port=settings.web.port, log_level=settings.log_level,
                log_config=process_logging_config(settings.log_format, settings.log_level),
                proxy_headers=False, server_header=False, access_log=settings.log_level == "debug")
