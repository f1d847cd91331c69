"""``python -m ipops.web.catalogues update``: refresh the web UI's message catalogues.

Adds every new msgid of the templates and the code to both ``messages.po`` files, drops
unused ones, fills the English msgstrs (msgids are English) and lists what still needs a
Chinese translation.
"""

from __future__ import annotations

import sys

from ipops.web.i18n import update_catalogues


def main(argv: list[str]) -> int:
    if argv != ["update"]:
        sys.stderr.write("usage: python -m ipops.web.catalogues update\n")
        return 2
    for locale, msgids in update_catalogues().items():
        sys.stdout.write(f"{locale}: {len(msgids)} untranslated\n")
        for msgid in msgids:
            sys.stdout.write(f"  {msgid}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
