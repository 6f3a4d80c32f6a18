#!/usr/bin/env python
"""Django's command line for a development checkout. Production uses the `tuijin` console script, which needs
SECRET_KEY (or SECRET_KEY_FILE) set; here a local key in var/secret_key and field keys in var/field_keys and var/field_index_key are made
once, as `make run` does."""

import base64
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
    if not os.environ.get("FIELD_KEYS") and not os.environ.get("FIELD_KEYS_FILE"):
        keys_file = Path(__file__).resolve().parent / "var" / "field_keys"
        if not keys_file.exists():
            keys_file.parent.mkdir(exist_ok=True)
            keys_file.write_text(f"k1:{base64.b64encode(secrets.token_bytes(16)).decode()}\n")
            keys_file.chmod(0o600)
        os.environ["FIELD_KEYS_FILE"] = str(keys_file)
    if not os.environ.get("FIELD_INDEX_KEY") and not os.environ.get("FIELD_INDEX_KEY_FILE"):
        index_file = Path(__file__).resolve().parent / "var" / "field_index_key"
        if not index_file.exists():
            index_file.write_text(secrets.token_urlsafe(32))
            index_file.chmod(0o600)
        os.environ["FIELD_INDEX_KEY_FILE"] = str(index_file)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
