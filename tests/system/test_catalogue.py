"""The message catalogue: `src/amity/locale/messages.pot` holds every string the code and the
templates mark for translation (regenerate it with the command in babel.cfg when this fails),
and every one of them has a Chinese translation in a catalogue under locale/zh."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from amity.core import i18n

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "pybabel extract -F babel.cfg -o src/amity/locale/messages.pot src/amity"


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _extracted(tmp_path: Path) -> set[str]:
    target = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F", "babel.cfg",
         "-o", str(target), "src/amity"],
        cwd=ROOT, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    with target.open("rb") as handle:
        return _ids(read_po(handle))


def test_the_template_is_current(tmp_path):
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as handle:
        committed = _ids(read_po(handle))
    extracted = _extracted(tmp_path)
    assert extracted - committed == set(), f"new strings: run `{REGENERATE}`"
    assert committed - extracted == set(), f"strings gone: run `{REGENERATE}`"


def test_every_string_has_a_chinese_translation(tmp_path):
    translated: set[str] = set()
    for path in sorted((i18n.LOCALE_DIR / "zh" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            translated |= {
                m.id if isinstance(m.id, str) else m.id[0]
                for m in read_po(handle, locale="zh")
                if m.id and m.string and (m.string if isinstance(m.string, str) else m.string[0])
            }
    missing = sorted(_extracted(tmp_path) - translated)
    assert missing == [], f"{len(missing)} strings without a Chinese translation: {missing[:10]}"
