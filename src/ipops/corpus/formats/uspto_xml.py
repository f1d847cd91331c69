"""USPTO full-text XML: weekly grant (``ipg``) and pre-grant publication (``ipa``) bulk files.

A weekly bulk file is many XML documents concatenated, each beginning with its own
``<?xml ...?>`` declaration; the USPTO ships it plain or zipped. ``iter_raw_documents``
cuts a file into documents without holding more than one document in memory, and
``parse_document`` turns one document into canonical rows (see ``ipops.corpus.schema``).

Formats
-------
* ``us-patent-grant`` and ``us-patent-application``, DTD v4.0 to v4.5 (2005 onwards). The
  element names that changed between versions are all read: ``references-cited/citation``
  and ``us-references-cited/us-citation``; ``parties/applicants/applicant`` and
  ``us-parties/us-applicants/us-applicant``; ``inventors/inventor`` (separate inventors,
  v4.3+) or, before that, the applicants with ``app-type="applicant-inventor"``;
  ``classification-ipc`` (IPC 7 strings) and ``classifications-ipcr``; ``classifications-cpc``;
  ``classification-locarno``; ``classification-national`` (USPC).
* ``patent-application-publication`` (pre-grant publications 2001-2004, ``pap-v15``/``v16``).
* Anything else is a ``Reject``: ``PATDOC`` (the 2001-2004 grant format) is named as an
  unsupported USPTO format. Sequence-listing documents (``sequence-cwu``) that follow some
  grants in the weekly files are not patent records: ``iter_raw_documents`` skips them, so
  ``parse_file``'s ``"document N"`` (from 1) counts patent documents only.

Conventions
-----------
* ``patent_id`` is ``US`` + the publication number without leading zeros, letter prefixes
  kept: ``D0512345`` -> ``USD512345``, ``RE041234`` -> ``USRE41234``, ``20130012345`` ->
  ``US20130012345``. ``patents.number`` is the same number without ``US``.
* ``patent_type`` is the ``appl-type`` (utility, design, plant, reissue; ``sir`` becomes
  ``statutory_invention_registration``), else guessed from the number's prefix; 2001-2004
  applications are plant for ``P`` kind codes and utility otherwise.
* ``application_id`` is ``US`` + the application number exactly as printed
  (``10123456``, ``29381217``): the series code is part of it and is also kept in
  ``applications.series_code``.
* ``sequence`` in every table is the 0-based position among the rows this reader emits
  for the publication (per role for parties, per scheme for classifications); the XML's
  own ``sequence``/``num`` attributes are not used because they have gaps and differ in
  width between versions.
* Inventors: ``name`` is ``"First Last"`` (plus ``", Suffix"`` when there is one);
  ``first_name`` carries any middle name. Parties: every assignee (role ``assignee``) and
  every applicant that is an organisation (role ``applicant``); applicants who are people
  are inventors, legal representatives or (v4.3) copies of the inventors, so they get no
  party row. ``name_normalized``, ``entity_id`` and the coordinates are left null.
* ``country`` holds two-letter codes only; placeholders such as ``unknown`` become null.
* Dates: a publication or filing date that is not a real ``YYYYMMDD`` date rejects the
  document, naming the field. Citation and priority dates are secondary: the USPTO writes
  cited documents' dates with ``00`` for an unknown month or day (``19970000``), which is
  read as the first day of the year or month (1997-01-01); any other impossible date there
  becomes null.
* ``priority_date`` is the earliest foreign priority or US provisional application date,
  else the filing date. ``grant_date`` is the publication date for grants, null for
  applications. ``claims_count`` is ``number-of-claims`` when printed, else the number of
  ``claim`` elements; ``independent_claims_count`` counts claims without a ``claim-ref``.
* Classifications: symbols in the ``"F24F 11/30"`` form for IPC and CPC (``subclass``
  ``"F24F"``, ``main_group`` ``"F24F 11/00"``; ``is_main`` for the first/main symbol,
  ``value`` inventive/additional, ``version`` ``"2006.01"`` or the IPC edition); Locarno
  as ``"21-02"`` with ``subclass`` the Locarno class ``"21"``; USPC as ``"428/411.1"`` or
  ``"D14/138G"`` with ``subclass`` the USPC class (``"428"``) and no ``main_group``. CPC
  combination sets (``combination-set``) are not read.
* Citations: ``cited_number`` is the number as printed; ``cited_patent_id`` follows the
  ``patent_id`` rule for US documents (``2003/0123456`` -> ``US20030123456``) and is office
  + the number without spaces, slashes, dashes and leading zeros for other offices.
  ``cited_by`` is ``examiner``/``applicant``/``other`` from "cited by ...".
* The description is cut out of the bytes before parsing (it is most of each document and
  no column uses it), so an XML error inside a description goes unnoticed.

Texts (``texts=True``, ``ipops corpus ingest --texts``)
-------------------------------------------------------
* ``claim_texts``: one row per ``claim`` element. ``claim_number`` is the ``num``
  attribute, else the digits of the claim's ``id`` (``CLM-00003`` -> 3; 2001-2004
  applications have no ``num``). ``text`` is all the claim's text, markup dropped and
  whitespace collapsed, the printed number included (``"2. The widget of claim 1, ..."``).
  ``depends_on`` lists, in order and once each, the numbers of the claims that its
  ``claim-ref`` elements (2001-2004: ``dependent-claim-reference depends_on``) point to: the
  number of the claim with that ``id``, else the digits of an ``id`` of the ``CLM-nnnnn``
  form that names no claim (``idref`` is an IDREFS list in the DTD: each id counts).
  ``independent`` is true for a claim without such a reference (the rule of
  ``independent_claims_count``). A claim whose number cannot be read, a
  number printed twice, or a reference that names no claim number rejects the document,
  naming the claim.
* ``government_interest``: the statement of federally sponsored research. In v4.x it is
  the part of the description between the processing instructions ``<?GOVINT ...
  end="lead"?>`` and ``<?GOVINT ... end="tail"?>`` (``federal-research-statement`` where
  the description sections have their long names, as in the v4.0 applications of 2004-2005:
  ``summary-of-invention``, ``detailed-description``): it is found in the bytes and only
  that part is parsed, so the description is still cut out. 2001-2004 applications carry
  it as
  ``subdoc-description/federal-research-statement`` (``paragraph-federal-research-
  statement`` paragraphs). ``text`` holds its paragraphs (one line each, whitespace
  collapsed), ``heading`` its heading(s). A statement not marked this way (a heading
  alone) is not recognised. PATDOC grants (2001-2004) and the APS "greenbook" text files
  (1976-2000), which carry a ``GOVT`` section, are not formats ipops reads.
* Sources: the grant DTD v4.5 (``us-patent-grant-v45-2014-04-03.dtd``: ``claim`` with
  ``id``/``num``, ``claim-ref idref`` IDREFS), the 2001-2004 application DTD (pap-v16:
  ``federal-research-statement``) and the weekly files themselves (the section processing
  instructions of the description are not in the DTD); 35 USC 202(c)(6) for the statement.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeAlias

from lxml import etree

from ipops.corpus.records import Reject, citing_row
from ipops.corpus.schema import Row

__all__ = ["SOURCE", "iter_raw_documents", "looks_like", "parse_document", "parse_file"]

SOURCE = "uspto-xml"

Document: TypeAlias = dict[str, list[Row]]
_Element: TypeAlias = Any  # lxml ships no type information

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=False
)
_BLOCK_SIZE = 1 << 20
_SNIFF_SIZE = 1024
_BOUNDARY = b"\n<?xml"
_COMPANION_MARK = b"sequence-cwu"
_PATENT_MARKS = (b"us-patent-grant", b"us-patent-application", b"patent-application-publication")

_V4_BIBLIO = {
    "us-patent-grant": ("grant", "us-bibliographic-data-grant"),
    "us-patent-application": ("application", "us-bibliographic-data-application"),
}
_PAP_ROOT = "patent-application-publication"
_UNSUPPORTED_USPTO_ROOTS = frozenset({"PATDOC", "sequence-cwu"})

_SIR = "statutory_invention_registration"
_PATENT_TYPES = {"sir": _SIR}
_TYPE_BY_PREFIX = (("PP", "plant"), ("RE", "reissue"), ("D", "design"), ("H", _SIR))
_RELATIONS = {
    "continuation": "continuation",
    "continuation-in-part": "continuation_in_part",
    "division": "division",
    "reissue": "reissue",
    "us-reissue": "reissue",
    "continuing-reissue": "continuing_reissue",
    "substitution": "substitution",
    "us-reexamination-reissue-merger": "reexamination",
    "correction": "correction",
    "us-provisional-application": "provisional",
    "related-publication": "related_publication",
    "utility-model-basis": "utility_model_basis",
}
_PAP_RELATIONS = {
    "continuation-of": "continuation",
    "continuation-in-part-of": "continuation_in_part",
    "division-of": "division",
    "reissue-of": "reissue",
    "substitution-for": "substitution",
}
_CLASSIFICATION_VALUES = {"I": "inventive", "N": "additional", "A": "additional"}
_NUMBER_SEPARATORS = re.compile(r"[\s/,.\-]")
_FIRST_DOC_NUMBER = re.compile(rb"<doc-number>\s*([^<\s]+)\s*</doc-number>")
_IPC_SUBCLASS = re.compile(r"[A-H]\d\d[A-Z]")
_USPC_CLASS = re.compile(r"\d{1,3}|D\d{1,2}|PLT|G9B")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_COUNT_INDEPENDENT_V4 = etree.XPath("count(claim[not(.//claim-ref)])")
_COUNT_INDEPENDENT_PAP = etree.XPath("count(claim[not(.//dependent-claim-reference)])")
_CLAIM_ID_NUMBER = re.compile(r"CLM-0*(\d+)")
_GOVERNMENT_MARKS = (b"<?GOVINT", b"<?federal-research-statement")
_PI_END = b"?>"
_LEAD, _TAIL = b'end="lead"', b'end="tail"'
_FRAGMENT_OPEN = b'<!DOCTYPE government-interest SYSTEM "none.dtd"><government-interest>'
_FRAGMENT_CLOSE = b"</government-interest>"


class _FieldError(Exception):
    def __init__(self, field: str | None, reason: str, record: str | None = None) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.record = record


class _Place(NamedTuple):
    city: str | None
    state: str | None
    country: str | None
    address: str | None


_NOWHERE = _Place(None, None, None, None)


class _Party(NamedTuple):
    orgname: str | None
    first_name: str | None
    last_name: str | None
    suffix: str | None
    place: _Place
    role_code: str | None = None


class _Symbol(NamedTuple):
    symbol: str
    subclass: str | None
    main_group: str | None
    is_main: bool
    value: str | None
    version: str | None


# --------------------------------------------------------------------------- files


def looks_like(path: Path) -> bool:
    """Whether ``path`` (or the first member of a ``.zip``) starts like a USPTO XML file."""
    try:
        head = _read_head(path)
    except (OSError, zipfile.BadZipFile):
        return False
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") and any(mark in head for mark in _PATENT_MARKS)


def iter_raw_documents(path: Path) -> Iterator[bytes]:
    """The bytes of each patent document of a bulk file, plain or zipped, in file order.

    Reads in blocks and holds one document at a time; sequence listings are skipped.
    """
    if _is_zip(path):
        with zipfile.ZipFile(path) as archive:
            for member in _file_members(archive):
                with archive.open(member) as stream:
                    yield from _split_documents(stream)
    else:
        with path.open("rb") as stream:
            yield from _split_documents(stream)


def parse_file(path: Path, *, texts: bool = False) -> Iterator[Document | Reject]:
    """Rows or a ``Reject`` for each document of ``path``; documents are numbered from 1.

    ``texts`` adds claim texts and government-interest statements (see the module notes).
    """
    file = str(path)
    for index, data in enumerate(iter_raw_documents(path), start=1):
        yield parse_document(data, file=file, index=index, texts=texts)


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def _file_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [info for info in archive.infolist() if not info.is_dir()]


def _read_head(path: Path) -> bytes:
    if not _is_zip(path):
        with path.open("rb") as stream:
            return stream.read(_SNIFF_SIZE)
    with zipfile.ZipFile(path) as archive:
        members = _file_members(archive)
        if not members:
            return b""
        with archive.open(members[0]) as stream:
            return stream.read(_SNIFF_SIZE)


def _split_documents(stream: IO[bytes]) -> Iterator[bytes]:
    """Cut the stream at each ``\n<?xml``; the buffer is compacted once per block read."""
    pending = bytearray()
    start = 0  # where the current document begins in ``pending``
    search_from = 0
    dropping = False
    for block in iter(partial(stream.read, _BLOCK_SIZE), b""):
        del pending[:start]
        search_from, start = max(0, search_from - start), 0
        pending += block
        while (cut := pending.find(_BOUNDARY, search_from)) >= 0:
            if not (dropping or _is_companion(pending, start, cut)):
                yield bytes(pending[start : cut + 1])
            start = search_from = cut + 1
            dropping = False
        if dropping or (
            len(pending) - start > _SNIFF_SIZE
            and _is_companion(pending, start, start + _SNIFF_SIZE)
        ):
            dropping = True
            start = max(start, len(pending) - len(_BOUNDARY))
        search_from = max(start, len(pending) - len(_BOUNDARY) + 1)
    rest = pending[start:]
    if rest.strip() and not (dropping or _is_companion(rest, 0, len(rest))):
        yield bytes(rest)


def _is_companion(pending: bytearray, start: int, document_end: int) -> bool:
    """Whether the document at ``start`` of ``pending`` is a sequence listing."""
    return pending.find(_COMPANION_MARK, start, min(document_end, start + _SNIFF_SIZE)) >= 0


# --------------------------------------------------------------------------- documents


def parse_document(data: bytes, *, file: str, index: int, texts: bool = False) -> Document | Reject:
    """Canonical rows of one USPTO XML document, or why it cannot be loaded.

    ``texts`` adds the ``claim_texts`` and ``government_interest`` rows.
    """
    location = f"document {index}"
    description = _description_span(data)
    try:
        root = _parse_xml(data, description)
    except etree.XMLSyntaxError as error:
        return Reject(file, location, None, str(error), _sniff_patent_id(data))
    try:
        document = _document_rows(root)
        if texts:
            _add_texts(document, root, data, description)
        return document
    except _FieldError as error:
        return Reject(file, location, error.field, error.reason, error.record)


def _parse_xml(data: bytes, description: tuple[int, int] | None) -> _Element:
    """The document without its description, or else the whole document.

    A document that fails is parsed again whole so that the error's line numbers are those
    of the document as written.
    """
    try:
        return etree.fromstring(_without_description(data, description), _PARSER)
    except etree.XMLSyntaxError:
        return etree.fromstring(data, _PARSER)


def _description_span(data: bytes) -> tuple[int, int] | None:
    """Where ``<description ...>`` ... ``</description>`` is in the bytes (end exclusive)."""
    start = data.find(b"<description ")
    if start < 0:
        start = data.find(b"<description>")
    end = data.rfind(b"</description>")
    if start < 0 or end < start:
        return None
    return start, end + len(b"</description>")


def _without_description(data: bytes, description: tuple[int, int] | None) -> bytes:
    if description is None:
        return data
    return data[: description[0]] + data[description[1] :]


def _sniff_patent_id(data: bytes) -> str | None:
    match = _FIRST_DOC_NUMBER.search(data, 0, 4096)
    return _us_patent_id(match.group(1).decode("ascii", "replace")) if match else None


def _document_rows(root: _Element) -> Document:
    tag = root.tag
    if tag in _V4_BIBLIO:
        return _v4_rows(root)
    if tag == _PAP_ROOT:
        return _pap_rows(root)
    if tag in _UNSUPPORTED_USPTO_ROOTS:
        raise _FieldError(None, f"unsupported USPTO format {tag}")
    raise _FieldError(None, f"not a USPTO patent document: root element <{tag}>")


# --------------------------------------------------------------------------- v4.x


def _v4_rows(root: _Element) -> Document:
    doc_type, biblio_tag = _V4_BIBLIO[root.tag]
    biblio = root.find(biblio_tag)
    if biblio is None:
        raise _FieldError(biblio_tag, "missing bibliographic data")
    parts = _children(biblio)
    publication = _document_id(parts.get("publication-reference"))
    raw_number = publication.get("doc-number")
    if raw_number is None:
        raise _FieldError("publication-reference/doc-number", "missing publication number")
    patent_id = _us_patent_id(raw_number)
    published = _required_date(publication.get("date"), "publication-reference/date", patent_id)
    application_reference = parts.get("application-reference")
    application = _document_id(application_reference)
    filed = _required_date(application.get("date"), "application-reference/date", patent_id)
    patent_type = _patent_type(application_reference, patent_id)
    application_number = application.get("doc-number")
    application_id = f"US{application_number}" if application_number else None
    claims = root.find("claims")
    figures = _texts(parts["figures"]) if "figures" in parts else {}
    patent = _patent_row(
        patent_id=patent_id,
        kind=publication.get("kind"),
        doc_type=doc_type,
        patent_type=patent_type,
        application_id=application_id,
        title=_all_text(parts.get("invention-title")),
        abstract=_abstract(root.find("abstract"), "p"),
        filing_date=filed,
        priority_date=_earliest(_v4_priority_dates(parts)) or filed,
        publication_date=published,
        grant_date=published if doc_type == "grant" else None,
        claims_count=_v4_claims_count(parts.get("number-of-claims"), claims),
        independent_claims_count=None if claims is None else int(_COUNT_INDEPENDENT_V4(claims)),
        figures_count=_count(figures.get("number-of-figures")),
        drawing_sheets=_count(figures.get("number-of-drawing-sheets")),
    )
    applications = []
    if application_id is not None:
        series = _own_text(parts.get("us-application-series-code"))
        applications.append(
            _application_row(
                application_id, application_number, filed, patent_type, series, patent_id
            )
        )
    people = _first_present(parts, "us-parties", "parties")
    document: Document = {
        "patents": [patent],
        "applications": applications,
        "parties": _v4_parties(parts.get("assignees"), people, patent_id),
        "inventors": _v4_inventors(people, patent_id),
        "classifications": _v4_classifications(parts, patent_id),
        "citations": _v4_citations(
            _first_present(parts, "us-references-cited", "references-cited"), patent_id
        ),
        "related_documents": _v4_related(parts.get("us-related-documents"), patent_id),
        "priority_claims": _v4_priority_claims(parts.get("priority-claims"), patent_id),
        "pct_data": _v4_pct(parts, patent_id),
        "terms": _v4_terms(parts.get("us-term-of-grant"), patent_id),
        "examiners": _v4_examiners(parts.get("examiners"), patent_id),
        "agents": _v4_agents(people, patent_id),
    }
    if doc_type == "grant":
        # a grant's references are printed on it: it belongs to the citing universe
        document["citing_documents"] = [citing_row(patent_id, "US", published, SOURCE)]
    return document


def _patent_type(application_reference: _Element | None, patent_id: str) -> str | None:
    appl_type = None if application_reference is None else application_reference.get("appl-type")
    if appl_type:
        lowered: str = appl_type.strip().lower()
        return _PATENT_TYPES.get(lowered, lowered)
    number = patent_id[2:]
    return next((kind for prefix, kind in _TYPE_BY_PREFIX if number.startswith(prefix)), None)


def _v4_claims_count(printed: _Element | None, claims: _Element | None) -> int | None:
    number = _own_text(printed)
    if number is not None and number.isdigit():
        return int(number)
    return None if claims is None else len(claims.findall("claim"))


def _v4_priority_dates(parts: dict[str, _Element]) -> Iterator[date | None]:
    claims = parts.get("priority-claims")
    if claims is not None:
        for claim in claims:
            yield _loose_date(claim.findtext("date"))
    related = parts.get("us-related-documents")
    if related is not None:
        for value in related.iterfind("us-provisional-application/document-id/date"):
            yield _loose_date(value.text)


def _v4_related(related: _Element | None, patent_id: str) -> list[Row]:
    """``<us-related-documents>``: one row per parent/child relation, provisional or
    earlier publication, in document order."""
    rows: list[Row] = []
    for element in () if related is None else related:
        relation = _RELATIONS.get(element.tag, "other")
        relations = element.findall("relation")
        if relations:
            rows += [_v4_relation_row(patent_id, relation, found) for found in relations]
        elif (document := element.find("document-id")) is not None:
            fields = _texts(document)
            rows.append(
                _related_row(
                    patent_id,
                    relation,
                    related=(fields.get("country"), fields.get("doc-number")),
                    related_date=_loose_date(fields.get("date")),
                )
            )
    for sequence, row in enumerate(rows):
        row["sequence"] = sequence
    return rows


def _v4_relation_row(patent_id: str, relation: str, element: _Element) -> Row:
    parent = element.find("parent-doc")
    fields = _texts_of(parent, "document-id")
    grant = _texts_of(parent, "parent-grant-document/document-id")
    pct = _texts_of(parent, "parent-pct-document/document-id")
    child = _texts_of(element, "child-doc/document-id")
    return _related_row(
        patent_id,
        relation,
        related=(fields.get("country"), fields.get("doc-number")),
        related_date=_loose_date(fields.get("date")),
        parent_status=_parent_status(
            None if parent is None else parent.findtext("parent-status"), grant
        ),
        parent_patent=(grant.get("country"), grant.get("doc-number")),
        parent_grant_date=_loose_date(grant.get("date")),
        child=(child.get("country"), child.get("doc-number")),
        child_date=_loose_date(child.get("date")),
        parent_pct=(pct.get("doc-number"), _loose_date(pct.get("date"))),
    )


def _parent_status(printed: str | None, grant: dict[str, str]) -> str | None:
    """As printed (lower case); ``granted`` when the parent's patent is named."""
    status = _clean(printed)
    if status is not None:
        return status.lower()
    return "granted" if grant.get("doc-number") else None


