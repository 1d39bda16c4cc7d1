"""Finds the functions of Swift sources, for scripts/check_layout.py and scripts/function_lengths.py."""
import pathlib
import re

FUNC_RE = re.compile(
    r"^(\s*)(?:@\w+\s+)*(?:(?:public|private|fileprivate|internal|static|final|override|mutating|nonisolated)\s+)*"
    r"func\s+([^\s(<]+)")
TYPE_RE = re.compile(r"^(?:public\s+|final\s+)*(?:struct|enum|extension|class)\s+(\w+)")


def functions(root):
    """Every function under `root`: (path, line, "Type.name", length in lines). A function runs from
    its `func` line to the brace that closes it (string literals with braces are rare enough here)."""
    for path in sorted(pathlib.Path(root).rglob("*.swift")):
        lines = path.read_text(encoding="utf-8").split("\n")
        owner = path.stem
        for i, line in enumerate(lines):
            t = TYPE_RE.match(line)
            if t:
                owner = t.group(1)
            m = FUNC_RE.match(line)
            if not m:
                continue
            depth, opened = 0, False
            for j in range(i, len(lines)):
                depth += lines[j].count("{") - lines[j].count("}")
                opened = opened or "{" in lines[j]
                if opened and depth <= 0:
                    yield path, i + 1, f"{owner}.{m.group(2)}", j - i + 1
                    break
