"""Imports every domain's registry models so that Base.metadata knows all tables."""

from ipops.accounts.models import ApiToken, LoginAttempt, Organisation, User
from ipops.audit.models import AuditRecord
from ipops.corpus.models import IngestionRun
from ipops.finance import models as finance_models
from ipops.names.models import NameLink
from ipops.pool import models as pool_models
from ipops.registry.base import Base
from ipops.valuation.models import ValuationRun

__all__ = [
    "ApiToken",
    "AuditRecord",
    "Base",
    "IngestionRun",
    "LoginAttempt",
    "NameLink",
    "Organisation",
    "User",
    "ValuationRun",
    "finance_models",
    "pool_models",
]