def _v4_priority_claims(claims: _Element | None, patent_id: str) -> list[Row]:
    rows: list[Row] = []
    for claim in _children_named(claims, "priority-claim"):
        fields = _texts(claim)
        rows.append(
            _priority_row(
                patent_id,
                len(rows),
                country=fields.get("country"),
                number=fields.get("doc-number"),
                claimed=_loose_date(fields.get("date")),
                kind=_clean(claim.get("kind")),
            )
        )
    return rows


def _v4_pct(parts: dict[str, _Element], patent_id: str) -> list[Row]:
    filing = parts.get("pct-or-regional-filing-data")
    publishing = parts.get("pct-or-regional-publishing-data")
    if filing is None and publishing is None:
        return []
    filed = _texts_of(filing, "document-id")
    published = _texts_of(publishing, "document-id")
    date_371 = None
    if filing is not None:
        date_371 = _loose_date(
            filing.findtext("us-371c124-date/date") or filing.findtext("us-371c12-date/date")
        )
    return [
        {
            "patent_id": patent_id,
            "pct_number": filed.get("doc-number"),
            "pct_filing_date": _loose_date(filed.get("date")),
            "date_371": date_371,
            "pct_publication_number": published.get("doc-number"),
            "pct_publication_date": _loose_date(published.get("date")),
            "generated": False,
        }
    ]


