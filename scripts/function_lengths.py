#!/usr/bin/env python3
"""Lists Swift functions longer than a limit (default 60 lines), longest first.

A function runs from its `func` line to the closing brace at the same indentation. Used to keep
the limit in docs/ARCHITECTURE.md true: `python3 scripts/function_lengths.py Sources`.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from swift_functions import functions  # noqa: E402

LIMIT = int(sys.argv[2]) if len(sys.argv) > 2 else 60
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "Sources")
found = [(length, f"{path}:{line}", name.split(".", 1)[1]) for path, line, name, length in functions(root) if length > LIMIT]
for length, where, name in sorted(found, reverse=True):
    print(f"{length:4d}  {where}  {name}")
print(f"{len(found)} functions over {LIMIT} lines", file=sys.stderr)
