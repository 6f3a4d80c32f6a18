#!/usr/bin/env bash
# Re-extract the Simplified Chinese catalogue (tuijin/locale/zh_Hans/LC_MESSAGES/django.po) from the sources,
# then compile every .po to .mo. Run from anywhere; works from the repository root.
# After running: translate the new (empty or fuzzy) entries in the .po, then run this script again to compile.
set -euo pipefail

cd "$(dirname "$0")/.."

# makemessages imports the settings, which need a key; this one is never used for anything else.
export SECRET_KEY="${SECRET_KEY:-makemessages-only-secret-key-0123456789-abcdef}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-tuijin.settings}"

.venv/bin/python manage.py makemessages -l zh_Hans --no-obsolete --no-location \
  --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*' --ignore='bench/*'

.venv/bin/python scripts/compile_translations.py

po=tuijin/locale/zh_Hans/LC_MESSAGES/django.po
.venv/bin/python - "$po" <<'PY'
import sys

import polib

po = polib.pofile(sys.argv[1])
untranslated = len(po.untranslated_entries())
fuzzy = len(po.fuzzy_entries())
print(f"{sys.argv[1]}: {len(po)} entries, {untranslated} untranslated, {fuzzy} fuzzy")
PY
