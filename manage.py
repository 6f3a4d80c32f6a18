#!/usr/bin/env python
"""Django's command line for a development checkout. Production uses the `tuijin` console script, which needs
SECRET_KEY (or SECRET_KEY_FILE) set; here a local key in var/secret_key is made once, as `make run` does."""

import os
import secrets
import sys
from pathlib import Path

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuijin.settings")
    if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
        key_file = Path(__file__).resolve().parent / "var" / "secret_key"
        if not key_file.exists():
            key_file.parent.mkdir(exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
        os.environ["SECRET_KEY_FILE"] = str(key_file)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
