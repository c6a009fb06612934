#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets into tests/fuzz/corpus/<target>/ (small, realistic
inputs; the files are committed, this script only says where they came from). Run it again after
changing the seeds; it never removes files (crash inputs added by hand stay)."""
import base64, hashlib, json, os, struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- agent commands --------------------------------------------------------------------------
agent = ["接单 12", "接单12", "#接单 #12", "补正 12 发票 看不清", "补正12 发票，看不清",
         "通过 12 发票", "答复 5：明天上午九点来村委会", "答复 12 已经请村里重新公示，欢迎监督",
         "@代办助手 待办", "@代办助手\u2005接单 7", "待办", "统计", "办结 DEMO-20261122-0012",
         "退回 3 材料不全", "进度 2", "发起收缴 土地保险 截止12月20日 每亩5.73元",
         "\u3000接单\u300012", "接单 1234567890", "接单 12:好的", "答复 #8: 已转交镇民政办",
         "我想问一下低保怎么申请"]
for i, s in enumerate(agent):
    put("fuzz_agent_command", f"seed_{i:02d}", s)

# ---- NLU: byte 0 = pending question kind (9 = none), byte 1 = its intent, then the text -------
NONE = 9
nlu = [(NONE, 0, "我想申请低保需要带什么材料"),
       (NONE, 0, "我想申請低保需要帶什麼材料"),  # Traditional
       (NONE, 0, "明天上午十点能去镇上办医保吗"),
       (NONE, 0, "我家老人医保报销怎么弄 要带啥 下周三有空"),  # voice-style, no punctuation
       (NONE, 0, "张家村的路灯坏了好几天了"),
       (NONE, 0, "孩子上学要开证明去哪里开"),
       (NONE, 0, "12号案子进度怎么样了"),
       (NONE, 0, "不用了谢谢"),
       (NONE, 0, "土地保险每亩5.73元怎么交"),
       (NONE, 0, "后天下午三点半"),
       (NONE, 0, "春节前能办好吗"),
       (NONE, 0, "身份证号110101199003074514 电话13800138000"),
       (NONE, 0, "接单 12"),
       (NONE, 0, "补正 12 发票 看不清"),
       (NONE, 0, "答复 5：明天上午九点来村委会"),
       (NONE, 0, "有人在吗？？？"),
       (NONE, 0, "😊👍"),
       (3, 2, "好的"),     # confirm
       (2, 0, "2"),        # choice
       (1, 2, "下周一上午"),  # date
       (6, 0, "五星 很满意"),  # rating
       (0, 0, "医疗救助"),  # service
       (4, 0, "李家湾"),    # village
       ]
for i, (k, intent, s) in enumerate(nlu):
    put("fuzz_nlu_parse", f"seed_{i:02d}", bytes([k, intent]) + s.encode())
put("fuzz_nlu_parse", "seed_invalid_utf8", bytes([NONE, 0]) + "我想".encode() + b"\xe4\xbd\xff\xc0\xaf" + "低保".encode())
put("fuzz_nlu_parse", "seed_cut_tail", bytes([NONE, 0]) + "明天办".encode()[:-1])

# ---- JSON hook ---------------------------------------------------------------------------------
def hook(type_, **extra):
    b = {"id": "m1", "time": 1795483800, "chat": {"type": "private", "id": "u1"},
         "from": {"id": "u1", "name": "王大爷"}, "type": type_}
    b.update(extra)
    return json.dumps(b, ensure_ascii=False)

hooks = [hook("text", text="我想申请低保"),
         hook("text", text="接单 12", chat={"type": "group", "id": "g1"}, mentions_bot=True),
         hook("image", media={"url": "https://example.com/a.jpg", "mime": "image/jpeg"}),
         hook("file", media={"data": base64.b64encode(b"%PDF-1.4 hello").decode(), "name": "发票.pdf"}),
         hook("voice", text="明天去办", media={"url": "http://example.com/v.amr"}),
         hook("location", location={"lat": 30.25, "lng": 120.17, "label": "村委会"}),
         hook("event", event={"name": "menu", "key": "CASE_NEW"}),
         hook("text", text="\\u4f4e\\u4fdd"),
         '{"id":"m2","time":1,"chat":{"type":"group","id":"g"},"from":{"id":"a"},"type":"text","text":"x"}',
         "[]", "{}", '{"id":""}']
for i, s in enumerate(hooks):
    put("fuzz_json_hook", f"seed_{i:02d}", s)

# ---- WeChat / WeCom XML ------------------------------------------------------------------------
def oa(fields, msg_id="6054768590064713728"):
    x = ("<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
         "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>"
         "<CreateTime>1409735668</CreateTime>" + fields)
    if msg_id:
        x += f"<MsgId>{msg_id}</MsgId>"
    return x + "</xml>"

xml = [oa("<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我想申请低保]]></Content>"),
       oa("<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl><MediaId><![CDATA[media_id]]></MediaId>"),
       oa("<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[明天去镇上办医保]]></Recognition>"),
       oa("<MsgType><![CDATA[location]]></MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label>"),
       oa("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[CASE_NEW]]></EventKey>", ""),
       oa("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>", ""),
       oa("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200163836</MsgID><Status><![CDATA[success]]></Status>", ""),
       ("<xml><ToUserName><![CDATA[gh_e136c6e50636]]></ToUserName>\n"
        "<FromUserName><![CDATA[oMgHVjngRipVsoxg6TuX3vz6glDg]]></FromUserName>\n"
        "<CreateTime>1408090502</CreateTime><MsgType><![CDATA[event]]></MsgType>\n"
        "<Event><![CDATA[scancode_push]]></Event><EventKey><![CDATA[6]]></EventKey>\n"
        "<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>"
        "<ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>\n</xml>"),
       ("<xml>\n  <ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
        "  <FromUserName><![CDATA[mycreate]]></FromUserName>\n"
        "  <CreateTime>1409659813</CreateTime>\n  <MsgType><![CDATA[text]]></MsgType>\n"
        "  <Content><![CDATA[hello]]></Content>\n  <MsgId>4561255354251345929</MsgId>\n"
        "  <AgentID>218</AgentID>\n</xml>"),
       ("<xml><ToUserName>ww1</ToUserName><FromUserName>lisi</FromUserName>"
        "<CreateTime>1</CreateTime><MsgType>event</MsgType><Event>click</Event>"
        "<EventKey>AGENT_LIST</EventKey><AgentID>1000002</AgentID></xml>"),
       "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>",
       "<xml><A>a &amp; b &#x4f4e;&#20445;</A></xml>",
       "<xml><A><![CDATA[a]]]]><![CDATA[>b]]></A></xml>",
       "<xml><!-- c --><A>v</A><B>x\r\ny</B></xml>",
       "<?xml version=\"1.0\"?><xml><A x=\"1\">v</A></xml>",
       "<!DOCTYPE x [<!ENTITY a \"b\">]><xml><A>&a;</A></xml>",
       ]
for i, s in enumerate(xml):
    put("fuzz_wechat_xml", f"seed_{i:02d}", s)

# ---- crypto: byte 0 selects the mode (fuzz_wechat_crypto.cpp) ----------------------------------
vectors = json.load(open(os.path.join(ROOT, "tests", "data", "wechat_vectors.json")))
n = 0
def cput(mode, payload):
    global n
    put("fuzz_wechat_crypto", f"seed_{n:02d}_mode{mode}", bytes([mode]) + payload)
    n += 1

cput(0, b"SGVsbG8sIHdvcmxkIQ==")
cput(0, base64.b64encode("我是中文abcd123".encode() * 5))
cput(0, b"AAAA====")
for v in vectors["decrypt"]:
    if v["aes_key"].startswith("abcdefghij"):  # the key the target uses
        cput(1, v["encrypt"].encode())
cput(1, b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
cput(2, b"0123456789abcdef" + "<xml><Content><![CDATA[你好]]></Content></xml>".encode())
cput(2, b"rrrrrrrrrrrrrrrr")
for s in vectors["signatures"][:3]:
    p = s["parts"] + [""] * (4 - len(s["parts"]))
    cput(3, f"{p[1]}\n{p[2]}\n{s['sha1']}\n{p[3]}".encode())
cput(4, b"1409304348\n" + struct.pack(">Q", 1409304300)[3:] + bytes([5]))
cput(4, b"99999999999\n\x00\x00\x00\x00\x00")
cput(5, b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\nhello")
cput(5, b"jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C\n")

# Regressions: numbers far beyond int where a date is read (bot/nlu/dates.cpp converted them to
# int: undefined behaviour, found by fuzz_nlu_parse at start-up on the training data).
for name, s in [("regress_big_number_day", "13812345678号来办"),
                ("regress_big_number_month", "99999999999月"),
                ("regress_inf_number", "1" + "0" * 400 + "天后"),
                ("regress_big_relative", "5000000年后")]:
    put("fuzz_nlu_parse", name, bytes([NONE, 0]) + s.encode())
