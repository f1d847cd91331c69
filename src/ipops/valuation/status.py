"""Legal status and legal term of a patent, as the valuation reads them (Python and SQL).

Status. The status derived from legal-status events (``patent_status``, see
``ipops.corpus.events``) wins; when a patent has no events, the source's own
``legal_status`` text (e.g. 有效, 失效, 审中 from a Chinese database export; ``withdrawn``
from PatentsView) is read by ``status_of_text``: the first rule that matches decides, in
the order of ``TEXT_RULES`` (``部分无效`` before ``无效``, ``invalid`` before ``valid``,
``inactive`` before ``active``). Withdrawn, rejected and abandoned applications count as
``lapsed``. Nothing known: ``unknown``.

Term: see ``ipops.valuation.term`` (the expiry and how it was reached); ``term_end`` here
is its date from the four basic facts alone (no continuity, adjustment or disclaimer data).
A lapsed, expired or invalidated patent has no remaining term (0).

In force. ``in_force`` when the status says so; a granted patent with status ``unknown``
(no events, no source status, e.g. USPTO XML or PatentsView grants) whose term has not ended
is *presumed* in force (``status_basis = 'presumed'``), since US maintenance-fee data are not
loaded; the high-value screening can be told not to presume.
"""

from __future__ import annotations

from datetime import date

from ipops.corpus.events import LegalStatus
from ipops.valuation.term import TermFacts, expiry

DEAD_STATUSES: tuple[str, ...] = (
    LegalStatus.LAPSED,
    LegalStatus.EXPIRED,
    LegalStatus.INVALIDATED,
)

# (substring of the lower-cased text, status); the first match wins.
TEXT_RULES: tuple[tuple[str, LegalStatus], ...] = (
    ("部分无效", LegalStatus.IN_FORCE),
    ("partially invalid", LegalStatus.IN_FORCE),
    ("届满", LegalStatus.EXPIRED),
    ("expired", LegalStatus.EXPIRED),
    ("无效", LegalStatus.INVALIDATED),
    ("invalid", LegalStatus.INVALIDATED),
    ("revoked", LegalStatus.INVALIDATED),
    ("终止", LegalStatus.LAPSED),
    ("失效", LegalStatus.LAPSED),
    ("未缴年费", LegalStatus.LAPSED),
    ("撤回", LegalStatus.LAPSED),
    ("驳回", LegalStatus.LAPSED),
    ("放弃", LegalStatus.LAPSED),
    ("lapse", LegalStatus.LAPSED),
    ("ceased", LegalStatus.LAPSED),
    ("withdrawn", LegalStatus.LAPSED),
    ("rejected", LegalStatus.LAPSED),
    ("abandon", LegalStatus.LAPSED),
    ("inactive", LegalStatus.LAPSED),
    ("dead", LegalStatus.LAPSED),
    ("有效", LegalStatus.IN_FORCE),
    ("授权", LegalStatus.IN_FORCE),
    ("in force", LegalStatus.IN_FORCE),
    ("in_force", LegalStatus.IN_FORCE),
    ("active", LegalStatus.IN_FORCE),
    ("alive", LegalStatus.IN_FORCE),
    ("granted", LegalStatus.IN_FORCE),
    ("valid", LegalStatus.IN_FORCE),
    ("审中", LegalStatus.PENDING),
    ("实质审查", LegalStatus.PENDING),
    ("公开", LegalStatus.PENDING),
    ("pending", LegalStatus.PENDING),
    ("examination", LegalStatus.PENDING),
)


def status_of_text(text: str | None) -> LegalStatus:
    """The status a source's legal-status text states (``unknown`` when none matches)."""
    if not text:
        return LegalStatus.UNKNOWN
    lowered = text.strip().lower()
    for needle, status in TEXT_RULES:
        if needle in lowered:
            return status
    return LegalStatus.UNKNOWN


# --------------------------------------------------------------------------- SQL forms


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def status_of_text_sql(column: str) -> str:
    """SQL CASE giving ``status_of_text`` of a text column."""
    whens = " ".join(
        f"WHEN lower({column}) LIKE {_quote('%' + needle + '%')} THEN {_quote(status.value)}"
        for needle, status in TEXT_RULES
    )
    return f"CASE {whens} ELSE {_quote(LegalStatus.UNKNOWN.value)} END"


def dead_statuses_sql() -> str:
    return ", ".join(_quote(s) for s in DEAD_STATUSES)


# --------------------------------------------------------------------------- one patent


def term_end(
    office: str | None,
    patent_type: str | None,
    filing_date: date | None,
    grant_date: date | None,
) -> date | None:
    """The expiry from the basic facts alone (``term.expiry`` without continuity data)."""
    return expiry(TermFacts(office, patent_type, filing_date, grant_date)).expiry


def effective_status(event_status: str | None, source_text: str | None) -> tuple[str, str]:
    """(status, basis): the events' status unless unknown, else the source's text."""
    if event_status and event_status != LegalStatus.UNKNOWN:
        return event_status, "events"
    status = status_of_text(source_text)
    return status.value, ("source" if source_text else "none")
