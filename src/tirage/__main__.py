"""The ``tirage`` console command.

``tirage sortition …`` runs the sortition engine's CLI without importing Django,
so that anyone can verify a public draw with the base install. Every other
sub-command is a Django management command (``tirage demo``, ``tirage migrate``…).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "sortition":
        # Function-level: the engine's command runs without Django (``pip install tirage``).
        from tirage.sortition.cli import main as sortition_main

        return sortition_main(argv[2:])
    try:
        from django.core.management import execute_from_command_line
    except ImportError:  # pragma: no cover - depends on the install
        print(
            "tirage: the web application is not installed; install 'tirage[web]'. "
            "'tirage sortition …' works without it.",
            file=sys.stderr,
        )
        return 2
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirage.settings")
    try:
        execute_from_command_line(["tirage", *argv[1:]])
    except ImproperlyConfigured as exc:  # a bad variable: its message, not a traceback
        print(f"tirage : configuration invalide : {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
