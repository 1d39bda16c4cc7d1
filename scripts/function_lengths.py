#!/usr/bin/env python3
"""Lists Swift functions longer than a limit (default 60 lines), longest first.

A function runs from its `func` line to the closing brace at the same indentation. Used to keep
the limit in docs/ARCHITECTURE.md true: `python3 scripts/function_lengths.py Sources`.
"""
import pathlib
import re
import sys

LIMIT = int(sys.argv[2]) if len(sys.argv) > 2 else 60
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "Sources")
found = []
for path in sorted(root.rglob("*.swift")):
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)(?:@\w+\s+)*(?:(?:public|private|fileprivate|internal|static|final|override|mutating|nonisolated)\s+)*func\s+([^\s(<]+)", line)
        if not m:
            continue
        # Count braces from the declaration on (string literals with braces are rare enough here).
        depth, opened = 0, False
        for j in range(i, len(lines)):
            depth += lines[j].count("{") - lines[j].count("}")
            opened = opened or "{" in lines[j]
            if opened and depth <= 0:
                length = j - i + 1
                if length > LIMIT:
                    found.append((length, f"{path}:{i + 1}", m.group(2)))
                break
for length, where, name in sorted(found, reverse=True):
    print(f"{length:4d}  {where}  {name}")
print(f"{len(found)} functions over {LIMIT} lines", file=sys.stderr)
