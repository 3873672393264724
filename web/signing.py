"""The web's secret key and what it signs: API tokens and the upload kept across a form shown again."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from config import Settings

SECRET_FILE = "web-secret-key"


def secret_key(settings: Settings) -> str:
    """The configured key, or one generated once and kept (mode 0600) in the data directory."""
    configured = settings.web.secret_key.get_secret_value()
    if configured:
        return configured
    path: Path = settings.data_dir / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class Signer:
    """Signed, timestamped values; each purpose has its own salt so one cannot stand in for another."""

    def __init__(self, key: str, max_age_seconds: int):
        self.max_age = max_age_seconds
        self._tokens = URLSafeTimedSerializer(key, salt="satgas-api-token")
        self._uploads = URLSafeTimedSerializer(key, salt="satgas-kept-upload")

    def api_token(self, login: str, credentials_version: int) -> str:
        return self._tokens.dumps({"login": login, "v": credentials_version})

    def read_api_token(self, token: str) -> tuple[str, int] | None:
        try:
            data = self._tokens.loads(token, max_age=self.max_age)
            return str(data["login"]), int(data["v"])
        except (BadSignature, KeyError, TypeError, ValueError):
            return None

    def kept_upload(self, nik: str, sha256: str, name: str) -> str:
        return self._uploads.dumps([nik, sha256, name])

    def read_kept_upload(self, token: str, nik: str) -> tuple[str, str] | None:
        """(sha256, name) of an upload this cooperative made in the last hours, else None."""
        try:
            owner, sha256, name = self._uploads.loads(token, max_age=self.max_age)
        except (BadSignature, TypeError, ValueError):
            return None
        return (str(sha256), str(name)) if owner == nik else None
