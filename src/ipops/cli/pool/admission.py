"""`ipops pool submit|assign|review|decide|event`: patent admission."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context
from ipops.cli.pool.common import (
    PoolArg,
    app,
    date_arg,
    emit,
    optional_date,
)
from ipops.pool import (
    membership,
    submissions,
)
from ipops.registry.db import session_scope

# --------------------------------------------------------------------------- admission


@app.command()
def submit(
    pool: PoolArg,
    number: Annotated[
        str, typer.Argument(help="Patent number (from the corpus unless --country).")
    ],
    member: Annotated[str, typer.Option(help="The submitting member.")],
    country: Annotated[str | None, typer.Option(help="Register by number: ISO country.")] = None,
    title: Annotated[str, typer.Option()] = "",
    filed: Annotated[str | None, typer.Option()] = None,
    granted: Annotated[str | None, typer.Option()] = None,
    expires: Annotated[str | None, typer.Option()] = None,
    family: Annotated[str | None, typer.Option()] = None,
    ipc: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
) -> None:
    """Submit a patent for admission (from the corpus, or registered by its facts)."""
    ctx = app_context()
    if country is None:
        with ctx.store.connect() as con:
            facts = submissions.patent_from_corpus(con, number)
    else:
        facts = submissions.PatentInput(
            number=number,
            country=country,
            title=title,
            filing_date=optional_date(filed, "filed"),
            grant_date=optional_date(granted, "granted"),
            expires_on=optional_date(expires, "expires"),
            family=family,
            ipc=ipc,
        )
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        patent = submissions.submit_patent(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            member=membership.get_member(db_session=session, pool=found, name=member),
            patent=facts,
            from_corpus=country is None,
        )
        payload = {
            "number": patent.number,
            "status": patent.status,
            "expires_on": patent.expires_on,
        }
    emit(
        payload,
        as_json,
        f"[green]submitted[/] {payload['number']} (expires {payload['expires_on']})",
    )


@app.command()
def assign(
    pool: PoolArg,
    patent: Annotated[str, typer.Argument()],
    expert: Annotated[str, typer.Argument()],
    as_json: JsonOption = False,
) -> None:
    """Assign a submitted patent to an expert (never one recommended by its member)."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        submissions.assign_expert(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            patent=submissions.get_patent(db_session=session, pool=found, number=patent),
            expert=membership.get_expert(db_session=session, pool=found, name=expert),
        )
    emit({"patent": patent, "expert": expert}, as_json, f"[green]assigned[/] {patent} to {expert}")


@app.command()
def review(
    pool: PoolArg,
    patent: Annotated[str, typer.Argument()],
    expert: Annotated[str, typer.Argument()],
    opinion: Annotated[str, typer.Option(help="essential or not_essential.")],
    note: Annotated[str | None, typer.Option(help="Reasons (claim chart text).")] = None,
    note_file: Annotated[Path | None, typer.Option(help="Claim chart as a text file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record an expert's reasoned opinion."""
    text = note_file.read_text("utf-8") if note_file else (note or "")
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        submissions.record_opinion(
            db_session=session,
            actor=Actor.cli(),
            patent=submissions.get_patent(db_session=session, pool=found, number=patent),
            expert=membership.get_expert(db_session=session, pool=found, name=expert),
            opinion=opinion,
            note=text,
        )
    emit(
        {"patent": patent, "expert": expert, "opinion": opinion},
        as_json,
        f"[green]recorded[/] {opinion}",
    )


@app.command()
def decide(
    pool: PoolArg, patent: Annotated[str, typer.Argument()], as_json: JsonOption = False
) -> None:
    """The committee's decision on a patent, by the pool's majority rule."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        decision = submissions.decide_patent(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            patent=submissions.get_patent(db_session=session, pool=found, number=patent),
        )
        payload = {
            "patent": patent,
            "admitted": decision.admitted,
            "votes": decision.votes,
            "reason": decision.reason,
        }
    emit(
        payload,
        as_json,
        ("[green]admitted[/]: " if payload["admitted"] else "[red]rejected[/]: ")
        + str(payload["reason"]),
    )


@app.command()
def event(
    pool: PoolArg,
    patent: Annotated[str, typer.Argument()],
    kind: Annotated[str, typer.Option(help="expired, lapsed, invalidated or withdrawn.")],
    on: Annotated[str, typer.Option(help="Date from which it no longer counts.")],
    note: Annotated[str, typer.Option()] = "",
    as_json: JsonOption = False,
) -> None:
    """Record that a patent expired, lapsed or was invalidated: it leaves the count."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        submissions.record_patent_event(
            db_session=session,
            actor=Actor.cli(),
            patent=submissions.get_patent(db_session=session, pool=found, number=patent),
            kind=kind,
            on=date_arg(on, "on"),
            note=note,
        )
    emit(
        {"patent": patent, "kind": kind, "on": on}, as_json, f"[green]recorded[/] {kind} from {on}"
    )
