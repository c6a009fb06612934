#!/usr/bin/env python3
"""Derive surface variants of hand-written NLU rows (standard library only).

The corpus in this folder was written by hand; this script adds a share of
*derived* rows that copy a hand-written row and change only its surface, the
way real messages to the bot differ from tidy text:

  trad    Simplified -> Traditional characters (phones set to Traditional,
          messages forwarded from Hong Kong/Taiwan relatives, some voice IMEs)
  strip   punctuation removed, as voice input and fast thumbs leave it
  space   punctuation turned into spaces / a space inserted between phrases
  typo    one common pinyin-IME slip or homophone (的/得/地, 在/再, 报销->报消,
          身份证->身分证, 户口本->户口薄, 接单->接但 ...)
  trad+strip

A derived row keeps every label of its source row (intent, service, village,
score) and is written to the SAME split file as its source, so a sentence and
its variant never straddle train/dev/test.

Usage:
  make_variants.py SRC.jsonl OUT.jsonl --total N [--seed S] [--trad SHARE]

SRC holds the hand-written rows of one split. OUT gets those rows followed by
derived rows until OUT has N rows (or every source row has been tried once).
The choice is seeded, so the same SRC, N and seed give the same OUT.
"""
import argparse
import json
import random
import re
import sys

# --- Simplified -> Traditional -------------------------------------------------------------
# Phrase-level first (where a character maps differently by word), then a character table
# that covers the vocabulary of this corpus. Characters that are the same in both scripts,
# or whose Traditional form depends on the word and has no override here, are left alone.
PHRASES = [
    ("联系", "聯繫"), ("关系", "關係"), ("恢复", "恢復"), ("回复", "回覆"), ("答复", "答覆"),
    ("准备", "準備"), ("标准", "標準"), ("准确", "準確"), ("准时", "準時"), ("准信", "準信"),
    ("不准", "不準"), ("心脏", "心臟"), ("内脏", "內臟"), ("沈阳", "瀋陽"), ("干净", "乾淨"),
    ("晒干", "曬乾"), ("头发", "頭髮"), ("理发", "理髮"), ("鸡舍", "雞舍"), ("宿舍", "宿舍"),
    ("一只", "一隻"), ("几只", "幾隻"), ("面条", "麵條"), ("出租", "出租"), ("系统", "系統"),
    ("里面", "裡面"), ("公里", "公里"), ("千里", "千里"), ("后翟", "後翟"), ("皇后", "皇后"),
    ("喂", "喂"), ("范围", "範圍"), ("咨询", "諮詢"), ("日历", "日曆"), ("周到", "周到"),
]
PAIRS = """
办辦 报報 销銷 医醫 疗療 费費 险險 补補 证證 户戶 么麼 这這 个個 们們 说說 话話 时時 间間
问問 题題 还還 没沒 钱錢 给給 让讓 对對 发發 里裡 后後 几幾 号號 帮幫 请請 谢謝 应應 该該
当當 为為 样樣 吗嗎 听聽 见見 东東 车車 长長 门門 开開 关關 联聯 电電 网網 动動 会會 过過
进進 远遠 运運 边邊 达達 选選 连連 适適 递遞 务務 员員 团團 图圖 国國 圆圓 场場 坏壞 块塊
声聲 处處 备備 复複 头頭 妈媽 孙孫 学學 实實 审審 导導 层層 岁歲 师師 带帶 干幹 广廣 庄莊
废廢 张張 强強 归歸 录錄 态態 总總 恶惡 惊驚 愿願 战戰 执執 扩擴 扫掃 扰擾 抚撫 择擇 挂掛
挡擋 挤擠 换換 据據 损損 摆擺 数數 断斷 无無 旧舊 显顯 晓曉 晒曬 术術 机機 杀殺 杂雜 权權
条條 来來 杨楊 极極 构構 柜櫃 标標 栏欄 树樹 桥橋 检檢 楼樓 欢歡 残殘 毕畢 气氣 汇匯 汉漢
沟溝 洁潔 浅淺 测測 济濟 浓濃 涨漲 湿濕 满滿 灭滅 灯燈 灾災 点點 烦煩 烧燒 热熱 爱愛 爷爺
猪豬 现現 环環 画畫 盖蓋 监監 盘盤 码碼 础礎 确確 礼禮 积積 称稱 种種 税稅 稳穩 穷窮 笔筆
签簽 简簡 类類 粮糧 紧緊 纠糾 红紅 约約 级級 纪紀 纳納 纸紙 线線 练練 组組 细細 终終 经經
结結 络絡 统統 继繼 续續 维維 综綜 缴繳 职職 肿腫 脑腦 脚腳 脸臉 节節 艺藝 药藥 获獲 营營
范範 荣榮 萝蘿 蓝藍 虽雖 装裝 观觀 规規 视視 觉覺 计計 订訂 认認 讨討 训訓 议議 讯訊 记記
讲講 许許 论論 设設 访訪 评評 识識 诉訴 诊診 词詞 试試 诚誠 询詢 详詳 语語 误誤 读讀 谁誰
调調 谈談 负負 财財 责責 质質 贫貧 购購 贴貼 贵貴 资資 赔賠 赶趕 转轉 轮輪 轻輕 载載 辆輛
输輸 违違 迟遲 邮郵 邻鄰 钟鐘 铁鐵 银銀 锁鎖 错錯 镇鎮 闭閉 闹鬧 闻聞 队隊 阳陽 阶階 际際
陆陸 陈陳 随隨 难難 项項 顺順 须須 顾顧 顿頓 领領 风風 饭飯 饮飲 饿餓 馆館 验驗 骗騙 鸡雞
麦麥 齐齊 龄齡 龙龍 刘劉 罗羅 赵趙 兰蘭 蒋蔣 华華 岭嶺 坝壩 胜勝 园園 乡鄉 县縣 区區 贷貸
账賬 划劃 价價 优優 伤傷 体體 儿兒 兴興 养養 农農 冲沖 决決 况況 冻凍 净淨 击擊 刚剛 创創
别別 劝勸 劳勞 势勢 单單 卖賣 卫衛 厂廠 历歷 压壓 参參 双雙 变變 叶葉 吓嚇 启啟 响響 围圍
坚堅 坟墳 壮壯 够夠 夹夾 夺奪 奋奮 奖獎 妇婦 婴嬰 宁寧 宝寶 宽寬 寻尋 寿壽 将將 尔爾 尝嘗
属屬 岗崗 币幣 帐帳 并並 庆慶 库庫 庙廟 异異 弯彎 彻徹 径徑 忆憶 怀懷 怜憐 惨慘 愤憤 忧憂
扬揚 护護 担擔 拥擁 拦攔 拨撥 挥揮 捞撈 摄攝 摊攤 敌敵 斗鬥 昼晝 晋晉 晕暈 暂暫 枣棗 栋棟
档檔 梦夢 欧歐 殡殯 泪淚 泼潑 洒灑 浊濁 涂塗 涛濤 涝澇 润潤 渐漸 渔漁 温溫 湾灣 滚滾 滞滯
滥濫 滩灘 灵靈 炉爐 烂爛 烟煙 烫燙 牵牽 犹猶 狱獄 独獨 献獻 疯瘋 瘫癱 盐鹽 矿礦 砖磚 碍礙
祸禍 离離 窃竊 竖豎 竞競 筑築 粪糞 纤纖 纯純 纲綱 纵縱 纷紛 纹紋 纺紡 织織 绍紹 绑綁 绕繞
绘繪 绝絕 绩績 绪緒 绳繩 绵綿 绿綠 缓緩 编編 缘緣 缝縫 缠纏 缩縮 罢罷 聋聾 聪聰 肃肅 肠腸
肤膚 肾腎 胶膠 脏髒 腊臘 腾騰 艰艱 芦蘆 苍蒼 苏蘇 苹蘋 荐薦 荡蕩 萧蕭 葱蔥 虑慮 虚虛 虫蟲
蛮蠻 袜襪 裤褲 触觸 誉譽 诈詐 诗詩 诺諾 课課 谅諒 谋謀 谎謊 谓謂 谦謙 谨謹 谱譜 贝貝 贡貢
败敗 货貨 贪貪 贸貿 贺賀 赌賭 赏賞 赖賴 赚賺 赛賽 赠贈 较較 辅輔 辈輩 辉輝 辞辭 迁遷 迈邁
遗遺 邓鄧 酱醬 针針 钢鋼 铃鈴 铜銅 铺鋪 锅鍋 镜鏡 闪閃 闯闖 闲閒 闷悶 闸閘 阁閣 阅閱 阔闊
阴陰 阵陣 陕陝 韩韓 页頁 顶頂 预預 频頻 颗顆 颜顏 额額 飘飄 飞飛 饱飽 饲飼 饼餅 驱驅 驶駛
驻駐 骂罵 骑騎 鱼魚 鲁魯 鸟鳥 鸭鴨 鹅鵝 齿齒 丢丟 两兩 丧喪 临臨 为為 举舉 乌烏 云雲 仪儀
传傳 伟偉 侧側 俭儉 凉涼 剂劑 卢盧 卧臥 厉厲 厕廁 垫墊 妆妝 娱娛 宠寵 届屆 岂豈 帅帥 戏戲
抛拋 拣揀 挣掙 捡撿 揽攬 搁擱 搂摟 搅攪 携攜 撑撐 斋齋 杰傑 桩樁 泻瀉 浆漿 浇澆 淀澱 渗滲
潜潛 灿燦 烛燭 焕煥 猎獵 疮瘡 痒癢 皱皺 盏盞 着著 矫矯 碱鹼 秃禿 窝窩 窑窯 筛篩 篮籃 罚罰
胁脅 脉脈 舱艙 茧繭 莲蓮 蚀蝕 蜡蠟 袭襲 贤賢 贩販 贯貫 贱賤 赞贊 趋趨 跃躍 践踐 踪蹤 躯軀
轨軌 轰轟 轿轎 迹跡 逊遜 逻邏 遥遙 酿釀 钓釣 钞鈔 钥鑰 钩鉤 钻鑽 铲鏟 锄鋤 锈鏽 锋鋒 锤錘
锻鍛 镰鐮 阀閥 隶隸 韦韋 顽頑 颁頒 颈頸 颠顛 饥飢 饰飾 饶饒 馒饅 驴驢 骄驕 骤驟 鸣鳴 侄姪
闺閨 马馬 骡騾 荞蕎 卜蔔 哑啞 亩畝 杆桿 筹籌 于於 尽盡 谷穀 刮颳 占佔 征徵 采採 丰豐 严嚴
义義 乐樂 习習 书書 买買 乱亂 争爭 亏虧 产產 亲親 亿億 仅僅 从從 仓倉 众眾 会會 余餘 俩倆
债債 偿償 储儲 党黨 内內 写寫 军軍 减減 凑湊 凭憑 则則 删刪 办辦 励勵 协協 却卻 厅廳 叹嘆
呗唄 嘱囑 墙牆 婶嬸 彩彩 懒懶 抢搶 拟擬 拢攏 扑撲 杂雜 涌湧 犹猶 痴癡 瞒瞞 肮骯 胆膽 谢謝
贱賤 邻鄰 钱錢 铅鉛 链鏈 键鍵 闪閃 隐隱 雾霧 颂頌 饲飼 鸽鴿 龟龜 异異 冯馮 郑鄭 乔喬 伦倫
侨僑 剥剝 匀勻 哗嘩 喽嘍 尸屍 峡峽 帘簾 惯慣 掷擲 斩斬 欠欠 溃潰 牺犧 笋筍 罗羅 聂聶 苇葦
谣謠 辑輯 鉴鑑 钙鈣 镑鎊 阐闡 霁霽 鲜鮮 黄黃 业業 专專 静靜 释釋 丽麗 艳豔 滨濱 恳懇
兑兌 秆稈 册冊 垄壟 劲勁 攒攢 槛檻 泞濘 拧擰 万萬 驾駕 痪瘓 与與
"""
S2T = {}
for tok in PAIRS.split():
    assert len(tok) == 2, tok
    S2T.setdefault(tok[0], tok[1])


