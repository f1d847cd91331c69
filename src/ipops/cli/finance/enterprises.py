"""`ipops finance enterprise ...`, `rate`, `rating`, `pd-fit`: enterprises, their patents
and ratings."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.cli.finance.common import (
    app,
    enterprise_app,
    out,
    parse_day,
)
from ipops.finance import (
    enterprise_book,
    rating_book,
)
from ipops.finance.enterprise_book import EnterpriseRecord
from ipops.finance.enterprises import (
    BUREAU_LABELS,
    FINANCIAL_FIELDS,
    NO_FLAGS,
    BureauFlag,
    fields_to_change,
    parse_financials,
)
from ipops.registry.db import session_scope
from ipops.valuation.indicators import default_as_of

# --------------------------------------------------------------------------- enterprises

RdSpendOption = Annotated[
    str | None, typer.Option("--rd-spend", help="R&D spend of the last year, CNY.")
]
BureauFlagsOption = Annotated[
    str | None,
    typer.Option(
        "--bureau-flags",
        help="Credit-bureau flags, comma-separated codes or labels: "
        + ", ".join(f"{f.value} ({BUREAU_LABELS[f]})" for f in BureauFlag)
        + f"; {NO_FLAGS} for a report without adverse records.",
    ),
]
BureauCheckedOption = Annotated[
    str | None,
    typer.Option("--bureau-checked-on", help="Day the bureau was checked (default: today)."),
]


def _checked_on(text: str | None) -> date | None:
    return None if text is None else parse_day(text, "bureau-checked-on")


@enterprise_app.command("set")
def enterprise_set(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    total_assets: Annotated[str | None, typer.Option(help="CNY, last year end.")] = None,
    equity: Annotated[str | None, typer.Option(help="CNY, last year end.")] = None,
    revenue: Annotated[str | None, typer.Option(help="CNY, last year.")] = None,
    rd_spend: RdSpendOption = None,
    bureau_flags: BureauFlagsOption = None,
    bureau_checked_on: BureauCheckedOption = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(help=f"Make a figure absent again: {', '.join(FINANCIAL_FIELDS)}."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Set an enterprise's financial inputs (the others are kept); used at the next
    `ipops finance rate`."""
    ctx = app_context()
    figures = parse_financials(total_assets, equity, revenue, rd_spend, bureau_flags)
    fields = fields_to_change(
        {
            "total_assets": total_assets,
            "equity": equity,
            "revenue": revenue,
            "rd_spend": rd_spend,
            "bureau_flags": bureau_flags,
        },
        clear or (),
    )
    with session_scope(ctx.engine) as session:
        found = enterprise_book.get_enterprise(db_session=session, key=enterprise)
        updated = enterprise_book.update_financials(
            db_session=session,
            actor=Actor.cli(),
            enterprise_id=found.id,
            financials=figures,
            fields=fields,
            bureau_checked_on=_checked_on(bureau_checked_on),
        )
        payload = EnterpriseRecord.of(updated)
    out(payload, as_json)


@enterprise_app.command("add")
def enterprise_add(
    name: Annotated[str, typer.Option(help="Registered name, e.g. 南京智冷科技有限公司.")],
    credit_code: Annotated[str, typer.Option(help="Unified Social Credit Code (18 characters).")],
    region: Annotated[str, typer.Option(help="Administrative division code, e.g. 320106.")],
    industry: Annotated[str, typer.Option(help="Industry.")],
    size: Annotated[str, typer.Option(help="small, micro, medium or large.")],
    total_assets: Annotated[str | None, typer.Option(help="CNY, last year end.")] = None,
    equity: Annotated[str | None, typer.Option(help="CNY, last year end.")] = None,
    revenue: Annotated[str | None, typer.Option(help="CNY, last year.")] = None,
    rd_spend: RdSpendOption = None,
    bureau_flags: BureauFlagsOption = None,
    bureau_checked_on: BureauCheckedOption = None,
    link: Annotated[bool, typer.Option(help="Link its patents in the corpus.")] = True,
    as_json: JsonOption = False,
) -> None:
    """Register an enterprise (the credit code is checked) and link its patents."""
    ctx = app_context()
    figures = parse_financials(total_assets, equity, revenue, rd_spend, bureau_flags)
    with session_scope(ctx.engine) as session:
        found = enterprise_book.register_enterprise(
            db_session=session,
            actor=Actor.cli(),
            name=name,
            credit_code=credit_code,
            region=region,
            industry=industry,
            size=size,
            financials=figures,
            bureau_checked_on=_checked_on(bureau_checked_on),
        )
        payload = EnterpriseRecord.of(found).model_dump(mode="json")
        if link:
            payload["links"] = enterprise_book.link_patents(
                db_session=session, store=ctx.store, actor=Actor.cli(), enterprise=found
            ).model_dump()
    out(payload, as_json)


