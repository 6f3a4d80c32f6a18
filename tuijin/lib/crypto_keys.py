"""Print a new field-key line: `python -m tuijin.lib.crypto_keys ID` (for FIELD_KEYS / FIELD_KEYS_FILE)."""

import sys

from tuijin.lib.crypto import new_key_line

if __name__ == "__main__":
    print(new_key_line(sys.argv[1] if len(sys.argv) > 1 else "k1"))
