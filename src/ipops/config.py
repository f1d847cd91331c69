"""Settings, read from the environment (``IPOPS_*``) when asked for, never at import time."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the workspace lives and which registry database to use."""

    model_config = SettingsConfigDict(env_prefix="IPOPS_", extra="ignore")

    home: Path = Field(default=Path("./ipops-data"), description="workspace folder")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the registry; default: SQLite in the workspace"
    )
    session_secret: SecretStr | None = Field(
        default=None, description="web session signing key; default: a key file in the workspace"
    )
    session_https_only: bool = Field(
        default=False, description="mark the web session cookie Secure (behind HTTPS)"
    )
    token_lifetime_days: int = Field(
        default=90, ge=1, le=3650, description="days an API token stays valid after issue"
    )
    trusted_proxies: str = Field(
        default="",
        description=(
            "comma-separated addresses of reverse proxies whose X-Forwarded-For is believed;"
            " empty (the default): the header is ignored and the peer address is the client"
        ),
    )

    def resolved_home(self) -> Path:
        return self.home.expanduser().resolve()

    def registry_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_home() / 'registry.sqlite'}"


def load_settings() -> Settings:
    return Settings()
