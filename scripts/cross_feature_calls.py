#!/usr/bin/env python3
"""Lists calls from one feature (or a command) into another feature's controller.

A controller holds HTTP handlers; features share code through services, stores and the domain.
Prints one line per call and exits 1 when there is any."""
import pathlib, re, sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "Sources/App")
owner = {}
for path in root.rglob("*.swift"):
    for m in re.finditer(r"^(?:struct|enum|final class|class|extension) ([A-Z]\w*Controller)\b", path.read_text(), re.M):
        parts = path.relative_to(root).parts
        if parts[0] == "Features":
            owner.setdefault(m.group(1), parts[1])
found = 0
for path in sorted(root.rglob("*.swift")):
    parts = path.relative_to(root).parts
    here = parts[1] if parts[0] == "Features" else parts[0]
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("//", 1)[0]
        for name in re.findall(r"\b([A-Z]\w*Controller)\.[a-z]\w*", line):
            if name in owner and owner[name] != here:
                print(f"{path}:{n}: {here} -> {owner[name]} ({name})")
                found += 1
print(f"{found} calls across features", file=sys.stderr)
sys.exit(1 if found else 0)