def to_trad(s):
    marks = []
    for i, (a, b) in enumerate(PHRASES):
        if a in s:
            s = s.replace(a, "\x00%d\x01" % i)
            marks.append(i)
    s = "".join(S2T.get(c, c) for c in s)
    for i in marks:
        s = s.replace("\x00%d\x01" % i, PHRASES[i][1])
    return s


# --- punctuation ---------------------------------------------------------------------------
PUNCT = "，。！？；：、,!?;~～…“”\"'‘’「」（）()【】[]《》"  # ASCII ":" kept (URLs, times)
PUNCT_RE = re.compile("[%s]+" % re.escape(PUNCT))


def strip_punct(s):
    out = PUNCT_RE.sub("", s)
    # a run of spaces between words is how many phones show a pause; keep one of them at most
    out = re.sub(r"\s+", "", out) if random.random() < 0.5 else re.sub(r"\s+", " ", out)
    return out.strip()


def spaced(s):
    if PUNCT_RE.search(s):
        return re.sub(r"\s+", " ", PUNCT_RE.sub(" ", s)).strip()
    # no punctuation: pause once between two phrases, i.e. after a sentence particle or before
    # a word that starts a new clause (never inside a name or a number)
    cuts = [m.end() for m in re.finditer(r"[了吗啊吧呢嘛呀啦么的]", s)]
    cuts += [m.start() for m in re.finditer(r"(?:我|你|帮|请|麻烦|能不能|要|想|还|就|那个|这个|俺|给)", s)]
    cuts = sorted(c for c in set(cuts) if 2 <= c <= len(s) - 2
                  and "\u4e00" <= s[c - 1] <= "\u9fff" and "\u4e00" <= s[c] <= "\u9fff")
    if len(s) < 6 or not cuts:
        return s
    cut = random.choice(cuts)
    return s[:cut] + " " + s[cut:]


