"""Names for the codes stored in the corpus (``legal_status="in_force"`` → 有效).

Templates show ``{{ _(code_label("legal_status", value)) }}``: a known code becomes its
translated name, an unknown one is shown as it is.
"""

from __future__ import annotations

from ipops.web.i18n import N_

NONE_SHOWN = "—"

CODE_LABELS: dict[str, dict[str, str]] = {
    "doc_type": {"grant": N_("Granted patent"), "application": N_("Published application")},
    "patent_type": {
        "invention": N_("Invention"),
        "utility_model": N_("Utility model"),
        "utility": N_("Utility patent"),
        "design": N_("Design"),
        "plant": N_("Plant patent"),
        "reissue": N_("Reissue"),
    },
    "legal_status": {
        "in_force": N_("In force"),
        "pending": N_("Pending"),
        "lapsed": N_("Lapsed"),
        "expired": N_("Expired"),
        "invalidated": N_("Invalidated"),
        "withdrawn": N_("Withdrawn"),
        "rejected": N_("Rejected"),
        "unknown": N_("Unknown"),
    },
    "party_role": {"applicant": N_("Applicant"), "assignee": N_("Assignee")},
    "party_type": {"organization": N_("Organisation"), "individual": N_("Individual")},
    "event_type": {
        "granted": N_("Granted"),
        "lapsed_unpaid_fees": N_("Lapsed for unpaid fees"),
        "restored": N_("Restored"),
        "expired": N_("Expired"),
        "invalidated": N_("Invalidated"),
        "partially_invalidated": N_("Partially invalidated"),
        "transferred": N_("Transferred"),
        "pledged": N_("Pledged"),
        "pledge_released": N_("Pledge released"),
        "licence_recorded": N_("Licence recorded"),
    },
    "citation_category": {"patent": N_("Patent"), "npl": N_("Non-patent literature")},
    "cited_by": {"examiner": N_("Examiner"), "applicant": N_("Applicant"), "other": N_("Other")},
    "boolean": {"true": N_("Yes"), "false": N_("No")},
    "pool_patent_status": {
        "submitted": N_("Submitted"),
        "under_review": N_("Under review"),
        "admitted": N_("Admitted"),
        "rejected": N_("Not admitted"),
        "expired": N_("Left the pool: expired"),
        "lapsed": N_("Left the pool: lapsed"),
        "invalidated": N_("Left the pool: invalidated"),
        "withdrawn": N_("Left the pool: withdrawn"),
    },
    "opinion": {"essential": N_("Essential"), "not_essential": N_("Not essential")},
    "count_basis": {"patents": N_("by patent"), "families": N_("by patent family")},
    "majority": {"simple": N_("simple majority"), "unanimous": N_("unanimity")},
    "case_status": {
        "opened": N_("Opened"),
        "negotiating": N_("Negotiating"),
        "in_mediation": N_("In mediation"),
        "settled": N_("Settled"),
        "litigated": N_("In litigation"),
        "closed": N_("Closed"),
    },
    "case_kind": {
        "mediation": N_("Mediation"),
        "negotiation": N_("Negotiation"),
        "litigation": N_("Litigation"),
    },
    "scheme": {
        "default": N_("General (default)"),
        "finance": N_("IP-pledge finance"),
        "finance_rating": N_("Enterprise IP rating"),
        "licensing": N_("Licensing"),
    },
    "status_basis": {
        "events": N_("from legal events"),
        "source": N_("as reported by the source"),
        "presumed": N_("presumed from the term"),
        "term": N_("from the term"),
    },
    "cohort": {
        "field_year": N_("same technology field and filing year"),
        "year": N_("same filing year"),
        "all": N_("all patents"),
        "kind": N_("all patents of the same kind"),
    },
    "cohort_kind": {
        "invention": N_("invention patents (granted)"),
        "utility_model": N_("utility models"),
        "design": N_("designs"),
        "application": N_("published applications"),
    },
    "data_source": {
        "generated": N_("generated (demo data)"),
        "patentsview": N_("PatentsView (USPTO bulk data)"),
        "uspto-xml": N_("USPTO full-text XML"),
        "cn-table": N_("CNIPA table export"),
    },
    "arrears": {
        "current": N_("not overdue"),
        "1-30": N_("1 to 30 days overdue"),
        "31-60": N_("31 to 60 days overdue"),
        "61-90": N_("61 to 90 days overdue"),
        "90+": N_("more than 90 days overdue"),
    },
    "calendar_source": {
        "chinese_calendar": N_("State Council holiday notices (chinese_calendar package)"),
    },
}


def code_label(kind: str, code: object) -> str:
    """The msgid naming ``code`` of ``kind``; the code itself when unknown; a dash when empty."""
    if code is None or code == "":
        return NONE_SHOWN
    key = str(code).lower() if isinstance(code, bool) else str(code)
    return CODE_LABELS.get(kind, {}).get(key, key)
