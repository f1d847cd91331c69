"""The pool facade (``ipops.open(home).pool``) on a small workspace: each method runs one
use case in its own transaction and returns frozen records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from poolbuild import ACTOR, POOL, build_pool
from pydantic import ValidationError as PydanticValidationError
from typer.testing import CliRunner

import ipops
from ipops.cli.app import app
from ipops.errors import NotFound
from ipops.pool import membership, payments, royalty_reports


def test_the_pool_facade_on_a_small_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "ws"
    monkeypatch.setenv("IPOPS_HOME", str(home))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    assert CliRunner().invoke(app, ["init"]).exit_code == 0
    platform = ipops.open(home)
    with platform.session() as session:
        pool = build_pool(session)
        accepted = royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name="Acme Cooling",
            period="2025-03",
            rows=[{"category": "split-ac", "made_in": "TH", "sold_in": "US", "units": 1000}],
            issued_on=date(2025, 4, 10),
        )
        payments.record_payment(
            db_session=session,
            actor=ACTOR,
            invoice=accepted.invoice,
            amount="1000.00",
            paid_on=date(2025, 4, 20),
        )
    facade = platform.pool

    [summary] = facade.pools()
    assert (summary.name, summary.administrator) == (POOL, "联盟")
    with pytest.raises(PydanticValidationError):  # frozen records
        summary.name = "x"  # type: ignore[misc]

    listing = facade.show(name=POOL, on=date(2025, 6, 1))
    assert len(listing.members) == 3 and listing.countries == ["CN", "US"]
    assert {p.number for p in listing.patents if p.in_force} == {
        "CN101",
        "CN102",
        "US201",
        "CN103",
        "US202",
    }

    stats = facade.stats(name=POOL, on=date(2025, 6, 1))
    assert stats.members == 3 and stats.as_of == date(2025, 6, 1)

    [invoice] = facade.invoices(name=POOL)
    assert (invoice.licensee, invoice.amount, invoice.paid) == (
        "Acme Cooling",
        "3000.00",
        "1000.00",
    )
    assert invoice.outstanding == "2000.00" and invoice.allocation is None

    # what-if: US201 (member 格力) and US202 (海尔) share a US sale; expiring US202 leaves one
    both = facade.allocate(name=POOL, amount="100.00", country="US", on=date(2025, 6, 1))
    assert both.as_dict()["admin_fee"] == "10.00"
    assert sorted(s.member for s in both.shares) == ["格力", "海尔"]
    one = facade.allocate(
        name=POOL, amount="100.00", country="US", on=date(2025, 6, 1), expire=["US202"]
    )
    assert [(s.member, s.patents) for s in one.shares] == [("格力", ("US201",))]

    with pytest.raises(NotFound):
        facade.show(name="no such pool")
    with platform.session() as session:  # the facade's reads changed nothing
        assert membership.get_pool(db_session=session, name=POOL).name == POOL