@enterprise_app.command("list")
def enterprise_list(
    limit: Annotated[int, typer.Option(min=1)] = 50, as_json: JsonOption = False
) -> None:
    """Registered enterprises with their latest grade."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        rows = []
        for e in enterprise_book.list_enterprises(db_session=session, limit=limit):
            latest = rating_book.latest_rating(db_session=session, enterprise_id=e.id)
            rows.append(
                {
                    **EnterpriseRecord.of(e).model_dump(mode="json"),
                    "grade": latest.grade if latest else None,
                    "score": latest.score if latest else None,
                }
            )
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "credit code", "region", "size", "grade", "score")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["name"],
            r["credit_code"],
            r["region"],
            r["size"],
            r["grade"] or "",
            "" if r["score"] is None else f"{r['score']:.1f}",
        )
    console.print(table)


@enterprise_app.command("links")
def enterprise_links(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    status: Annotated[str | None, typer.Option(help="confirmed, pending or rejected.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The enterprise's patent links (pending ones wait for review)."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = enterprise_book.get_enterprise(db_session=session, key=enterprise)
        rows: list[dict[str, Any]] = [
            {
                "link": x.id,
                "patent_id": x.patent_id,
                "party_name": x.party_name,
                "match": x.match,
                "similarity": x.similarity,
                "status": x.status,
            }
            for x in enterprise_book.links_of(
                db_session=session, enterprise_id=found.id, status=status
            )
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("link", "patent", "party name", "match", "similarity", "status")
    for r in rows:
        table.add_row(
            str(r["link"]),
            r["patent_id"],
            r["party_name"],
            r["match"],
            f"{r['similarity']:.3f}",
            r["status"],
        )
    console.print(table)


@enterprise_app.command("review")
def enterprise_review(
    link: Annotated[int, typer.Argument(help="Link id (see `enterprise links`).")],
    accept: Annotated[bool, typer.Option("--accept/--reject")],
    as_json: JsonOption = False,
) -> None:
    """Accept or reject an uncertain patent link."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = enterprise_book.review_link(
            db_session=session, actor=Actor.cli(), link_id=link, accept=accept
        )
        payload = {"link": found.id, "patent_id": found.patent_id, "status": found.status}
    out(payload, as_json, f"link {payload['link']} ({payload['patent_id']}): {payload['status']}")


# --------------------------------------------------------------------------- ratings


@app.command()
def rate(
    enterprise: Annotated[list[str] | None, typer.Option(help="Only these (id or code).")] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="YYYY-MM-DD (default: the corpus's data cut-off)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Rate enterprises from their patents (all at once, set-wise)."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        ids = None
        if enterprise:
            ids = [enterprise_book.get_enterprise(db_session=session, key=k).id for k in enterprise]
        run = rating_book.rate_enterprises(
            db_session=session,
            store=ctx.store,
            valuation_root=ctx.workspace.root / "valuation",
            actor=Actor.cli(),
            # patents are valued as of the same date as `ipops value` (valuation.indicators)
            as_of=parse_day(as_of, "as-of") if as_of else default_as_of(ctx.store),
            enterprise_ids=ids,
        )
    if as_json:
        print_json(run.as_dict())
        return
    grades = ", ".join(f"{g} {n}" for g, n in run.by_grade.items())
    console.print(f"rated {run.rated} enterprises: {grades}", highlight=False)
    console.print(f"inputs: {run.inputs}", highlight=False)


@app.command()
def rating(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    as_json: JsonOption = False,
) -> None:
    """An enterprise's latest rating, explained: each component's value and points, alerts."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = enterprise_book.get_enterprise(db_session=session, key=enterprise)
        card = rating_book.rating_card(db_session=session, enterprise=found).model_dump()
    if as_json:
        print_json(card)
        return
    console.print(f"[bold]{card['enterprise']['name']}[/] {card['grade']} ({card['score']:.1f})")
    table = Table("component", "input", "value", "weight", "points")
    for c in card["components"]:
        table.add_row(
            c["name"], c["raw"], f"{c['value']:.3f}", str(c["weight"]), f"{c['points']:.2f}"
        )
    console.print(table)
    for item in card["adjustments"]:
        points = "absent" if item["points"] is None else f"{item['points']:+.2f}"
        console.print(f"  {item['name']}: {points} ({item['raw']})", highlight=False)
    for alert in card["alerts"]:
        console.print(f"[yellow]alert:[/] {alert}", highlight=False)
    pd = card.get("default_probability")
    if pd:
        console.print(
            f"probability of default {pd['probability']:.2%} "
            f"(AUC on held-out loans {pd['model']['auc_held_out']}, 95 % CI "
            f"{pd['model'].get('auc_ci95')}, {pd['model'].get('auc_sample')})"
        )
    for item in card.get("financial_inputs", []):
        shown = item["value"] if item["used"] else "absent"
        if item["name"] == "credit_bureau_flags" and item["used"]:
            labels = [f"{f['code']} {f['label']}" for f in item["value"]["flags"]]
            checked = item["value"]["checked_on"]
            shown = f"{', '.join(labels) or 'no adverse record'} (checked {checked})"
        console.print(f"  {item['name']}: {shown} ({item['how']})", highlight=False)
    console.print(f"inputs: {card['inputs']}", highlight=False)


@app.command("pd-fit")
def pd_fit(as_json: JsonOption = False) -> None:
    """Fit the probability-of-default model on the platform's loan history."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        model = rating_book.fit_default_model(db_session=session, actor=Actor.cli())
    out(model.as_dict(), as_json)


# --------------------------------------------------------------------------- banks
