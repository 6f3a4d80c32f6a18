"""`tuijin rotate-keys`: the whole rotation procedure — new key first, re-seal, check, remove the old key."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tuijin.core import keys
from tuijin.core.models import AuditEvent
from tuijin.lib import crypto
from tuijin.org.models import Liaison, User

K1 = "k1:MDEyMzQ1Njc4OWFiY2RlZg=="
K2 = "k2:ZmVkY2JhOTg3NjU0MzIxMA=="


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def overwrite(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command("rotate-keys", *args, stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.fixture
def people(settings, alice, bob, unit_a):
    """Phones sealed under k1, and one plaintext phone from before encryption was switched on."""
    settings.FIELD_KEYS = K1
    alice.phone = "13812345678"
    alice.save()
    liaison = Liaison.objects.create(
        unit=unit_a, name="王联络", phone="13900001111", office_phone="0371-67181234"
    )
    overwrite("org_user", "phone", bob.pk, "13700002222")
    return alice, bob, liaison


def test_it_finds_every_sealed_column_in_every_app():
    labels = {f"{model._meta.label}.{field.name}" for model, field in keys.sealed_columns()}
    assert {"org.User.phone", "org.Liaison.phone", "org.Liaison.office_phone"} <= labels


@pytest.mark.django_db
def test_it_rotates_to_a_new_key_after_which_the_old_key_can_be_removed(settings, people):
    alice, bob, liaison = people
    # 2. the new key goes first; the old one stays readable
    settings.FIELD_KEYS = f"{K2},{K1}"
    with pytest.raises(CommandError) as refused:
        run("--check")
    assert (
        refused.value.returncode == 1
        and "3 value(s)" in str(refused.value)
        or "value(s)" in str(refused.value)
    )
    report = io.StringIO()
    with pytest.raises(CommandError):
        call_command("rotate-keys", "--check", stdout=report)
    assert (
        "org.User.phone: 0 under the current key; old keys k1: 1; plaintext 1; unreadable 0"
        in report.getvalue()
    )
    assert "org.Liaison.office_phone: 0 under the current key; old keys k1: 1" in report.getvalue()

    # 3. re-seal, in batches of one row
    output = run("--batch-size", "1")
    assert "org.User.phone: re-sealed 2, already current 0" in output
    assert "org.Liaison.phone: re-sealed 1" in output and "org.Liaison.office_phone: re-sealed 1" in output
    for model, field in keys.sealed_columns():
        assert f"{model._meta.label}.{field.name}: re-sealed" in output  # every column is reported
    assert stored("org_user", "phone", alice.pk).startswith("enc1:k2:")
    assert stored("org_user", "phone", bob.pk).startswith("enc1:k2:")  # the plaintext is sealed too
    assert stored("org_liaison", "office_phone", liaison.pk).startswith("enc1:k2:")
    event = AuditEvent.objects.get(action="personal_data.rotate_keys")
    assert event.after["current_key"] == "k2"
    assert event.after["resealed"] == {
        "org.User.phone": 2,
        "org.Liaison.phone": 1,
        "org.Liaison.office_phone": 1,
    }

    # 4. nothing is left under k1; running again changes nothing
    assert "keys other than k2 may be removed" in run("--check")
    assert "org.User.phone: re-sealed 0, already current 2" in run()

    # 5. k1 is removed: everything still reads
    settings.FIELD_KEYS = K2
    assert User.objects.get(pk=alice.pk).phone == "13812345678"
    assert User.objects.get(pk=bob.pk).phone == "13700002222"
    again = Liaison.objects.get(pk=liaison.pk)
    assert (again.phone, again.office_phone) == ("13900001111", "0371-67181234")


@pytest.mark.django_db
def test_it_does_not_change_the_records_update_times(settings, people):
    _alice, _bob, liaison = people
    before = Liaison.objects.get(pk=liaison.pk).updated_at
    settings.FIELD_KEYS = f"{K2},{K1}"
    run()
    assert Liaison.objects.get(pk=liaison.pk).updated_at == before


@pytest.mark.django_db
def test_it_shows_why_an_old_key_must_not_be_removed_too_early(settings, people):
    alice, _bob, _liaison = people
    settings.FIELD_KEYS = K2  # k1 removed before rotating
    with pytest.raises(crypto.KeyError_, match=r"org\.User\.phone: no field key 'k1'"):
        User.objects.get(pk=alice.pk)
    report = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("rotate-keys", "--check", stdout=report, stderr=report)
    assert refused.value.returncode == 1
    assert f"org.User.phone pk {alice.pk}: no key 'k1' in FIELD_KEYS" in report.getvalue()
    with pytest.raises(CommandError, match="restore the missing key"):
        run()
    assert stored("org_user", "phone", alice.pk).startswith("enc1:k1:")  # left as it was, still recoverable


@pytest.mark.django_db
def test_it_rotates_the_rest_and_names_a_row_altered_in_the_database(settings, people):
    alice, _bob, liaison = people
    raw = stored("org_user", "phone", alice.pk)
    overwrite("org_user", "phone", alice.pk, raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB"))
    settings.FIELD_KEYS = f"{K2},{K1}"
    report = io.StringIO()
    with pytest.raises(CommandError, match="1 value"):
        call_command("rotate-keys", stdout=report, stderr=report)
    assert f"org.User.phone pk {alice.pk}: sealed value under key 'k1' fails its SM4-GCM integrity check" in (
        report.getvalue()
    )
    assert stored("org_liaison", "phone", liaison.pk).startswith("enc1:k2:")


@pytest.mark.django_db
def test_it_refuses_to_run_without_keys(settings):
    settings.FIELD_KEYS = ""
    with pytest.raises(CommandError, match="FIELD_KEYS"):
        run()


def test_it_documents_the_procedure_in_its_help(capsys):
    with pytest.raises(SystemExit):
        call_command("rotate-keys", "--help")
    help_text = capsys.readouterr().out
    for step in ("python -m tuijin.lib.crypto_keys k2", "FIELD_KEYS=k2:<new>,k1:<old>", "tuijin rotate-keys --check",
                 "Remove k1 from FIELD_KEYS"):  # fmt: skip
        assert step in help_text