def _v4_terms(term: _Element | None, patent_id: str) -> list[Row]:
    """``<us-term-of-grant>``: 35 USC 154(b) days, terminal disclaimer, design length."""
    if term is None:
        return []
    fields = _texts(term)
    disclaimer = term.find("disclaimer")
    return [
        {
            "patent_id": patent_id,
            "adjustment_days": _count(fields.get("us-term-extension")),
            "disclaimer": disclaimer is not None,
            "disclaimer_text": _all_text(disclaimer),
            "length_of_grant_years": _count(fields.get("length-of-grant")),
            "generated": False,
        }
    ]


def _v4_examiners(examiners: _Element | None, patent_id: str) -> list[Row]:
    rows = []
    for element in _children_named(examiners, "primary-examiner", "assistant-examiner"):
        fields = _texts(element)
        first, last = fields.get("first-name"), fields.get("last-name")
        rows.append(
            {
                "patent_id": patent_id,
                "role": element.tag.removesuffix("-examiner"),
                "name": _join_words(first, last),
                "first_name": first,
                "last_name": last,
                "art_unit": fields.get("department"),
                "generated": False,
            }
        )
    return rows


def _v4_agents(people: _Element | None, patent_id: str) -> list[Row]:
    agents = None if people is None else people.find("agents")
    rows: list[Row] = []
    for element in _children_named(agents, "agent"):
        party = _v4_party(element)
        rows.append(
            {
                "patent_id": patent_id,
                "sequence": len(rows),
                "role": (element.get("rep-type") or "attorney").replace("-", "_"),
                "name": party.orgname or _person_name(party),
                "first_name": party.first_name,
                "last_name": party.last_name,
                "country": party.place.country,
                "generated": False,
            }
        )
    return rows


