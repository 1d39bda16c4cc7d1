#!/usr/bin/env python3
"""Builds the intake test corpus: damaged copies of the project's own clean texts.

    pip install opencc==1.4.2        # Simplified → Traditional, as content farms do
    python3 scripts/intake_corpus.py [--source DIR --out DIR]

Reads Tests/IntakeCorpus/source/*.txt — clean Simplified announcements written for this project, the
first line the headline, each figure marked as {45个} — and writes into Tests/IntakeCorpus/generated:

  NAME.clean.txt      the text without the markup (what a perfect repair gives back)
  NAME.figures.json   the marked figures, in order (the gold standard for extraction)
  NAME.damaged.html   or .txt: the same text damaged the way content farms damage pages:
                      Traditional script; pinyin after about a quarter of the characters; ASCII in place
                      of some full-width marks; a clickbait prefix on the headline; one or two GBK
                      byte misalignments (the lost lead byte left as '?'); page furniture (navigation,
                      scripts, "related news" lists, copyright and editor lines) around the article
  NAME.damage.json    which damage was applied where, for reading test failures
and, for the decoding tests, decoding/NAME.gbk.txt and decoding/NAME.big5.txt (the Traditional text
in those encodings; Taiwan forms for Big5).

Output is deterministic: the random generator is seeded from each file's name.
"""
import json
import pathlib
import random
import re
import zlib

import opencc

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "Tests" / "IntakeCorpus" / "source"
OUT = ROOT / "Tests" / "IntakeCorpus" / "generated"
READINGS = {}
for line in (ROOT / "Sources" / "DocumentIntake" / "Resources" / "pinyin.txt").read_text(encoding="utf-8").splitlines():
    ch, readings = line.split("\t")
    READINGS[ch] = readings.split(",")

CLICKBAIT = ["天天短訊!", "全球信息:", "每日熱議!", "世界速看:", "環球資訊:", "熱頭條丨", "焦點快訊：", "今日熱點!"]
ASCII = {"，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"}
RELATED = ["集群發展促進機構座談會召開", "多地出臺製造業高質量發展新政", "工業互聯網平臺賦能中小企業", "專家解讀集群培育新路徑"]


def is_han(ch):
    return "\u4e00" <= ch <= "\u9fff"


def pinyin(text, rng, rate=0.25):
    out = []
    for ch in text:
        out.append(ch)
        if is_han(ch) and ch in READINGS and rng.random() < rate:
            out.append(f"({READINGS[ch][0]})")
    return "".join(out)


def ascii_marks(text, rng, rate=0.6):
    return "".join(ASCII[ch] if ch in ASCII and rng.random() < rate else ch for ch in text)


def misalign(text, rng, count):
    """Loses the lead byte of `count` Han characters, leaving '?', and decodes the rest as GBK."""
    done = []
    for _ in range(count):
        for _attempt in range(50):
            positions = [i for i, ch in enumerate(text) if is_han(ch) and i > 20]
            i = rng.choice(positions)
            raw = bytearray(text[:i].encode("gbk"))
            start = len(raw)
            raw += text[i:].encode("gbk")
            raw[start] = ord("?")
            try:
                damaged = raw.decode("gbk")
            except UnicodeDecodeError:
                continue
            if "\ufffd" in damaged:
                continue
            done.append({"offset": i, "character": text[i]})
            text = damaged
            break
    return text, done


def page_html(headline, paragraphs, rng):
    items = "".join(f'<li><a href="/news/{rng.randint(1000, 9999)}.html">{t}</a></li>' for t in rng.sample(RELATED, 3))
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{headline}_製造資訊網</title>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
<style>.nav {{ color: #333; }}</style></head>
<body>
<nav class="nav"><a href="/">首頁</a> | <a href="/news">新聞</a> | <a href="/policy">政策</a></nav>
<div class="crumb">當前位置：首頁 &gt; 產業 &gt; 正文</div>
<article>
<h1>{headline}</h1>
<div class="meta">來源：製造資訊網&nbsp;&nbsp;分享到：微信 微博</div>
{body}
</article>
<div class="related"><h3>相關新聞</h3><ul>{items}</ul></div>
<footer>Copyright &copy; 2025 製造資訊網 版權所有 京ICP備00000000號</footer>
</body></html>
"""


def page_text(headline, paragraphs, rng):
    lines = [headline] + paragraphs + ["責任編輯：張華", "相關新聞"] + rng.sample(RELATED, 2) + ["版權所有 製造資訊網"]
    return "\n".join(lines) + "\n"


def main():
    global SOURCE, OUT
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(SOURCE), help="folder of clean marked texts")
    parser.add_argument("--out", default=str(OUT), help="folder to write the damaged corpus into")
    args = parser.parse_args()
    SOURCE, OUT = pathlib.Path(args.source), pathlib.Path(args.out)
    to_traditional = opencc.OpenCC("s2t")
    to_taiwan = opencc.OpenCC("s2tw")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "decoding").mkdir(exist_ok=True)
    for source in sorted(SOURCE.glob("*.txt")):
        name = source.stem
        rng = random.Random(zlib.crc32(name.encode()))
        marked = source.read_text(encoding="utf-8").strip("\n")
        figures = re.findall(r"\{([^}]+)\}", marked)
        clean = marked.replace("{", "").replace("}", "")
        (OUT / f"{name}.clean.txt").write_text(clean + "\n", encoding="utf-8")
        (OUT / f"{name}.figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

        traditional = to_traditional.convert(clean)
        headline, *paragraphs = traditional.split("\n")
        headline = rng.choice(CLICKBAIT) + headline
        headline = ascii_marks(pinyin(headline, rng), rng)
        body = ascii_marks(pinyin("\n".join(paragraphs), rng), rng)
        body, lost = misalign(body, rng, 1 + (rng.random() < 0.5))
        paragraphs = body.split("\n")
        as_html = rng.random() < 0.6
        page = page_html(headline, paragraphs, rng) if as_html else page_text(headline, paragraphs, rng)
        suffix = "html" if as_html else "txt"
        for old in OUT.glob(f"{name}.damaged.*"):
            old.unlink()
        (OUT / f"{name}.damaged.{suffix}").write_text(page, encoding="utf-8")
        (OUT / f"{name}.damage.json").write_text(json.dumps({"misaligned": lost, "format": suffix}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (OUT / "decoding" / f"{name}.gbk.txt").write_bytes(traditional.encode("gbk"))
        # Big5 lacks some of OpenCC's standard forms (羣); the Taiwan forms fit it.
        (OUT / "decoding" / f"{name}.big5.txt").write_bytes(to_taiwan.convert(clean).encode("big5"))
    print(f"wrote {len(list(SOURCE.glob('*.txt')))} documents into {OUT}")


if __name__ == "__main__":
    main()
