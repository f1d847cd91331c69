"""The word tables of name normalisation and ``Forms``, which strips them from one end.

Legal forms by language, the bodies that hold a university's patents, the titles before a
government agency, common abbreviations and US state abbreviations (USPS codes and the
traditional GPO forms such as "Calif." and "Penna."), used by ``ipops.names.normalize``
and ``ipops.names.government``.
"""

from __future__ import annotations

from collections.abc import Iterable

LEGAL_FORMS: tuple[str, ...] = (
    # English and common-law, with the state of incorporation that US names add
    "incorporated", "inc", "corporation", "corp", "company", "co", "cos", "companies",
    "limited", "ltd", "coltd", "llc", "l l c", "llp", "lp", "plc", "pty", "pte", "pvt",
    "private", "public limited company", "limited liability company", "and co",
    "and company", "and cie", "corp del", "corporation del", "inc del", "of delaware",
    "a delaware corporation", "a corporation of delaware",
    # German, Austrian, Swiss
    "gmbh", "mbh", "ges mbh", "gesellschaft mit beschrankter haftung", "ag", "kg", "kgaa",
    "ohg", "aktiengesellschaft", "ev", "und co", "se",
    # French, Belgian, Spanish, Portuguese, Italian, Latin American
    "sa", "sas", "sarl", "snc", "sca", "societe anonyme", "et cie", "cie", "sl", "srl",
    "spa", "sapa", "societa per azioni", "sociedad anonima", "sa de cv", "de cv", "s de rl",
    "ltda",
    # Dutch, Nordic, Finnish
    "bv", "nv", "vof", "ab", "publ", "oy", "oyj", "as", "asa", "aps", "a s", "hf",
    # Japanese and Korean in Latin letters
    "kk", "k k", "kabushiki kaisha", "kabushikikaisha", "yugen kaisha", "godo kaisha",
)  # fmt: skip

LEADING_LEGAL_FORMS: tuple[str, ...] = (
    "kabushiki kaisha", "kabushikikaisha", "kk",
    # "Société anonyme dite X": a company "called" X
    "societe anonyme dite", "sa dite", "societe dite",
)  # fmt: skip

CJK_LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司", "集团公司",
    "集團公司", "总公司", "總公司", "公司", "集团", "集團",
    "株式会社", "株式會社", "有限会社", "合同会社", "주식회사", "유한회사",
)  # fmt: skip

CJK_LEADING_LEGAL_FORMS: tuple[str, ...] = ("株式会社", "株式會社", "有限会社", "주식회사")

HOLDER_FORMS: tuple[str, ...] = (
    "regents of", "regents", "regent of", "board of regents of", "board of regents",
    "trustees of", "trustees", "board of trustees of", "board of trustees",
    "board of trustees operating", "president and fellows of", "board of governors of",
    "board of supervisors of", "university court of",
)  # fmt: skip

AGENCY_TITLES: tuple[str, ...] = (
    "director general of", "director general", "general director of", "general director",
    "commissioner of", "secretary of", "secretary", "administrator of", "administrator",
    "director of", "director", "chief of", "department of", "dept of", "minister of", "ministry of",
    "united states", "us",
)  # fmt: skip

AGENCY_TITLE_WORDS: tuple[str, ...] = ("secretary", "administrator", "director", "department")

US_SOVEREIGN_FORMS: tuple[str, ...] = (
    "united states of america", "united states", "government of united states of america",
)  # fmt: skip

SINGLE_WORD_LEGAL_FORMS = frozenset(form for form in LEGAL_FORMS if " " not in form)

LONG_LEGAL_FORMS = frozenset(
    {"corporation", "company", "incorporated", "limited", "aktiengesellschaft"}
)
LEADING_HOLDER_WORDS = ("regents", "trustees")

ARTICLES = frozenset({"the"})

ABBREVIATIONS: dict[str, str] = {
    "univ": "university",
    "intl": "international",
    "mfg": "manufacturing",
    "labs": "laboratories",
    "lab": "laboratory",
    "tech": "technology",
    "technol": "technology",
    "natl": "national",
    "assn": "association",
    "assoc": "association",
    "dept": "department",
    "inst": "institute",
    "res": "research",
    "sys": "systems",
    "elec": "electric",
    "inds": "industries",
    "bros": "brothers",
    "jr": "junior",
    "fdn": "foundation",
    "ctr": "center",
    "centre": "center",
    "chem": "chemical",
    "pharm": "pharmaceutical",
    "svcs": "services",
    "div": "division",
    "divn": "division",
}