def _v4_applicants(people: _Element | None) -> list[_Element]:
    if people is None:
        return []
    applicants = _first_present(_children(people), "us-applicants", "applicants")
    return _children_named(applicants, "us-applicant", "applicant")


def _v4_inventors(people: _Element | None, patent_id: str) -> list[Row]:
    listed = None if people is None else people.find("inventors")
    if listed is not None:
        inventors = _children_named(listed, "inventor", "deceased-inventor")
    else:
        inventors = [
            applicant
            for applicant in _v4_applicants(people)
            if applicant.get("app-type") == "applicant-inventor"
        ]
    return [
        _inventor_row(patent_id, sequence, _v4_party(inventor))
        for sequence, inventor in enumerate(inventors)
    ]


def _v4_parties(assignees: _Element | None, people: _Element | None, patent_id: str) -> list[Row]:
    rows = [
        _party_row(patent_id, sequence, "assignee", _v4_party(assignee))
        for sequence, assignee in enumerate(_children_named(assignees, "assignee"))
    ]
    organisations = [
        party for party in map(_v4_party, _v4_applicants(people)) if party.orgname is not None
    ]
    rows += [
        _party_row(patent_id, sequence, "applicant", party)
        for sequence, party in enumerate(organisations)
    ]
    return rows


def _v4_party(element: _Element) -> _Party:
    book = element.find("addressbook")
    if book is None:
        book = element
    names = _texts(book)
    return _Party(
        orgname=names.get("orgname"),
        first_name=_join_words(names.get("first-name"), names.get("middle-name")),
        last_name=names.get("last-name"),
        suffix=names.get("suffix"),
        place=_v4_place(book.find("address")),
        role_code=names.get("role"),
    )


def _v4_place(address: _Element | None) -> _Place:
    if address is None:
        return _NOWHERE
    fields = _texts(address)
    lines = [
        fields[tag] for tag in ("street", "address-1", "address-2", "address-3") if tag in fields
    ]
    return _Place(
        city=fields.get("city"),
        state=fields.get("state"),
        country=_iso2(fields.get("country")),
        address=", ".join(lines) or None,
    )


def _v4_citations(references: _Element | None, patent_id: str) -> list[Row]:
    cited = _children_named(references, "us-citation", "citation")
    return [_citation_row(patent_id, sequence, element) for sequence, element in enumerate(cited)]


def _citation_row(patent_id: str, sequence: int, citation: _Element) -> Row:
    # one pass over the children (the hot path of the reader: ~25 citations a grant)
    category = patcit = nplcit = None
    for child in citation:
        tag = child.tag
        if tag == "patcit":
            patcit = child
        elif tag == "category":
            category = child
        elif tag == "nplcit":
            nplcit = child
    cited_by = _own_text(category)
    if cited_by is not None:
        cited_by = cited_by.removeprefix("cited by ").replace(" ", "_")
    document = None if patcit is None else patcit.find("document-id")
    fields = {} if document is None else _texts(document)
    office, number = fields.get("country"), fields.get("doc-number")
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "category": "npl" if patcit is None else "patent",
        "cited_office": office,
        "cited_number": number,
        "cited_kind": fields.get("kind"),
        "cited_patent_id": _cited_patent_id(office, number),
        "cited_date": _loose_date(fields.get("date")),
        "cited_by": cited_by,
        "relevance": None,
        "npl_text": _all_text(nplcit) if document is None else None,
        "generated": False,
    }


