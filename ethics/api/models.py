"""Personal access tokens: how another system reads the API on an account's behalf."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ethics.auth.models import Account
from ethics.core.extensions import Model


class ApiToken(Model):
    """A named token with scopes; only the SHA-256 of its secret is kept (the secret is random
    and long, so a fast hash suffices and lookup by hash is exact)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    account: Mapped[Account] = relationship()

    __table_args__ = (UniqueConstraint("account_id", "name"),)

    def usable(self, now: datetime) -> bool:
        """As the tokens page shows it; tokens.find asks the same at every use (keep them alike)."""
        return self.revoked_at is None and now < self.expires_at
