"""The Simplified Chinese catalogue: complete, nothing fuzzy, placeholders intact, and actually served.

Chinese is the default language (LANGUAGE_CODE "zh-hans"); English is the switch. Every source string is an
English msgid, so an entry left untranslated shows English to a Chinese user. `scripts/update_translations.sh`
re-extracts the catalogue after source changes; this test fails until the new entries are translated.
"""

import re
import runpy
from pathlib import Path

import polib
import pytest
from django.conf import settings

PROJECT = Path(settings.BASE_DIR).parent
PO_PATH = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# %(name)s, %(size).1f, %s, %d, %% …: what Python's %-formatting substitutes (and Django's blocktranslate emits).
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifeEgGxXorac%]")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    assert PO_PATH.exists(), f"{PO_PATH} is missing; run scripts/update_translations.sh"
    return polib.pofile(str(PO_PATH))


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """Compile the .mo the way `make` does, if it is missing or older than the .po, so this test does not
    depend on the order of make targets; then drop Django's cached catalogues so the fresh one is read."""
    if not MO_PATH.exists() or MO_PATH.stat().st_mtime < PO_PATH.stat().st_mtime:
        runpy.run_path(str(PROJECT / "scripts" / "compile_translations.py"))
        from django.utils.translation.reloader import translation_file_changed

        translation_file_changed(sender=None, file_path=MO_PATH)
    assert MO_PATH.exists()


def describe(entry: polib.POEntry) -> str:
    return repr(entry.msgid if len(entry.msgid) < 80 else entry.msgid[:77] + "...")


def test_header_declares_chinese_with_one_plural_form(catalogue):
    assert catalogue.metadata.get("Language") == "zh_Hans"
    assert catalogue.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    assert not catalogue.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    entries = [e for e in catalogue if not e.obsolete]
    assert len(entries) > 100, "the catalogue looks truncated"
    untranslated = [describe(e) for e in entries if not e.translated()]
    fuzzy = [describe(e) for e in entries if "fuzzy" in e.flags]
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy entries (check the translation, then drop the flag):\n" + "\n".join(fuzzy)


def test_plural_entries_have_the_single_chinese_form(catalogue):
    for entry in catalogue:
        if entry.msgid_plural and not entry.obsolete:
            assert set(entry.msgstr_plural) == {0}, describe(entry)
            assert entry.msgstr_plural[0].strip(), describe(entry)


def test_placeholders_are_kept(catalogue):
    wrong = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            # A language with one form may drop nothing: the one form must carry the plural's placeholders.
            expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            translations = list(entry.msgstr_plural.values())
        else:
            expected = placeholders(entry.msgid)
            translations = [entry.msgstr]
        for text in translations:
            if placeholders(text) != expected:
                wrong.append(
                    f"{describe(entry)}: {sorted(expected)} → {sorted(placeholders(text))} in {text!r}"
                )
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_python_format_entries_still_format(catalogue):
    """A python-format msgstr must survive the same %-formatting as its msgid (no stray single %)."""
    for entry in catalogue:
        if entry.obsolete or "python-format" not in entry.flags:
            continue
        names = re.findall(r"%\(([^)]*)\)", entry.msgid + (entry.msgid_plural or ""))
        values = dict.fromkeys(names, 1)
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                formatted = text % values if names else text % ()  # raises on a malformed placeholder
                assert "%(" not in formatted, describe(entry)


def test_compiled_catalogue_matches_the_po(catalogue):
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(MO_PATH))}
    for entry in catalogue:
        if entry.obsolete or not entry.translated():
            continue
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{describe(entry)} is not in the .mo; recompile"
        if not entry.msgid_plural:
            assert compiled[key].msgstr == entry.msgstr, f"{describe(entry)} differs in the .mo"


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录" in html
    assert "Sign in" not in html
    assert "用户名" in html and "密码" in html
    assert response.headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_login_page_is_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sign in" in html
    assert "登录" not in html
    assert response.headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_domain_terms_follow_the_glossary():
    """Spot checks of the glossary (PRODUCT.md §4) through Django's own gettext, i.e. the compiled .mo."""
    from django.utils import translation

    expected = {
        "Plans": "任务清单",
        "Lead units": "牵头单位",
        "Supporting units": "配合单位",
        "Responsible leader": "责任领导",
        "Awaiting acknowledgement": "待签收",
        "In progress": "办理中",
        "Closure requested": "申请办结",
        "Closed": "已办结",
        "Overdue": "逾期",
        "Dashboard": "工作台",
        "Sign out": "退出",
        "Weekly (before Tuesday)": "每周（周二前）",
    }
    with translation.override("zh-hans"):
        got = {msgid: translation.gettext(msgid) for msgid in expected}
    assert got == expected
    with translation.override("en"):
        assert translation.gettext("Plans") == "Plans"