def _v4_classifications(parts: dict[str, _Element], patent_id: str) -> list[Row]:
    return (
        _classification_rows(patent_id, "IPC", _ipcr_symbols(parts.get("classifications-ipcr")))
        + _classification_rows(patent_id, "IPC", _ipc7_symbols(parts.get("classification-ipc")))
        + _classification_rows(patent_id, "CPC", _cpc_symbols(parts.get("classifications-cpc")))
        + _classification_rows(
            patent_id, "LOCARNO", _locarno_symbols(parts.get("classification-locarno"))
        )
        + _classification_rows(
            patent_id, "USPC", _uspc_symbols(parts.get("classification-national"))
        )
    )


# --------------------------------------------------------------------------- classifications


def _ipcr_symbols(container: _Element | None) -> list[_Symbol]:
    return [
        _structured_symbol(entry, is_main=None, version_tag="ipc-version-indicator")
        for entry in _children_named(container, "classification-ipcr")
    ]


def _cpc_symbols(container: _Element | None) -> list[_Symbol]:
    if container is None:
        return []
    main = container.findall("main-cpc/classification-cpc")
    further = container.findall("further-cpc/classification-cpc")
    return [
        _structured_symbol(entry, is_main=position < len(main), version_tag="cpc-version-indicator")
        for position, entry in enumerate(main + further)
    ]


def _structured_symbol(entry: _Element, *, is_main: bool | None, version_tag: str) -> _Symbol:
    """An IPCR or CPC entry: section, class, subclass, main-group, subgroup elements."""
    fields = _texts(entry)
    subclass = "".join(fields.get(tag, "") for tag in ("section", "class", "subclass")).upper()
    symbol, main_group = _group_symbol(subclass, fields.get("main-group"), fields.get("subgroup"))
    return _Symbol(
        symbol=symbol,
        subclass=subclass,
        main_group=main_group,
        is_main=fields.get("symbol-position") == "F" if is_main is None else is_main,
        value=_CLASSIFICATION_VALUES.get(fields.get("classification-value", "")),
        version=_version(entry.findtext(f"{version_tag}/date")),
    )


def _ipc7_symbols(container: _Element | None) -> list[_Symbol]:
    if container is None:
        return []
    edition = container.findtext("edition")
    raws = _main_and_further(container)
    return [_ipc_string_symbol(raw, position == 0, edition) for position, raw in raws]


def _ipc_string_symbol(raw: str, is_main: bool, edition: str | None) -> _Symbol:
    subclass, group, subgroup = _split_ipc_string(raw)
    if subclass is None:
        return _Symbol(raw, None, None, is_main, None, _clean(edition))
    symbol, main_group = _group_symbol(subclass, group, subgroup)
    return _Symbol(symbol, subclass, main_group, is_main, None, _clean(edition))


def _split_ipc_string(raw: str) -> tuple[str | None, str | None, str | None]:
    """``"A45F  504"``, ``"H01L 31107"``, ``"G06F015/16"`` -> subclass, main group, subgroup."""
    subclass, rest = raw[:4].upper(), raw[4:]
    if not _IPC_SUBCLASS.fullmatch(subclass):
        return None, None, None
    group, _, subgroup = rest.partition("/") if "/" in rest else (rest[:3], "", rest[3:])
    group, subgroup = group.strip(), subgroup.strip()
    if not (group.isdigit() and (subgroup.isdigit() or not subgroup)):
        return None, None, None
    return subclass, group, subgroup


def _group_symbol(subclass: str, group: str | None, subgroup: str | None) -> tuple[str, str | None]:
    """The symbol ``"F24F 11/30"`` and its main group ``"F24F 11/00"``."""
    if not group:
        return subclass, None
    main = group.lstrip("0") or "0"
    sub = (subgroup or "").rstrip("0").ljust(2, "0")
    return f"{subclass} {main}/{sub}", f"{subclass} {main}/00"


def _locarno_symbols(container: _Element | None) -> list[_Symbol]:
    if container is None:
        return []
    edition = _clean(container.findtext("edition"))
    symbols = []
    for position, raw in _main_and_further(container):
        compact = raw.replace(" ", "").replace("-", "")
        symbol = f"{compact[:2]}-{compact[2:]}" if len(compact) == 4 and compact.isdigit() else raw
        symbols.append(_Symbol(symbol, symbol[:2], None, position == 0, None, edition))
    return symbols


def _uspc_symbols(container: _Element | None) -> list[_Symbol]:
    if container is None or (_clean(container.findtext("country")) or "US") != "US":
        return []
    symbols = []
    for position, raw in _main_and_further(container, strip=False):
        parsed = _uspc_symbol(raw)
        if parsed is not None:
            symbols.append(_Symbol(parsed[0], parsed[1], None, position == 0, None, None))
    return symbols


def _main_and_further(container: _Element, *, strip: bool = True) -> list[tuple[int, str]]:
    """(position, text) of ``main-classification`` (position 0) and each further one."""
    found = []
    for child in container:
        if child.tag == "main-classification":
            found.append((0, child.text))
        elif child.tag == "further-classification":
            found.append((len(found) + 1, child.text))
    return [
        (position, text.strip() if strip else text)
        for position, text in found
        if text is not None and text.strip()
    ]


def _uspc_symbol(raw: str) -> tuple[str, str] | None:
    """``"D14138 G"`` -> (``"D14/138G"``, ``"D14"``); ``"4555751"`` -> ``"455/575.1"``.

    The USPTO writes the class right-aligned in three characters, then the subclass in three,
    then any decimal (trailing zeros dropped), digest number (``"156DIG 14"`` ->
    ``"156/DIG.14"``) or letter extension.
    """
    uspc_class = raw[:3].replace(" ", "").lstrip("0")
    main = raw[3:6].strip().lstrip("0") or "0"
    extension = raw[6:].replace(" ", "")
    if not _USPC_CLASS.fullmatch(uspc_class) or not main.isalnum():
        return None
    if extension.isdigit():
        decimals = extension if main == "DIG" else extension.rstrip("0")
        extension = f".{decimals}" if decimals else ""
    return f"{uspc_class}/{main}{extension}", uspc_class


def _version(version_date: str | None) -> str | None:
    if version_date and len(version_date) >= 6 and version_date.isdigit():
        return f"{version_date[:4]}.{version_date[4:6]}"
    return _clean(version_date)


def _classification_rows(patent_id: str, scheme: str, symbols: Iterable[_Symbol]) -> list[Row]:
    return [
        {
            "patent_id": patent_id,
            "scheme": scheme,
            "sequence": sequence,
            "symbol": found.symbol,
            "subclass": found.subclass,
            "main_group": found.main_group,
            "is_main": found.is_main,
            "value": found.value,
            "version": found.version,
            "generated": False,
        }
        for sequence, found in enumerate(symbols)
    ]


# --------------------------------------------------------------------------- pap (2001-2004)