# --- typos and homophones ------------------------------------------------------------------
# (wrong, right) pairs seen in real phone typing; one is applied per derived row.
TYPOS = [
    ("的", "得"), ("的", "地"), ("在", "再"), ("再", "在"), ("已经", "以经"), ("身份证", "身分证"),
    ("户口本", "户口薄"), ("报销", "报消"), ("材料", "才料"), ("怎么", "怎莫"), ("什么", "神马"),
    ("预约", "预越"), ("撤销", "撤消"), ("申请", "申情"), ("办理", "办里"), ("知道", "知到"),
    ("进度", "近度"), ("需要", "须要"), ("那个", "哪个"), ("账", "帐"), ("一下", "以下"),
    ("残疾", "残急"), ("低保", "低宝"), ("救助", "就助"), ("高龄", "高铃"), ("津贴", "津帖"),
    ("交", "教"), ("钱", "前"), ("还没", "孩没"), ("接单", "接但"), ("办结", "半结"),
    ("补正", "补证"), ("转办", "转半"), ("谢谢", "谢谢谢"), ("满意", "满易"), ("吗", "嘛"),
    ("麻烦", "麻凡"), ("代理员", "代里员"), ("时候", "时后"), ("发票", "发漂"), ("住院", "主院"),
]


def typo(s):
    cands = [(a, b) for a, b in TYPOS if a in s]
    if not cands:
        return s
    a, b = random.choice(cands)
    idx = [m.start() for m in re.finditer(re.escape(a), s)]
    i = random.choice(idx)
    return s[:i] + b + s[i + len(a):]


