"""Names of the 35 WIPO technology fields and 5 sectors in the report's language.

English names are those of the concordance (``ipops.valuation.fields``); the Chinese ones
are the usual translations in CNIPA and WIPO Chinese publications.
"""

from __future__ import annotations

from ipops.valuation.fields import fields

FIELDS_ZH: dict[int, str] = {
    1: "电气机械、设备和能源",
    2: "视听技术",
    3: "电信",
    4: "数字通信",
    5: "基础通信程序",
    6: "计算机技术",
    7: "管理用信息技术方法",
    8: "半导体",
    9: "光学",
    10: "测量",
    11: "生物材料分析",
    12: "控制",
    13: "医疗技术",
    14: "有机精细化学",
    15: "生物技术",
    16: "药品",
    17: "高分子化学、聚合物",
    18: "食品化学",
    19: "基础材料化学",
    20: "材料、冶金",
    21: "表面技术、涂层",
    22: "微结构和纳米技术",
    23: "化学工程",
    24: "环境技术",
    25: "装卸",
    26: "机床",
    27: "发动机、泵、涡轮机",
    28: "纺织和造纸机械",
    29: "其他专用机械",
    30: "热工过程和设备",
    31: "机械元件",
    32: "运输",
    33: "家具、游戏",
    34: "其他消费品",
    35: "土木工程",
}
SECTORS_ZH: dict[str, str] = {
    "Electrical engineering": "电气工程",
    "Instruments": "仪器",
    "Chemistry": "化学",
    "Mechanical engineering": "机械工程",
    "Other fields": "其他领域",
}


def field_name(number: int, lang: str) -> str:
    field = fields().get(number)
    if field is None:
        return str(number)
    return FIELDS_ZH.get(number, field.name) if lang == "zh" else field.name


def sector_name(number: int, lang: str) -> str:
    field = fields().get(number)
    if field is None:
        return ""
    return SECTORS_ZH.get(field.sector, field.sector) if lang == "zh" else field.sector
