"""Start-up stays light: heavy libraries load only when a command needs them.

Each case runs in a fresh interpreter, since this test process has long
imported everything, and reads which modules ended up in `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import SEEDS

# Each of these costs 0.05 s to 0.6 s to import and serves one format, output or check.
HEAVY = ("datasketch", "scipy", "numpy", "openpyxl", "pypdf", "docx", "cn2an")
# Further libraries a plain UTF-8 text file analysed to JSON never needs.
NOT_FOR_TEXT = ("lxml", "charset_normalizer", "rich", "opencc")

_REPORT = """
import contextlib, io, json, sys
{run}
names = {names!r}
print(json.dumps(sorted(n for n in names if n in sys.modules)))
"""


def loaded(run: str, names: tuple[str, ...]) -> list[str]:
    """Which of `names` a fresh interpreter has imported after executing `run`."""
    done = subprocess.run(
        [sys.executable, "-c", _REPORT.format(run=run, names=names)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: list[str] = json.loads(done.stdout.splitlines()[-1])
    return result


def main_quietly(*argv: str) -> str:
    return (
        "from fazhi.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    code = main({list(argv)!r})\n"
        "assert code in (0, 1), code\n"
    )


def test_importing_the_command_loads_no_heavy_library():
    assert loaded("import fazhi.cli", HEAVY) == []


def test_the_rule_list_loads_no_heavy_library():
    # Printing the table needs rich, and nothing else of the list.
    assert loaded(main_quietly("rules"), HEAVY) == []
    assert loaded(main_quietly("rules", "copy-paste"), HEAVY) == []


def test_help_loads_no_heavy_library():
    run = (
        "from fazhi.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
    )
    assert loaded(run, (*HEAVY, "rich")) == []


def test_one_text_report_to_json_loads_neither_loaders_nor_batch_libraries():
    path = next(SEEDS.glob("002_*.txt"))
    run = main_quietly("analyze", str(path), "--json")
    skipped = ("datasketch", "scipy", "openpyxl", "pypdf", "docx", *NOT_FOR_TEXT)
    assert loaded(run, skipped) == []


@pytest.mark.parametrize("name", ["numpy", "rich"])
def test_the_check_sees_a_library_that_is_loaded(name):
    # The two cases above would pass vacuously if the report never saw a module.
    run = main_quietly("analyze", *map(str, sorted(SEEDS.glob("00[12]_*.txt"))))
    assert loaded(run, (name,)) == [name]


def test_the_deadline_command_loads_no_heavy_library():
    assert loaded(main_quietly("deadline", "2024-09-27", "20"), (*HEAVY, "rich")) == []
