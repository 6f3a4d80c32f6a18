"""Print a new key line.

python -m tuijin.lib.crypto_keys k2        a field key "k2:<base64 16 bytes>" for FIELD_KEYS / FIELD_KEYS_FILE
python -m tuijin.lib.crypto_keys --index   a blind-index key for FIELD_INDEX_KEY / FIELD_INDEX_KEY_FILE
"""

import secrets
import sys

from tuijin.lib.crypto import new_key_line

if __name__ == "__main__":
    arg = sys.argv[1] if len(sys.argv) > 1 else "k1"
    print(secrets.token_urlsafe(32) if arg == "--index" else new_key_line(arg))
