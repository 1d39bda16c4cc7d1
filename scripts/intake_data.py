#!/usr/bin/env python3
"""Regenerates the data tables of the DocumentIntake module from their upstream packages.

    pip download --no-deps opencc-python-reimplemented==0.1.7 pypinyin==0.55.0 jieba==0.42.1 -d /tmp/wheels
    python3 scripts/intake_data.py /tmp/wheels

Writes into Sources/DocumentIntake/Resources:
  gbk.txt, big5.txt        code tables from Python's own codecs (one line per lead byte)
  ts-characters.txt        OpenCC TSCharacters.txt as shipped by opencc-python-reimplemented (Apache-2.0)
  ts-phrases.txt           OpenCC TSPhrases.txt, same package
  pinyin.txt               readings per character from pypinyin's pinyin_dict (MIT), GBK characters only
  lexicon.txt              2-4 character words with their frequencies from jieba's dict.txt (MIT), words
                           of GB 2312 hanzi seen at least 20 times; used only to restore a character lost
                           to mojibake
The hand-written files (clickbait.txt, furniture.txt, domain-lexicon.txt) are not touched.
"""
import json
import pathlib
import sys
import tarfile
import zipfile

OUT = pathlib.Path(__file__).resolve().parent.parent / "Sources" / "DocumentIntake" / "Resources"


def wheel(folder, prefix):
    for path in sorted(pathlib.Path(folder).glob(prefix + "-*.whl")):
        return zipfile.ZipFile(path)
    sys.exit(f"no {prefix} wheel in {folder}")


def code_table(codec, trails):
    lines = []
    for lead in range(0x81, 0xFF):
        chars = []
        for trail in trails:
            try:
                ch = bytes([lead, trail]).decode(codec)
                chars.append(ch if len(ch) == 1 else "\ufffd")
            except UnicodeDecodeError:
                chars.append("\ufffd")
        lines.append(f"{lead:02X}\t{''.join(chars)}")
    return "\n".join(lines) + "\n"


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "."
    gbk_trails = [t for t in range(0x40, 0xFF) if t != 0x7F]
    big5_trails = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
    (OUT / "gbk.txt").write_text(code_table("gbk", gbk_trails), encoding="utf-8")
    (OUT / "big5.txt").write_text(code_table("big5", big5_trails), encoding="utf-8")

    cc = wheel(folder, "opencc_python_reimplemented")
    for name, target in [("TSCharacters.txt", "ts-characters.txt"), ("TSPhrases.txt", "ts-phrases.txt")]:
        (OUT / target).write_bytes(cc.read(f"opencc/dictionary/{name}"))

    py = wheel(folder, "pypinyin")
    readings = json.loads(py.read("pypinyin/pinyin_dict.json"))
    lines = []
    for code in sorted(int(k) for k in readings):
        ch = chr(code)
        try:
            if len(ch.encode("gbk")) != 2:
                continue
        except UnicodeEncodeError:
            continue
        lines.append(f"{ch}\t{readings[str(code)]}")
    (OUT / "pinyin.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def gb2312(ch):
        try:
            b = ch.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return len(b) == 2 and 0xB0 <= b[0] <= 0xF7

    jieba = next(iter(sorted(pathlib.Path(folder).glob("jieba-*.tar.gz"))), None)
    if jieba is None:
        sys.exit(f"no jieba source archive in {folder}")
    with tarfile.open(jieba) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("jieba/dict.txt"))
        dictionary = archive.extractfile(member).read().decode("utf-8")
    words = []
    for line in dictionary.splitlines():
        word, frequency, _tag = line.split(" ")
        if 2 <= len(word) <= 4 and int(frequency) >= 20 and all(gb2312(c) for c in word):
            words.append(f"{word} {frequency}")
    words.sort()
    (OUT / "lexicon.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} readings, {len(words)} lexicon words into {OUT}")


if __name__ == "__main__":
    main()