# inside a name only: at its end "cie" is a legal form ("Dupont et Cie")
INNER_ABBREVIATIONS: dict[str, str] = {"cie": "compagnie"}

# the legal office of a government agency is the agency ("... NASA Office of General Counsel")
AGENCY_OFFICES: tuple[tuple[str, ...], ...] = (
    ("office", "of", "general", "counsel"),
    ("office", "of", "patent", "counsel"),
    ("patent", "counsel"),
)

# "University of Calif.", "State University of N.Y.": a US state after "of", as USPS codes
# and the traditional (GPO) abbreviations; codes that are also words (in, or, me, de, la,
# co, as, oh, ok, hi, id, al) are left alone
US_STATES: dict[str, str] = {
    "ak": "alaska", "ala": "alabama", "ariz": "arizona", "az": "arizona", "ar": "arkansas",
    "ark": "arkansas", "ca": "california", "cal": "california", "calif": "california",
    "colo": "colorado", "ct": "connecticut", "conn": "connecticut", "del": "delaware",
    "fl": "florida", "fla": "florida", "ga": "georgia", "ia": "iowa", "il": "illinois",
    "ill": "illinois", "ks": "kansas", "kan": "kansas", "kans": "kansas",
    "ky": "kentucky", "md": "maryland", "ma": "massachusetts", "mass": "massachusetts",
    "mi": "michigan", "mich": "michigan", "mn": "minnesota", "minn": "minnesota",
    "ms": "mississippi", "miss": "mississippi", "mo": "missouri", "mt": "montana",
    "mont": "montana", "ne": "nebraska", "neb": "nebraska", "nebr": "nebraska",
    "nv": "nevada", "nev": "nevada", "nh": "new hampshire", "nj": "new jersey",
    "nm": "new mexico", "ny": "new york", "nc": "north carolina", "nd": "north dakota",
    "okla": "oklahoma", "oreg": "oregon", "pa": "pennsylvania",
    "penn": "pennsylvania", "penna": "pennsylvania", "ri": "rhode island",
    "sc": "south carolina", "sd": "south dakota", "tn": "tennessee", "tenn": "tennessee",
    "tx": "texas", "tex": "texas", "ut": "utah", "vt": "vermont", "va": "virginia",
    "wa": "washington", "wash": "washington", "wv": "west virginia", "wva": "west virginia",
    "wi": "wisconsin", "wis": "wisconsin", "wisc": "wisconsin", "wy": "wyoming",
    "wyo": "wyoming",
}  # fmt: skip


class Forms:
    """Word sequences to strip from one end of a name, longest first, never its last word."""

    def __init__(self, forms: Iterable[str], *, at_end: bool, cjk: Iterable[str] = ()) -> None:
        self.at_end = at_end
        self.cjk = tuple(cjk)
        self.by_edge_word: dict[str, list[tuple[str, ...]]] = {}
        for form in forms:
            words = tuple(form.split())
            self.by_edge_word.setdefault(words[-1 if at_end else 0], []).append(words)
        for candidates in self.by_edge_word.values():
            candidates.sort(key=len, reverse=True)

    def strip(self, words: list[str]) -> list[str]:
        """``words`` without one form at this end, if one is there."""
        edge = words[-1] if self.at_end else words[0]
        for form in self.by_edge_word.get(edge, ()):
            size = len(form)
            if len(words) > size:
                if self.at_end and tuple(words[-size:]) == form:
                    return words[:-size]
                if not self.at_end and tuple(words[:size]) == form:
                    return words[size:]
        return self._strip_cjk(words, edge)

    def _strip_cjk(self, words: list[str], edge: str) -> list[str]:
        for form in self.cjk:
            if len(edge) > len(form):
                if self.at_end and edge.endswith(form):
                    return [*words[:-1], edge[: -len(form)]]
                if not self.at_end and edge.startswith(form):
                    return [edge[len(form) :], *words[1:]]
        return words


TRAILING_LEGAL = Forms(LEGAL_FORMS, at_end=True, cjk=CJK_LEGAL_FORMS)
LEADING_LEGAL = Forms(LEADING_LEGAL_FORMS, at_end=False, cjk=CJK_LEADING_LEGAL_FORMS)
TRAILING_HOLDERS = Forms(HOLDER_FORMS, at_end=True)
LEADING_HOLDERS = Forms(HOLDER_FORMS, at_end=False)
LEADING_AGENCY_TITLES = Forms(AGENCY_TITLES, at_end=False)
