"""The message catalogue (project/locale): regenerate it, and say whether it is stale."""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from project.i18n_lint.common import LOCALE, ROOT, SCRIPTS

# `make messages`: one catalogue for the whole project (project/locale), in two gettext
# domains: django (Python and templates) and djangojs (the scripts in static/js, sent to the
# browser by /jsi18n/). For each, the source strings in <domain>.pot, and every language
# there (`--all`; `makemessages -l cy` starts a new one) in <language>/LC_MESSAGES/<domain>.po.
# File names without line numbers in the references: moving a line changes nothing.
MAKEMESSAGES = [
    "makemessages",
    "--all",
    "--keep-pot",
    "--add-location=file",
    "--no-wrap",
    "--ignore=.*",
    "--ignore=tests",
    "--ignore=benchmarks",
    "--ignore=staticfiles",
    "--ignore=docs",
]
# Where each domain does not look, besides the above: the django domain reads no scripts,
# and the djangojs domain only our own (static/vendor is other projects' code).
DOMAINS = {"django": ["--ignore=static"], "djangojs": ["--ignore=static/vendor"]}


def msgids(catalogue: str) -> set[tuple[str, ...]]:
    """The messages of a .po/.pot file's text as (msgctxt, msgid, msgid_plural), without
    the header and obsolete (#~) entries."""
    entries: set[tuple[str, ...]] = set()
    entry: dict[str, str] = {}
    key = ""

    def finish() -> None:
        if entry.get("msgid"):
            entries.add((entry.get("msgctxt", ""), entry["msgid"], entry.get("msgid_plural", "")))
        entry.clear()

    for line in catalogue.splitlines():
        line = line.strip()
        keyword = line.split(" ", 1)[0]
        if keyword in {"msgctxt", "msgid", "msgid_plural"}:
            if keyword == "msgctxt" or (keyword == "msgid" and set(entry) != {"msgctxt"}):
                finish()  # a new entry (a msgid after its own msgctxt is the same one)
            key = keyword
            entry[key] = _unquote(line[len(keyword) :].strip())
        elif line.startswith('"') and key:
            entry[key] += _unquote(line)
        elif line.startswith("msgstr"):
            key = ""
    finish()
    return entries


def _unquote(quoted: str) -> str:
    """A .po string's contents (escapes kept as written: both sides are xgettext's)."""
    return quoted[1:-1] if len(quoted) >= 2 else ""


def run_makemessages(root: Path) -> None:
    """Regenerate root/project/locale, both domains, with the settings of the code in root."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": str(root)}
    # The settings refuse to load without a key; makemessages signs nothing with it.
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    for domain, ignored in DOMAINS.items():
        subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "manage.py", *MAKEMESSAGES, *ignored, f"--domain={domain}"],
            cwd=root,
            check=True,
            env=env,
        )


def _copied(root: Path) -> Callable[[str, list[str]], set[str]]:
    """What fresh_pots leaves out of its copy: whatever makemessages does not read, and the
    committed catalogue; of static/, only our own scripts (static/js) are kept."""
    skipped = shutil.ignore_patterns(
        ".*",
        "__pycache__",
        "*.sqlite3*",
        "staticfiles",
        "tests",
        "locale",
        "test-artifacts",
        "bench-results",
    )

    def ignore(directory: str, names: list[str]) -> set[str]:
        left_out = set(skipped(directory, names))
        if Path(directory) == root / "static":
            left_out |= {name for name in names if name != SCRIPTS.name}
        return left_out

    return ignore


def fresh_pots(root: Path = ROOT) -> dict[str, str]:
    """Each domain's source catalogue as `make messages` would make it now, made in a copy of
    the code so the committed one is not touched."""
    with tempfile.TemporaryDirectory(prefix="comhla-messages-") as tmp:
        copy = Path(tmp) / "code"
        shutil.copytree(root, copy, ignore=_copied(root))
        run_makemessages(copy)
        locale = copy / LOCALE.relative_to(ROOT)
        return {
            domain: (locale / f"{domain}.pot").read_text(encoding="utf-8") for domain in DOMAINS
        }


def check_catalogue(root: Path = ROOT) -> list[str]:
    """What is stale in root/project/locale: each domain's source catalogue against a fresh
    one, and each language's catalogue against the source catalogue of its domain."""
    locale = root / LOCALE.relative_to(ROOT)
    languages = sorted(path.parent for path in locale.glob("*/LC_MESSAGES"))
    fresh = fresh_pots(root)
    problems = []
    for domain in DOMAINS:
        pot = locale / f"{domain}.pot"
        if not pot.exists():
            problems.append(f"{pot.relative_to(root)} is missing: run `make messages`")
            continue
        committed = msgids(pot.read_text(encoding="utf-8"))
        made = msgids(fresh[domain])
        problems += [
            f"{pot.relative_to(root)} lacks {entry[1]!r}: run `make messages`"
            for entry in sorted(made - committed)
        ] + [
            f"{pot.relative_to(root)} still has {entry[1]!r}, no longer used: run `make messages`"
            for entry in sorted(committed - made)
        ]
        for language in languages:
            po = language / "LC_MESSAGES" / f"{domain}.po"
            if not po.exists():
                problems.append(f"{po.relative_to(root)} is missing: run `make messages`")
            elif msgids(po.read_text(encoding="utf-8")) != committed:
                problems.append(
                    f"{po.relative_to(root)} does not match {pot.name}: run `make messages`"
                )
    return problems
