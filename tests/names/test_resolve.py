"""Entity resolution: benchmarks (pairwise and B-cubed), Chinese and English names, links, CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipops.cli.app import app
from ipops.errors import ValidationError
from ipops.names.aliases import load_aliases
from ipops.names.chinese import core_and_place, pinyin_key, to_simplified
from ipops.names.evaluate import (
    bcubed_scores,
    load_assignee_benchmark,
    pairwise_scores,
    split_by_entity,
)
from ipops.names.harmonize import harmonize_name
from ipops.names.normalize import normalize_name
from ipops.names.resolve import Link, resolve_names
from ipops.names.service import explain, harmonize_csv, read_links
from ipops.names.train import fit_model, score_resolution
from realdata import shared_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "names"


def cn_en_pairs() -> list[dict[str, str]]:
    with (FIXTURES / "cn-en-pairs.csv").open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


@pytest.mark.parametrize("row", cn_en_pairs(), ids=lambda row: row["note"])
def test_chinese_and_english_pairs_alone(row: dict[str, str]) -> None:
    resolution = resolve_names([row["name_a"], row["name_b"]])
    same = resolution.by_name[row["name_a"]] == resolution.by_name[row["name_b"]]
    assert same is (row["same"] == "yes")


def test_chinese_and_english_pairs_in_one_collection() -> None:
    rows = cn_en_pairs()
    resolution = resolve_names(name for row in rows for name in (row["name_a"], row["name_b"]))
    wrong = [
        row["note"]
        for row in rows
        if (resolution.by_name[row["name_a"]] == resolution.by_name[row["name_b"]])
        is not (row["same"] == "yes")
    ]
    assert wrong == []


def test_a_group_rolls_up_without_merging() -> None:
    resolution = resolve_names(["华为技术有限公司", "华为终端有限公司", "HUAWEI DEVICE CO., LTD."])
    technologies = resolution.by_name["华为技术有限公司"]
    device = resolution.by_name["华为终端有限公司"]
    assert technologies.entity_id != device.entity_id
    assert technologies.group_id == device.group_id
    assert technologies.group_name == "华为投资控股有限公司"
    assert resolution.by_name["HUAWEI DEVICE CO., LTD."] == device


def test_single_names_use_the_alias_table() -> None:
    assert harmonize_name("GREE")[1] == harmonize_name("珠海格力电器股份有限公司")[1]
    assert harmonize_name("格力电器")[1] == "E621fd7c5afffab97"
    assert harmonize_name("格力地产")[1] != "E621fd7c5afffab97"


def test_the_alias_table_lists_no_variant_twice() -> None:
    table = load_aliases()
    assert "格力电器" not in table.ambiguous and "gree" not in table.ambiguous
    assert all(entity.key == normalize_name(entity.name_zh) for entity in table.by_name.values())
    assert {e.group_zh for e in table.by_name.values() if e.group_zh} <= set(table.by_name)


def test_chinese_parts() -> None:
    assert to_simplified("珠海格力電器") == "珠海格力电器"
    assert core_and_place("珠海格力电器") == ("格力电器", "珠海")
    assert core_and_place("腾讯科技(深圳)") == ("腾讯科技", "深圳")
    assert core_and_place("上海") == ("上海", "")
    assert pinyin_key("珠海格力电器") == "zhuhaigelidianqi"


def test_a_core_with_two_places_joins_no_placeless_name() -> None:
    resolution = resolve_names(["北京小米科技有限公司", "上海小米科技有限公司", "小米科技"])
    ids = {resolution.by_name[name].entity_id for name in resolution.by_name}
    assert len(ids) == 3


def test_typos_join_the_much_more_frequent_form() -> None:
    names = ["Motorola, Inc."] * 40 + ["Motorla Inc"] + ["Motorola GmbH"] * 3
    resolution = resolve_names(names)
    assert resolution.by_name["Motorla Inc"] == resolution.by_name["Motorola, Inc."]
    assert resolution.by_name["Motorla Inc"].entity_name == "Motorola, Inc."


def test_similar_names_of_different_organisations_stay_apart() -> None:
    names = ["Washington University"] * 30 + ["University of Washington"] * 30
    names += ["General Foods Corp"] * 20 + ["Universal Foods Corp"] * 20
    resolution = resolve_names(names)
    assert resolution.entities == 4


def test_user_links_join_and_keep_apart() -> None:
    joined = resolve_names(
        ["Acme Widgets", "Zenith Gadgets"], links=[Link("ACME WIDGETS INC", "Zenith Gadgets")]
    )
    assert joined.entities == 1
    apart = resolve_names(["GREE", "格力电器"], links=[Link("GREE", "格力电器", same=False)])
    assert apart.entities == 2
    assert apart.refused


def test_read_links_checks_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("name_a,name_b,same\nGREE,格力电器,否\nACME,Acme Corp,yes\n", encoding="utf-8")
    assert read_links(path) == (
        Link("GREE", "格力电器", False),
        Link("ACME", "Acme Corp", True),
    )
    path.write_text("name_a,name_b,same\nGREE,,maybe\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="row 2"):
        read_links(path)


def test_explain_says_why_in_both_languages() -> None:
    same = explain("格力电器", "GREE ELECTRIC APPLIANCES, INC. OF ZHUHAI")
    assert same.same and [join.reason for join in same.path] == ["alias", "alias"]
    assert "别名表中为同一主体" in "\n".join(same.lines("zh"))
    apart = explain("Washington University", "University of Washington")
    assert not apart.same and apart.score is not None and apart.score < apart.threshold
    assert not apart.comparable
    assert "never joins them" in "\n".join(apart.lines("en"))
    typo = explain("Motorla Inc", "Motorola, Inc.")
    assert typo.comparable and "below its threshold" in "\n".join(typo.lines("en"))
    group = explain("华为技术有限公司", "华为终端有限公司")
    assert not group.same and group.same_group


def test_harmonize_csv_resolves_the_column_together(tmp_path: Path) -> None:
    source = tmp_path / "applicants.csv"
    source.write_text(
        "name\n格力电器\n珠海格力电器股份有限公司\nGREE\n格力地产股份有限公司\n", encoding="utf-8"
    )
    summary = harmonize_csv(source, "name", None, groups=True)
    rows = list(csv.DictReader((summary.text or "").splitlines()))
    assert summary.entities == 2
    assert {row["entity_name"] for row in rows[:3]} == {"珠海格力电器股份有限公司"}
    assert rows[0]["group_name"] == "珠海格力集团有限公司"


def test_cli_harmonize_and_explain(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,name\n1,格力电器\n2,GREE\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    runner = CliRunner()
    result = runner.invoke(
        app, ["names", "harmonize", str(source), "--column", "name", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8").splitlines()[0] == (
        "id,name,name_normalized,entity_id,entity_name"
    )
    result = runner.invoke(app, ["names", "explain", "格力电器", "格力地产", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["same"] is False
    result = runner.invoke(app, ["names", "explain", "格力电器", "GREE", "--lang", "en"])
    assert "one entity" in result.stdout


def test_bcubed_on_a_hand_computed_case() -> None:
    # truth {1,2,3} {4,5}; predicted {1,2} {3,4,5}
    # precision: 1,2 → 2/2; 3 → 1/3; 4,5 → 2/3 each: (1+1+1/3+2/3+2/3)/5 = 11/15
    # recall:    1,2 → 2/3; 3 → 1/3; 4,5 → 2/2 each: (2/3+2/3+1/3+1+1)/5 = 11/15
    scores = bcubed_scores(["x", "x", "y", "y", "y"], ["a", "a", "a", "b", "b"])
    assert scores.precision == pytest.approx(11 / 15)
    assert scores.recall == pytest.approx(11 / 15)


def test_folds_keep_each_organisation_in_one() -> None:
    mentions = load_assignee_benchmark(FIXTURES / "nber-sample.csv")
    folds = split_by_entity(mentions, 3)
    assert sum(len(fold) for fold in folds) == len(mentions)
    owners = [{m.unique_id for m in fold} for fold in folds]
    assert not (owners[0] & owners[1]) and not (owners[1] & owners[2])


def test_quality_on_the_vendored_nber_sample() -> None:
    """1,793 mentions of 157 organisations never used to learn the shipped model."""
    mentions = load_assignee_benchmark(FIXTURES / "nber-sample.csv")
    scores = score_resolution(mentions)
    rules = pairwise_scores(
        [normalize_name(m.name) for m in mentions], [m.unique_id for m in mentions]
    )
    assert scores.pairwise.precision >= 0.995  # 1.0000 measured
    assert scores.pairwise.f1 >= 0.985  # 0.9880 measured
    assert scores.pairwise.f1 > rules.f1
    assert scores.bcubed.f1 >= 0.975  # 0.9795 measured


@pytest.mark.realdata
def test_train_on_one_fold_report_on_the_others() -> None:
    path = shared_path(
        "pv-evaluation-benchmarks", "assignee", "nber-subset-assignees-benchmark.csv"
    )
    folds = split_by_entity(load_assignee_benchmark(path), 3)
    model = fit_model(folds[0], trained_on="fold 0")
    for fold in folds[1:]:
        scores = score_resolution(fold, model=model)
        assert scores.pairwise.precision >= 0.995  # 0.9983 and 0.9999 measured
        assert scores.pairwise.f1 >= 0.975  # 0.9812 and 0.9984 measured
        assert scores.bcubed.f1 >= 0.955  # 0.9600 and 0.9780 measured