def _pap_rows(root: _Element) -> Document:
    biblio = root.find("subdoc-bibliographic-information")
    if biblio is None:
        raise _FieldError("subdoc-bibliographic-information", "missing bibliographic data")
    raw_number = _clean(biblio.findtext("document-id/doc-number"))
    if raw_number is None:
        raise _FieldError("document-id/doc-number", "missing publication number")
    patent_id = _us_patent_id(raw_number)
    kind = _clean(biblio.findtext("document-id/kind-code"))
    published = _required_date(
        biblio.findtext("document-id/document-date"), "document-id/document-date", patent_id
    )
    filed = _required_date(
        biblio.findtext("domestic-filing-data/filing-date"),
        "domestic-filing-data/filing-date",
        patent_id,
    )
    application_number = _clean(
        biblio.findtext("domestic-filing-data/application-number/doc-number")
    )
    application_id = f"US{application_number}" if application_number else None
    patent_type = "plant" if kind and kind.startswith("P") else "utility"
    claims = root.find("subdoc-claims")
    patent = _patent_row(
        patent_id=patent_id,
        kind=kind,
        doc_type="application",
        patent_type=patent_type,
        application_id=application_id,
        title=_all_text(biblio.find("technical-information/title-of-invention")),
        abstract=_abstract(root.find("subdoc-abstract"), "paragraph"),
        filing_date=filed,
        priority_date=_earliest(_pap_priority_dates(biblio)) or filed,
        publication_date=published,
        grant_date=None,
        claims_count=None if claims is None else len(claims.findall("claim")),
        independent_claims_count=None if claims is None else int(_COUNT_INDEPENDENT_PAP(claims)),
    )
    applications = []
    if application_id is not None:
        series = _clean(biblio.findtext("domestic-filing-data/application-number-series-code"))
        applications.append(
            _application_row(
                application_id, application_number, filed, patent_type, series, patent_id
            )
        )
    return {
        "patents": [patent],
        "applications": applications,
        "parties": _pap_parties(biblio, patent_id),
        "inventors": _pap_inventors(biblio, patent_id),
        "classifications": _pap_classifications(biblio.find("technical-information"), patent_id),
        "citations": [],
        "related_documents": _pap_related(biblio.find("continuity-data"), patent_id),
        "priority_claims": _pap_priority_claims(biblio, patent_id),
    }


def _pap_related(continuity: _Element | None, patent_id: str) -> list[Row]:
    """``<continuity-data>`` of 2001-2004 applications: ``parent-child`` relations under
    ``continuation-of``, ``division-of`` ...; provisionals as plain document ids."""
    if continuity is None:
        return []
    rows: list[Row] = []
    for element in continuity.iter():
        if element.tag == "parent-child":
            parent = _texts_of(element, "parent/document-id")
            patent = _texts_of(element, "parent-patent/document-id")
            child = _texts_of(element, "child/document-id")
            container = element.getparent()
            rows.append(
                _related_row(
                    patent_id,
                    _PAP_RELATIONS.get(container.tag, "other"),
                    related=(parent.get("country-code"), parent.get("doc-number")),
                    related_date=_loose_date(parent.get("document-date")),
                    parent_status=_parent_status(element.findtext("parent-status"), patent),
                    parent_patent=(patent.get("country-code"), patent.get("doc-number")),
                    child=(child.get("country-code"), child.get("doc-number")),
                    child_date=_loose_date(child.get("document-date")),
                )
            )
        elif element.tag == "non-provisional-of-provisional":
            for document in element.iterfind("document-id"):
                fields = _texts(document)
                rows.append(
                    _related_row(
                        patent_id,
                        "provisional",
                        related=(fields.get("country-code"), fields.get("doc-number")),
                        related_date=_loose_date(fields.get("document-date")),
                    )
                )
    for sequence, row in enumerate(rows):
        row["sequence"] = sequence
    return rows


def _pap_priority_claims(biblio: _Element, patent_id: str) -> list[Row]:
    rows: list[Row] = []
    for claim in biblio.iterfind("foreign-priority-data"):
        rows.append(
            _priority_row(
                patent_id,
                len(rows),
                country=_clean(claim.findtext("country-code")),
                number=_clean(claim.findtext("priority-application-number/doc-number")),
                claimed=_loose_date(claim.findtext("filing-date")),
                kind="national",
            )
        )
    return rows


def _pap_priority_dates(biblio: _Element) -> Iterator[date | None]:
    for value in biblio.iterfind("foreign-priority-data/filing-date"):
        yield _loose_date(value.text)
    for value in biblio.iterfind(
        "continuity-data/non-provisional-of-provisional/document-id/document-date"
    ):
        yield _loose_date(value.text)


def _pap_inventors(biblio: _Element, patent_id: str) -> list[Row]:
    inventors = biblio.findall("inventors/first-named-inventor")
    inventors += biblio.findall("inventors/inventor")
    return [
        _inventor_row(patent_id, sequence, _pap_party(inventor))
        for sequence, inventor in enumerate(inventors)
    ]


def _pap_parties(biblio: _Element, patent_id: str) -> list[Row]:
    return [
        _party_row(patent_id, sequence, "assignee", _pap_party(assignee))
        for sequence, assignee in enumerate(biblio.iterfind("assignee"))
    ]


def _pap_party(element: _Element) -> _Party:
    name = element.find("name")
    names = _texts(element if name is None else name)
    return _Party(
        orgname=_clean(element.findtext("organization-name")),
        first_name=_join_words(names.get("given-name"), names.get("middle-name")),
        last_name=names.get("family-name"),
        suffix=names.get("name-suffix"),
        place=_pap_place(element.find("residence")),
        role_code=_clean(element.findtext("assignee-type")),
    )


def _pap_place(residence: _Element | None) -> _Place:
    if residence is None:
        return _NOWHERE
    in_us = residence.find("residence-us")
    where = in_us if in_us is not None else residence.find("residence-non-us")
    if where is None:
        return _NOWHERE
    fields = _texts(where)
    country = _iso2(fields.get("country-code"))
    return _Place(
        city=fields.get("city"),
        state=fields.get("state"),
        country=country or ("US" if in_us is not None else None),
        address=None,
    )


def _pap_classifications(technical: _Element | None, patent_id: str) -> list[Row]:
    if technical is None:
        return []
    edition = technical.findtext("classification-ipc/classification-ipc-edition")
    ipc = [
        _ipc_string_symbol(raw, position == 0, edition)
        for position, raw in enumerate(
            _texts_at(
                technical,
                "classification-ipc/classification-ipc-primary/ipc",
                "classification-ipc/classification-ipc-secondary/ipc",
            )
        )
    ]
    uspc = []
    for position, entry in enumerate(
        technical.findall("classification-us/classification-us-primary/uspc")
        + technical.findall("classification-us/classification-us-secondary/uspc")
    ):
        fields = _texts(entry)
        parsed = _pap_uspc_symbol(fields.get("class"), fields.get("subclass"))
        if parsed is not None:
            uspc.append(_Symbol(parsed[0], parsed[1], None, position == 0, None, None))
    return _classification_rows(patent_id, "IPC", ipc) + _classification_rows(
        patent_id, "USPC", uspc
    )


def _pap_uspc_symbol(uspc_class: str | None, subclass: str | None) -> tuple[str, str] | None:
    """Class ``"002"`` and subclass ``"069000"`` (3 digits + 3 decimals) -> ``"2/69"``."""
    if not uspc_class or not subclass:
        return None
    cls = uspc_class.lstrip("0")
    main = subclass[:3].lstrip("0") or "0"
    decimals = subclass[3:].rstrip("0")
    extension = f".{decimals}" if decimals.isdigit() else decimals
    return f"{cls}/{main}{extension}", cls


