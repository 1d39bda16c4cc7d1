#!/usr/bin/env python3
"""Checks the layout rules of docs/ARCHITECTURE.md over Sources/; prints each breach, exits 1 on any.

1. No Swift file is over 400 lines.
2. A function over 60 lines is a view builder named in the "Sizes" section of docs/ARCHITECTURE.md
   (as `Type.function`).
3. No service file (`Features/*/*Service.swift`) mentions `Request`: services never see HTTP.
4. No feature (nor a command) calls another feature's controller: features share services, stores
   and the domain, never HTTP handlers.

Usage: python3 scripts/check_layout.py   (from the repository's root)
"""
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from swift_functions import functions  # noqa: E402

ROOT = pathlib.Path("Sources")
APP = ROOT / "App"
MAX_FILE, MAX_FUNCTION = 400, 60
breaches = []

# 1. file lengths
for path in sorted(ROOT.rglob("*.swift")):
    n = path.read_text(encoding="utf-8").count("\n")
    if n > MAX_FILE:
        breaches.append(f"{path}: {n} lines (at most {MAX_FILE})")

# 2. long functions: only the view builders the architecture lists
sizes = pathlib.Path("docs/ARCHITECTURE.md").read_text(encoding="utf-8").split("## Sizes", 1)[-1]
sizes = sizes.split("\n## ", 1)[0]
listed = set(re.findall(r"`(\w+\.\w+)`", sizes))
for path, line, name, length in functions(ROOT):
    if length > MAX_FUNCTION and name not in listed:
        breaches.append(
            f"{path}:{line}: {name} has {length} lines (at most {MAX_FUNCTION}, "
            "unless a view builder listed under Sizes in docs/ARCHITECTURE.md)")

# 3. services never see a request
for path in sorted(APP.glob("Features/*/*Service.swift")):
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if re.search(r"\bRequest\b", line.split("//", 1)[0]):
            breaches.append(f"{path}:{n}: a service mentions Request")

# 4. no calls into another feature's controller
owner_of = {}
for path in APP.rglob("*.swift"):
    parts = path.relative_to(APP).parts
    if parts[0] != "Features":
        continue
    for m in re.finditer(r"^(?:struct|enum|final class|class|extension) (\w+Controller)\b", path.read_text(), re.M):
        owner_of.setdefault(m.group(1), parts[1])
for path in sorted(APP.rglob("*.swift")):
    parts = path.relative_to(APP).parts
    here = parts[1] if parts[0] == "Features" else parts[0]
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        for name in re.findall(r"\b(\w+Controller)\.[a-z]\w*", line.split("//", 1)[0]):
            if name in owner_of and owner_of[name] != here:
                breaches.append(f"{path}:{n}: {here} calls {owner_of[name]}'s {name}")

for b in breaches:
    print(b)
print(f"layout: {len(breaches)} breaches", file=sys.stderr)
sys.exit(1 if breaches else 0)
