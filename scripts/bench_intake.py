#!/usr/bin/env python3
"""Document intake benchmark: repair quality, figure extraction, and throughput beside OpenCC.

    pip install opencc                      # the PyPI package, for the comparison
    swift build -c release --product intake-bench
    python3 scripts/bench_intake.py [--binary .build/release/intake-bench] [--megabytes 24]

Runs intake-bench on Tests/IntakeCorpus/generated (character accuracy of the repaired text against
the clean originals, precision and recall of the extracted figures against the marked ones, and the
time to repair the damaged pages repeated to N MB), then times OpenCC's t2s conversion of the very
same bytes in this process. Prints both, and each goal with its measured value.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "intake-bench"))
    parser.add_argument("--megabytes", type=float, default=24)
    parser.add_argument("--corpus", default=str(ROOT / "Tests" / "IntakeCorpus" / "generated"))
    args = parser.parse_args()
    try:
        import opencc
    except ImportError:
        sys.exit("the comparison needs OpenCC: pip install opencc")

    with tempfile.TemporaryDirectory() as folder:
        text_path = pathlib.Path(folder) / "input.txt"
        run = subprocess.run([args.binary, args.corpus, "--megabytes", str(args.megabytes), "--write-text", str(text_path)],
                             check=True, capture_output=True, text=True)
        result = json.loads(run.stdout)
        text = text_path.read_text(encoding="utf-8")

    converter = opencc.OpenCC("t2s")
    converter.convert(text[:10000])
    start = time.perf_counter()
    converter.convert(text)
    opencc_seconds = time.perf_counter() - start
    size = len(text.encode("utf-8"))

    print(f"corpus: {result['documents']} documents, {result['characters']} characters of clean text")
    for row in result["per_document"]:
        print(f"  {row['document']:<24} edits {row['edit_distance']:>3} / {row['length']:>4} chars   "
              f"figures {row['figures_correct']:>2} right of {row['figures_found']:>2} found, {row['figures_marked']:>2} marked")
    goals = [
        ("character accuracy", result["character_accuracy"], 0.995, "{:.4%}"),
        ("figure precision", result["figure_precision"], 0.98, "{:.4f}"),
        ("figure recall", result["figure_recall"], 0.95, "{:.4f}"),
        ("repair pipeline MB/s", result["repair_mb_per_s"], 20.0, "{:.1f}"),
    ]
    print()
    for name, value, goal, fmt in goals:
        verdict = "meets" if value >= goal else "MISSES"
        print(f"{name:<24} {fmt.format(value):>10}   goal >= {fmt.format(goal)}  {verdict}")
    print()
    print(f"throughput on the same {size / 1e6:.1f} MB of damaged pages:")
    print(f"  ClusterLadder repair (all six steps)   {result['repair_mb_per_s']:8.1f} MB/s   ({result['repair_seconds']:.3f} s, {result['repairs_reported']} repairs reported)")
    print(f"  ClusterLadder intake (repair + figures, names, reconciliation) {result['intake_mb_per_s']:8.1f} MB/s   ({result['intake_seconds']:.3f} s)")
    print(f"  OpenCC t2s (Traditional to Simplified only) {size / opencc_seconds / 1e6:8.1f} MB/s   ({opencc_seconds:.3f} s)")
    steps = result.get("step_seconds", {})
    print("  per step: " + ", ".join(f"{k} {v:.3f} s" for k, v in steps.items() if not k.startswith("baseline") and k != "scalars"))
    return 0 if all(value >= goal for _, value, goal, _ in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