# --------------------------------------------------------------------------- texts


def _add_texts(
    document: Document, root: _Element, data: bytes, description: tuple[int, int] | None
) -> None:
    """Claim texts and the government-interest statement of a parsed document."""
    patent_id = document["patents"][0]["patent_id"]
    if root.tag == _PAP_ROOT:
        claims = root.find("subdoc-claims")
        document["claim_texts"] = _claim_rows(
            claims, patent_id, "dependent-claim-reference", "depends_on"
        )
        statement = root.find("subdoc-description/federal-research-statement")
        document["government_interest"] = _government_rows(
            statement, patent_id, "paragraph-federal-research-statement"
        )
        return
    document["claim_texts"] = _claim_rows(root.find("claims"), patent_id, "claim-ref", "idref")
    document["government_interest"] = _government_rows(
        _v4_government_fragment(data, description, patent_id), patent_id, "p"
    )


def _claim_rows(claims: _Element | None, patent_id: str, ref_tag: str, ref_attr: str) -> list[Row]:
    """One row per ``claim``; see the module notes for numbers and references."""
    if claims is None:
        return []
    numbers: dict[str, int] = {}  # claim id -> claim number
    rows: list[Row] = []
    references: list[list[str | None]] = []
    seen: set[int] = set()
    for position, claim in enumerate(claims.iterchildren("claim"), start=1):
        printed = claim.get("num")
        if printed is not None and printed.isdigit():
            number = int(printed)
        else:
            number = _claim_number(claim, position, patent_id)
        if number in seen:
            raise _FieldError(
                f"claims/claim[{position}]/@num", f"claim number {number} printed twice", patent_id
            )
        seen.add(number)
        claim_id = claim.get("id")
        if claim_id:
            numbers[claim_id] = number
        references.append([element.get(ref_attr) for element in claim.iter(ref_tag)])
        rows.append(
            {
                "patent_id": patent_id,
                "claim_number": number,
                "text": _flat_text(claim),
                "depends_on": None,
                "independent": False,
                "generated": False,
            }
        )
    for position, (row, refs) in enumerate(zip(rows, references, strict=True), start=1):
        depends_on: list[int] = []
        for ref in refs:
            # IDREFS: one reference may name several claims ("claim 1 or 2")
            ids: list[str | None] = [*ref.split()] if ref and ref.strip() else [ref]
            for claim_id in ids:
                target = numbers.get(claim_id) if claim_id else None
                if target is None:
                    target = _referenced_number(claim_id, position, ref_tag, ref_attr, patent_id)
                if target not in depends_on:
                    depends_on.append(target)
        row["depends_on"] = depends_on
        row["independent"] = not refs
    return rows


def _claim_number(claim: _Element, position: int, patent_id: str) -> int:
    printed = _clean(claim.get("num"))
    if printed is not None:
        if printed.isdigit():
            return int(printed)
        raise _FieldError(
            f"claims/claim[{position}]/@num",
            f"claim number {printed!r} is not a whole number",
            patent_id,
        )
    match = _CLAIM_ID_NUMBER.fullmatch((claim.get("id") or "").strip())
    if match is None:
        raise _FieldError(
            f"claims/claim[{position}]/@id",
            f"claim without a number (no num attribute, id {claim.get('id')!r})",
            patent_id,
        )
    return int(match.group(1))


def _referenced_number(
    ref: str | None, position: int, ref_tag: str, ref_attr: str, patent_id: str
) -> int:
    match = _CLAIM_ID_NUMBER.fullmatch((ref or "").strip())
    if match is None:
        raise _FieldError(
            f"claims/claim[{position}]/{ref_tag}/@{ref_attr}",
            f"reference {ref!r} names no claim",
            patent_id,
        )
    return int(match.group(1))


def _v4_government_fragment(
    data: bytes, description: tuple[int, int] | None, patent_id: str
) -> _Element | None:
    """The marked government-interest part of the description, parsed alone.

    Found in the bytes between the ``end="lead"`` and ``end="tail"`` processing
    instructions, so that the description itself is never parsed. Several marked parts
    are read as one statement.
    """
    parts: list[bytes] = []
    first, last = description or (0, len(data))
    for mark in _GOVERNMENT_MARKS:
        field = f"description/{mark[2:].decode()}"
        start = data.find(mark, first, last)
        while start >= 0:
            lead_end = data.find(_PI_END, start, last)
            if lead_end < 0 or _LEAD not in data[start:lead_end]:
                raise _FieldError(field, "government-interest mark without its lead", patent_id)
            tail = data.find(mark, lead_end, last)
            tail_end = data.find(_PI_END, tail, last) if tail >= 0 else -1
            if tail_end < 0 or _TAIL not in data[tail:tail_end]:
                raise _FieldError(
                    field,
                    "government-interest statement without its closing (tail) instruction",
                    patent_id,
                )
            parts.append(data[lead_end + len(_PI_END) : tail])
            start = data.find(mark, tail_end, last)
    if not parts:
        return None
    try:
        return etree.fromstring(_FRAGMENT_OPEN + b"".join(parts) + _FRAGMENT_CLOSE, _PARSER)
    except etree.XMLSyntaxError as error:
        raise _FieldError(
            "description/GOVINT", f"government-interest statement is not XML: {error}", patent_id
        ) from None


def _government_rows(statement: _Element | None, patent_id: str, paragraph_tag: str) -> list[Row]:
    if statement is None:
        return []
    headings = [_all_text(heading) for heading in statement.iter("heading")]
    paragraphs = [_all_text(paragraph) for paragraph in statement.iter(paragraph_tag)]
    text = "\n".join(found for found in paragraphs if found)
    if not text:
        text = _all_text(statement) or ""
    if not text:
        return []
    return [
        {
            "patent_id": patent_id,
            "text": text,
            "heading": "\n".join(found for found in headings if found) or None,
            "generated": False,
        }
    ]


# --------------------------------------------------------------------------- rows


def _patent_row(
    *,
    patent_id: str,
    kind: str | None,
    doc_type: str,
    patent_type: str | None,
    application_id: str | None,
    title: str | None,
    abstract: str | None,
    filing_date: date | None,
    priority_date: date | None,
    publication_date: date | None,
    grant_date: date | None,
    claims_count: int | None,
    independent_claims_count: int | None,
    figures_count: int | None = None,
    drawing_sheets: int | None = None,
) -> Row:
    return {
        "patent_id": patent_id,
        "office": "US",
        "number": patent_id[2:],
        "kind": kind,
        "doc_type": doc_type,
        "patent_type": patent_type,
        "application_id": application_id,
        "title": title,
        "abstract": abstract,
        "filing_date": filing_date,
        "priority_date": priority_date,
        "publication_date": publication_date,
        "grant_date": grant_date,
        "claims_count": claims_count,
        "independent_claims_count": independent_claims_count,
        "family_id": None,
        "family_size": None,
        "reported_citations": None,
        "legal_status": None,
        "generated": False,
        "source": SOURCE,
        "figures_count": figures_count,
        "drawing_sheets": drawing_sheets,
    }


