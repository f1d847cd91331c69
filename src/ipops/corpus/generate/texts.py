"""Texts of the generated corpus: titles, abstracts, non-patent literature."""

from __future__ import annotations

from collections.abc import Sequence

from ipops.corpus.generate.params import _Field
from ipops.corpus.generate.people import _chinese_person, _pick
from ipops.corpus.generate.vocabulary import _LATIN_NAMES

# =========================================================================== texts


def _title(field: _Field, chinese: bool, utility_model: bool, u: Sequence[float]) -> str:
    obj_zh, obj_en = _pick(field.objects, u[1])
    mod_zh, mod_en = _pick(field.modifiers, u[2])
    other_zh, other_en = _pick(field.objects, u[3])
    method_zh, method_en = field.method
    template = int(u[0] * 4) if not utility_model else (0, 3)[int(u[0] * 2)]
    if chinese:
        return (
            f"一种{mod_zh}{obj_zh}",
            f"一种{obj_zh}及其{method_zh}",
            f"{obj_zh}的{method_zh}、装置及存储介质",
            f"一种{mod_zh}{obj_zh}及具有其的{other_zh}",
        )[template]
    text = (
        f"{mod_en} {obj_en}",
        f"{obj_en} and {method_en} thereof",
        f"{method_en} and apparatus for {mod_en} {obj_en}",
        f"{obj_en} and {other_en} having the same",
    )[template]
    return text[0].upper() + text[1:]


def _abstract(
    field: _Field, chinese: bool, utility_model: bool, title: str, u: Sequence[float]
) -> str:
    part_zh, part_en = _pick(field.objects, u[0])
    goal_zh, goal_en = _pick(field.goals, u[1])
    if chinese:
        kind = "实用新型" if utility_model else "发明"
        return f"本{kind}公开了{title}，包括{part_zh}和控制组件，能够提高{goal_zh}。"
    subject = title[0].lower() + title[1:]
    return f"Disclosed is {subject}, comprising a {part_en}, which improves {goal_en}."


def _npl_text(field: _Field, chinese: bool, year: int, u: Sequence[float]) -> str:
    obj_zh, obj_en = _pick(field.objects, u[0])
    mod_zh, mod_en = _pick(field.modifiers, u[1])
    published = max(1990, year - 1 - int(u[2] * 10))
    page = 1 + int(u[3] * 400)
    if chinese:
        author = _chinese_person(u[4:8], romanised=False).name
        journal = _pick(field.journals_zh, u[8])
        issue = 1 + int(u[9] * 12)
        pages = f"{page}-{page + 7}"
        return f"{author}, 等. {mod_zh}{obj_zh}的研究[J]. {journal}, {published}({issue}): {pages}."
    author = _pick(_LATIN_NAMES["en"][1], u[4])
    journal = _pick(field.journals_en, u[8])
    return (
        f'{author} et al., "A study of {mod_en} {obj_en}", {journal}, vol. {1 + int(u[9] * 60)}, '
        f"pp. {page}-{page + 9}, {published}."
    )
