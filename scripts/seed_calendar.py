"""Write src/fazhi/data/calendar/national.toml from the chinesecalendar package.

chinesecalendar transcribes the State Council's yearly notice (国务院办公厅关于X年部分节假日
安排的通知). The data file it produces is what the engine reads, and what an administrator
edits; the package itself is needed only to run this script (a dev dependency).

    .venv/bin/python scripts/seed_calendar.py            # rewrite the file
    .venv/bin/python scripts/seed_calendar.py --check    # exit 1 if the file differs
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from pathlib import Path

from chinese_calendar.constants import Holiday, holidays, workdays

OUT = Path(__file__).resolve().parents[1] / "src/fazhi/data/calendar/national.toml"
NAMES = {h.value: h.chinese for h in Holiday}
# The package's short names, written as the State Council's notices do.
NAMES.update(
    {
        "Tomb-sweeping Day": "清明节",
        "Dragon Boat Festival": "端午节",
        "Mid-autumn Festival": "中秋节",
    }
)


def render() -> str:
    years = sorted({d.year for d in holidays} | {d.year for d in workdays})
    lines = [
        "# 全国法定节假日（含连休中的周末）和调休上班日，每年一节。",
        f"# 由 scripts/seed_calendar.py 从 chinesecalendar {version('chinesecalendar')} 生成，",
        "# 依据国务院办公厅每年发布的《关于X年部分节假日安排的通知》。可以手工修改或补充；",
        "# 没有列出的年份视为“尚未公布”：依赖该年的期限只按周末计算，并在结果中注明。",
        "",
    ]
    for year in years:
        lines.append(f"[{year}.holidays]")
        lines += [
            f'{d.isoformat()} = "{NAMES[name]}"'
            for d, name in sorted(holidays.items())
            if d.year == year
        ]
        lines.append(f"[{year}.workdays]  # 调休上班的周末，注明为哪个节日调休")
        lines += [
            f'{d.isoformat()} = "{NAMES[name]}"'
            for d, name in sorted(workdays.items())
            if d.year == year
        ]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = render()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        if not same:
            print(
                f"{OUT} 与 chinesecalendar 不一致，请运行 scripts/seed_calendar.py。",
                file=sys.stderr,
            )
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"已写入 {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