def _application_row(
    application_id: str,
    number: str | None,
    filing_date: date | None,
    application_type: str | None,
    series_code: str | None,
    patent_id: str,
) -> Row:
    return {
        "application_id": application_id,
        "office": "US",
        "number": number,
        "filing_date": filing_date,
        "application_type": application_type,
        "series_code": series_code,
        "patent_id": patent_id,
        "generated": False,
    }


def _person_name(party: _Party) -> str | None:
    name = _join_words(party.first_name, party.last_name)
    if name and party.suffix:
        return f"{name}, {party.suffix}"
    return name


def _inventor_row(patent_id: str, sequence: int, party: _Party) -> Row:
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "name": _person_name(party) or party.orgname,
        "first_name": party.first_name,
        "last_name": party.last_name,
        "city": party.place.city,
        "state": party.place.state,
        "country": party.place.country,
        "latitude": None,
        "longitude": None,
        "geo_source": None,
        "generated": False,
    }


def _party_row(patent_id: str, sequence: int, role: str, party: _Party) -> Row:
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "role": role,
        "name": party.orgname or _person_name(party),
        "name_normalized": None,
        "entity_id": None,
        "party_type": "organization" if party.orgname else "individual",
        "address": party.place.address,
        "city": party.place.city,
        "state": party.place.state,
        "country": party.place.country,
        "latitude": None,
        "longitude": None,
        "geo_source": None,
        "role_code": party.role_code,
        "generated": False,
    }


def _related_row(
    patent_id: str,
    relation: str,
    *,
    related: tuple[str | None, str | None],
    related_date: date | None,
    parent_status: str | None = None,
    parent_patent: tuple[str | None, str | None] = (None, None),
    parent_grant_date: date | None = None,
    child: tuple[str | None, str | None] = (None, None),
    child_date: date | None = None,
    parent_pct: tuple[str | None, date | None] = (None, None),
) -> Row:
    return {
        "patent_id": patent_id,
        "sequence": 0,
        "relation": relation,
        "related_office": _office(related[0], related[1]),
        "related_number": related[1],
        "related_date": related_date,
        "parent_status": parent_status,
        "parent_patent_office": _office(parent_patent[0], parent_patent[1]),
        "parent_patent_number": parent_patent[1],
        "parent_grant_date": parent_grant_date,
        "child_office": _office(child[0], child[1]),
        "child_number": child[1],
        "child_date": child_date,
        "generated": False,
        "parent_pct_number": parent_pct[0],
        "parent_pct_date": parent_pct[1],
    }


def _priority_row(
    patent_id: str,
    sequence: int,
    *,
    country: str | None,
    number: str | None,
    claimed: date | None,
    kind: str | None,
) -> Row:
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "country": country.upper() if country else None,
        "number": number,
        "date": claimed,
        "kind": kind,
        "generated": False,
    }


# --------------------------------------------------------------------------- values


def _us_patent_id(raw_number: str) -> str:
    """``"D0512345"`` -> ``"USD512345"``; ``"2003/0123456"`` -> ``"US20030123456"``."""
    if raw_number.isdigit():
        return "US" + (raw_number.lstrip("0") or "0")
    compact = _NUMBER_SEPARATORS.sub("", raw_number).upper()
    digits_at = len(compact) - len(compact.lstrip(_LETTERS))
    return "US" + compact[:digits_at] + (compact[digits_at:].lstrip("0") or "0")


def _cited_patent_id(office: str | None, number: str | None) -> str | None:
    if not office or not number:
        return None
    office = office.upper()
    if office == "US":
        return _us_patent_id(number)
    compact = _NUMBER_SEPARATORS.sub("", number).upper().removeprefix(office)
    return office + (compact.lstrip("0") or "0")


def _required_date(value: str | None, field: str, record: str) -> date | None:
    """A publication or filing date: absent is null, impossible rejects the document."""
    value = _clean(value)
    if value is None:
        return None
    parsed = _exact_date(value)
    if parsed is None:
        raise _FieldError(field, f"impossible date {value!r}", record)
    return parsed


def _exact_date(value: str) -> date | None:
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


@lru_cache(maxsize=1 << 16)  # cited documents' dates repeat; a date is immutable
def _loose_date(value: str | None) -> date | None:
    """A cited or priority document's date; ``00`` month or day means the first one."""
    if not value:
        return None
    value = value.strip()
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]) or 1, int(value[6:]) or 1)
    except ValueError:
        return None


def _count(value: str | None) -> int | None:
    """A printed whole number (days, figures, years); anything else is null."""
    value = _clean(value)
    return int(value) if value is not None and value.isdigit() else None


def _office(country: str | None, number: str | None) -> str | None:
    """The office of a related document: as printed, else US when a number is given."""
    if country and len(country.strip()) == 2:
        return country.strip().upper()
    return "US" if number else None


def _earliest(dates: Iterator[date | None]) -> date | None:
    return min((found for found in dates if found is not None), default=None)


def _iso2(value: str | None) -> str | None:
    if value and len(value) == 2 and value.isalpha():
        return value.upper()
    return None


# --------------------------------------------------------------------------- XML access


def _children(element: _Element) -> dict[str, _Element]:
    """Child elements by tag (for children that occur once)."""
    return {child.tag: child for child in element}


def _children_named(element: _Element | None, *tags: str) -> list[_Element]:
    return [] if element is None else [child for child in element if child.tag in tags]


def _first_present(parts: dict[str, _Element], *tags: str) -> _Element | None:
    for tag in tags:
        found = parts.get(tag)
        if found is not None:
            return found
    return None


def _document_id(reference: _Element | None) -> dict[str, str]:
    document = None if reference is None else reference.find("document-id")
    return {} if document is None else _texts(document)


def _texts(element: _Element) -> dict[str, str]:
    """Stripped, non-empty own text of each child element, by tag."""
    return {child.tag: text for child in element if (text := (child.text or "").strip())}


def _texts_of(element: _Element | None, path: str) -> dict[str, str]:
    """``_texts`` of the element at ``path`` below ``element``; empty when either is absent."""
    found = None if element is None else element.find(path)
    return {} if found is None else _texts(found)


def _texts_at(element: _Element, *paths: str) -> list[str]:
    found = (_clean(match.text) for path in paths for match in element.iterfind(path))
    return [text for text in found if text]


def _own_text(element: _Element | None) -> str | None:
    return None if element is None else _clean(element.text)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _all_text(element: _Element | None) -> str | None:
    """All text inside ``element`` (markup such as ``<i>`` dropped), whitespace collapsed."""
    if element is None:
        return None
    return " ".join("".join(element.itertext()).split()) or None


def _flat_text(element: _Element) -> str:
    """``_all_text`` of an element, serialised by lxml (the same words, faster)."""
    text: str = etree.tostring(element, method="text", encoding="unicode", with_tail=False)
    return " ".join(text.split())


def _abstract(element: _Element | None, paragraph_tag: str) -> str | None:
    if element is None:
        return None
    paragraphs = [_all_text(paragraph) for paragraph in element.iter(paragraph_tag)]
    text = "\n".join(paragraph for paragraph in paragraphs if paragraph)
    return text or _all_text(element)


def _join_words(*words: str | None) -> str | None:
    return " ".join(word for word in words if word) or None
