"""Chinese organisation names: one script, the place prefix, the core name and its pinyin.

Chinese applicants are registered as ``[place][trade name][industry][legal form]``
(企业名称登记管理规定, State Council Decree No. 734 of 2020, art. 6: 行政区划名称 + 字号 +
行业或者经营特点 + 组织形式), so ``珠海格力电器股份有限公司`` is 珠海 + 格力 + 电器 + 股份有限公司,
and the short name people use (格力电器) is the name without place and legal form: its
**core**. Two names with one core are the same organisation only when their places agree
or one has none and no other place uses that core (北京小米科技 and 上海小米科技 are two);
``resolve`` applies that rule, this module only computes the parts.

Traditional characters are folded to simplified ones with ``TRADITIONAL_TO_SIMPLIFIED``,
a table of the characters that occur in organisation names (one-to-one forms from the
《通用规范汉字表》 of 2013, appendix 1); characters outside it are kept. Pinyin comes from
pypinyin without tones, joined without spaces, the way names are romanised on foreign
filings ("Zhuhai Geli Dianqi" → ``zhuhaigelidianqi``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

_PAIRS = (
    "電电 機机 團团 國国 華华 臺台 灣湾 業业 學学 醫医 藥药 銀银 廠厂 發发 開开 車车 產产 實实 際际 "
    "東东 廣广 訊讯 術术 體体 導导 積积 達达 聯联 網网 絡络 資资 創创 興兴 價价 會会 責责 種种 權权 "
    "專专 圖图 書书 館馆 進进 氣气 設设 備备 裝装 動动 應应 統统 數数 據据 碼码 億亿 陽阳 鋼钢 鐵铁 "
    "礦矿 紡纺 織织 貿贸 標标 準准 測测 試试 驗验 檢检 療疗 衛卫 環环 護护 農农 構构 製制 層层 顯显 "
    "視视 處处 場场 區区 縣县 鎮镇 島岛 蘇苏 滬沪 漢汉 遼辽 寧宁 嶺岭 貴贵 雲云 陝陕 愛爱 頭头 門门 "
    "間间 問问 號号 對对 爾尔 維维 聖圣 龍龙 鳳凤 馬马 鳥鸟 魚鱼 黃黄 齊齐 萬万 與与 為为 爲为 盤盘 "
    "紅红 綠绿 藍蓝 優优 質质 鋁铝 銅铜 錫锡 鎳镍 圓圆 矽硅 傳传 輸输 線线 纜缆 計计 腦脑 軟软 雜杂 "
    "調调 節节 熱热 溫温 濕湿 風风 燈灯 園园 廈厦 陸陆 蘭兰 劑剂 飛飞 儲储 藝艺 歐欧 亞亚 鏈链 塊块 "
    "輛辆 駛驶 級级 壓压 縮缩 遠远 鄭郑 貝贝 寶宝 倫伦 啟启 勝胜 協协 經经 濟济 財财 務务 稅税 證证 "
    "險险 齒齿 雙双 鍵键 紙纸 膠胶 噴喷 鏡镜 鐘钟 錶表 鑽钻 軌轨 橋桥 築筑 潔洁 淨净 離离 氫氢 鋰锂 "
    "觸触 機机 電电 訊讯 廣广 總总 屬属 營营 運运 輪轮 範范 團团 紀纪 約约 納纳 細细 終终 結结 給给 "
    "絲丝 綜综 緒绪 練练 組组 維维 編编 緣缘 縫缝 繼继 續续 員员 買买 賣卖 費费 貨货 販贩 賽赛 贏赢 "
    "讓让 議议 論论 設设 許许 診诊 評评 識识 譜谱 護护 讀读 變变 話话 誠诚 語语 說说 請请 談谈 谷谷 "
    "豐丰 豬猪 貓猫 遞递 週周 達达 邊边 鄉乡 醬酱 釀酿 針针 鈦钛 鉑铂 鋅锌 鋒锋 鋪铺 錦锦 鍛锻 鎖锁 "
    "長长 閃闪 閥阀 關关 陣阵 隊队 階阶 隨随 險险 雖虽 雞鸡 離离 難难 電电 靈灵 靜静 韓韩 頁页 項项 "
    "順顺 預预 領领 頻频 題题 類类 顧顾 飲饮 餐餐 養养 驅驱 驗验 髮发 鬆松 麥麦 齡龄 塵尘 壇坛 墊垫 "
    "夢梦 奧奥 婦妇 孫孙 寬宽 將将 尋寻 屆届 巖岩 幣币 幹干 廳厅 彈弹 從从 復复 徵征 憶忆 戲戏 擁拥 "
    "擬拟 據据 擴扩 攝摄 敵敌 斂敛 於于 時时 暢畅 曆历 樂乐 樣样 樹树 橫横 檔档 歡欢 歲岁 歷历 殼壳 "
    "氣气 汙污 決决 沒没 減减 測测 湧涌 滅灭 滿满 漁渔 潤润 澤泽 濱滨 灣湾 災灾 無无 煉炼 煙烟 熒荧 "
    "爐炉 牆墙 獎奖 現现 瑪玛 環环 瓊琼 畫画 當当 發发 盡尽 監监 睿睿 硃朱 碩硕 確确 礎础 祿禄 禮礼 "
    "稱称 穩稳 窯窑 競竞 筆笔 築筑 簡简 糧粮 紐纽 純纯 紗纱 紹绍 絕绝 統统 綫线 緊紧 縱纵 總总 績绩 "
    "繫系 罰罚 羅罗 聲声 聽听 膚肤 臨临 興兴 艦舰 莊庄 華华 萊莱 葉叶 蒼苍 蓮莲 薩萨 藥药 蘋苹 蟲虫 "
    "衆众 裡里 複复 規规 覺觉 覽览 觀观 訓训 記记 訪访 詞词 該该 詳详 認认 誤误 課课 諾诺 謝谢 講讲 "
    "證证 豎竖 負负 貢贡 貫贯 貸贷 貼贴 賀贺 賓宾 賴赖 購购 趙赵 跡迹 躍跃 軍军 軸轴 較较 載载 輔辅 "
    "輕轻 辦办 遊游 過过 運运 道道 達达 遷迁 選选 遺遗 還还 邁迈 郵邮 鄰邻 醫医 釋释 鋒锋 錄录 錢钱 "
    "錯错 鍋锅 鎂镁 鏈链 鐳镭 鑄铸 門门 閉闭 開开 閒闲 閩闽 闆板 闊阔 隱隐 雜杂 雲云 電电 霧雾 韌韧 "
    "響响 頂顶 頒颁 頸颈 頻频 顆颗 顏颜 顯显 飾饰 餘余 館馆 騰腾 驚惊 體体 髮发 魯鲁 鮮鲜 鴻鸿 鵬鹏 "
    "鹽盐 麗丽 點点 黨党 齊齐"
)

TRADITIONAL_TO_SIMPLIFIED: dict[int, str] = {
    ord(pair[0]): pair[1] for pair in _PAIRS.split() if pair[0] != pair[1]
}

# Provincial-level divisions and the cities that most often lead applicant names
# (GB/T 2260 names without 省/市/自治区). Longest first so 内蒙古 wins over 内蒙.
PLACES: tuple[str, ...] = tuple(
    sorted(
        (
            "北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 "
            "湖北 湖南 广东 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门 "
            "深圳 广州 珠海 佛山 东莞 中山 惠州 汕头 青岛 济南 烟台 潍坊 威海 淄博 杭州 宁波 温州 绍兴 "
            "嘉兴 台州 金华 湖州 南京 苏州 无锡 常州 南通 扬州 徐州 昆山 合肥 芜湖 福州 厦门 泉州 武汉 "
            "长沙 株洲 成都 绵阳 西安 郑州 洛阳 石家庄 保定 唐山 太原 沈阳 大连 鞍山 长春 哈尔滨 南昌 "
            "昆明 贵阳 南宁 兰州 乌鲁木齐 呼和浩特 包头 银川 西宁 拉萨 海口 三亚 宜宾 柳州"
        ).split(),
        key=len,
        reverse=True,
    )
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_PLACE_SUFFIX = ("特别行政区", "自治区", "省", "市")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def to_simplified(text: str) -> str:
    """``text`` with the traditional characters of ``TRADITIONAL_TO_SIMPLIFIED`` simplified."""
    return text.translate(TRADITIONAL_TO_SIMPLIFIED)


def split_place(name: str) -> tuple[str, str]:
    """(place, rest) of a normalised Chinese name: ``珠海格力电器`` → (珠海, 格力电器).

    A place is removed only when at least two characters of trade name follow it, so
    ``中国`` alone or ``上海`` alone keeps its place.
    """
    for place in PLACES:
        if name.startswith(place):
            rest = name[len(place) :]
            for suffix in _PLACE_SUFFIX:
                if rest.startswith(suffix):
                    rest = rest[len(suffix) :]
                    break
            if len(rest) >= 2 and has_cjk(rest[:2]):
                return place, rest
    return "", name


def bracketed_place(name: str) -> tuple[str, str]:
    """A place written in brackets inside the name: ``腾讯科技(深圳)`` → (深圳, 腾讯科技)."""
    match = re.search(r"\(([\u4e00-\u9fff]{2,4}?)[市省]?\)", name)
    if match and match.group(1) in PLACES:
        return match.group(1), (name[: match.start()] + name[match.end() :]).strip()
    return "", name


@lru_cache(maxsize=1 << 16)
def core_and_place(normalized: str) -> tuple[str, str]:
    """(core, place) of a normalised Chinese name; the core has no space and no place."""
    compact = normalized.replace(" ", "")
    place, rest = bracketed_place(compact)
    if not place:
        place, rest = split_place(compact)
    return rest, place


@lru_cache(maxsize=1 << 16)
def pinyin_key(text: str) -> str:
    """Toneless pinyin of the Chinese characters, Latin letters and digits kept, no spaces."""
    return "".join(lazy_pinyin(text)).replace(" ", "").lower()