TRANSFORMS = [("trad", 0.24, to_trad), ("strip", 0.30, strip_punct), ("typo", 0.26, typo),
              ("space", 0.16, spaced), ("trad+strip", 0.04, lambda s: strip_punct(to_trad(s)))]


def variant(text, trad_share=None):
    """One derived surface form of `text`, or None when no transform changes it.
    trad_share: the chance that the first transform tried is a Traditional one."""
    weights = [w for _, w, _ in TRANSFORMS]
    if trad_share is not None:
        other = sum(w for (n, w, _) in TRANSFORMS if not n.startswith("trad"))
        weights = [trad_share * 0.85 if n == "trad" else trad_share * 0.15 if n == "trad+strip"
                   else (1 - trad_share) * w / other for (n, w, _) in TRANSFORMS]
    order = random.choices(TRANSFORMS, weights=weights, k=1)
    order += [t for t in TRANSFORMS if not t[0].startswith("trad")]  # fall back to the others
    order += [t for t in TRANSFORMS if t[0].startswith("trad")]
    for name, _, fn in order:
        out = fn(text)
        if out and out != text:
            return name, out
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--total", type=int, required=True, help="rows wanted in OUT")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--trad", type=float, default=None,
                    help="share of derived rows to turn Traditional (default: the table's 0.28)")
    a = ap.parse_args()
    random.seed(a.seed)
    rows = [json.loads(l) for l in open(a.src, encoding="utf-8") if l.strip()]
    seen = {r["text"] for r in rows}
    out = list(rows)
    order = list(range(len(rows)))
    random.shuffle(order)
    kinds = {}
    for i in order:
        if len(out) >= a.total:
            break
        got = variant(rows[i]["text"], a.trad)
        if not got:
            continue
        kind, text = got
        if text in seen:
            continue
        seen.add(text)
        r = dict(rows[i])
        r["text"] = text
        out.append(r)
        kinds[kind] = kinds.get(kind, 0) + 1
    with open(a.out, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("%s: %d hand-written + %d derived %s" % (a.out, len(rows), len(out) - len(rows), kinds),
          file=sys.stderr)


if __name__ == "__main__":
    main()
