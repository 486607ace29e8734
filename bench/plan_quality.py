"""Precision and recall of the plan quality rules on the hand-labelled corpus, written into docs/plan-quality.md.

    .venv/bin/python bench/plan_quality.py          # rewrite the tables between the <!-- plan_quality --> markers
    .venv/bin/python bench/plan_quality.py --print  # only print them

No database: the rules are plain Python (casefile/rules/plan_checks.py), the corpus is
casefile/rules/tests/plan_action_corpus.py and the scoring casefile/rules/tests/plan_scores.py.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casefile.rules.tests import plan_scores  # noqa: E402
from casefile.rules.tests.plan_action_corpus import CORPUS, HELD_OUT  # noqa: E402

DOC = ROOT / "docs" / "plan-quality.md"
MARKER = "plan_quality"


def tables() -> str:
    mistakes = "\n".join(f"- ‘{row.description or '(empty)'}’ / ‘{row.owner}’ / ‘{row.measure}’: labelled "
                         f"{' '.join(sorted(row.codes)) or 'good'}, flagged {' '.join(sorted(got)) or 'nothing'}"
                         for corpus in (CORPUS, HELD_OUT) for row, got in plan_scores.mistakes(corpus))
    return (f"### Main corpus (written first; the rules were then improved on it)\n\n"
            f"{plan_scores.markdown_table(CORPUS)}\n\n"
            f"### Held-out set (written later; never used to tune the rules)\n\n"
            f"{plan_scores.markdown_table(HELD_OUT)}\n\n"
            f"### Where the rules and the labels disagree\n\n{mistakes or '- nowhere'}")


def write(body: str) -> None:
    text = DOC.read_text()
    block = f"<!-- {MARKER} -->\n{body.strip()}\n<!-- /{MARKER} -->"
    pattern = re.compile(rf"<!-- {MARKER} -->.*?<!-- /{MARKER} -->", re.S)
    DOC.write_text(pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--print", action="store_true", help="print the tables instead of writing them")
    body = tables()
    if parser.parse_args().print:
        print(body)
    else:
        write(body)
        print(f"Wrote the tables into {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
