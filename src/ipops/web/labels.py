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
}


def code_label(kind: str, code: object) -> str:
    """The msgid naming ``code`` of ``kind``; the code itself when unknown; a dash when empty."""
    if code is None or code == "":
        return NONE_SHOWN
    key = str(code).lower() if isinstance(code, bool) else str(code)
    return CODE_LABELS.get(kind, {}).get(key, key)
