#!/usr/bin/env python
import os
import secrets
import sys

# Commands that sign nothing, send nothing and serve nothing: they run in a fresh checkout with
# no SECRET_KEY (and DEBUG off). A random key for this one process keeps the settings' rule
# ("no key, no start") for everything that does sign: the web app, workers and the rest.
SIGNS_NOTHING = {"assess", "makemessages", "compilemessages", "check_translations"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cramps.settings")
    if len(sys.argv) > 1 and sys.argv[1] in SIGNS_NOTHING and not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
