"""Personal data is sealed at rest: the database holds ciphertext, Python code reads plaintext, an altered row
fails loudly, and values sealed under an older key stay readable."""

import pytest
from django.db import connection

from tuijin.core import fields
from tuijin.lib import crypto
from tuijin.org.models import Liaison, User

K1 = "k1:MDEyMzQ1Njc4OWFiY2RlZg=="
K2 = "k2:ZmVkY2JhOTg3NjU0MzIxMA=="


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (fixed names)
        return cursor.fetchone()[0]


def overwrite(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


@pytest.mark.django_db
def test_it_keeps_no_plaintext_phone_in_the_user_table(alice):
    alice.phone = "13812345678"
    alice.save()
    raw = stored("org_user", "phone", alice.pk)
    assert raw.startswith("enc1:t2:")  # the current test key
    assert "13812345678" not in raw and "12345678" not in raw
    assert User.objects.get(pk=alice.pk).phone == "13812345678"


@pytest.mark.django_db
def test_it_keeps_no_plaintext_phones_in_the_liaison_table(unit_a):
    liaison = Liaison.objects.create(
        unit=unit_a, name="王联络", phone="13812345678", office_phone="0371-67181234"
    )
    for column, plain in (("phone", "13812345678"), ("office_phone", "0371-67181234")):
        raw = stored("org_liaison", column, liaison.pk)
        assert raw.startswith("enc1:") and plain not in raw and "67181234" not in raw
    again = Liaison.objects.get(pk=liaison.pk)
    assert (again.phone, again.office_phone) == ("13812345678", "0371-67181234")


@pytest.mark.django_db
def test_it_leaves_empty_phones_empty(alice):
    assert stored("org_user", "phone", alice.pk) == ""


@pytest.mark.django_db
def test_it_fails_loudly_naming_the_column_when_a_sealed_value_was_altered_in_the_database(alice):
    alice.phone = "13812345678"
    alice.save()
    raw = stored("org_user", "phone", alice.pk)
    overwrite("org_user", "phone", alice.pk, raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB"))
    with pytest.raises(crypto.TamperedError, match=r"org\.User\.phone: .*integrity check.*altered"):
        User.objects.get(pk=alice.pk)


@pytest.mark.django_db
def test_it_reads_a_value_sealed_under_k1_after_k2_becomes_current(settings, alice):
    settings.FIELD_KEYS = K1
    alice.phone = "13812345678"
    alice.save()
    assert stored("org_user", "phone", alice.pk).startswith("enc1:k1:")
    settings.FIELD_KEYS = f"{K2},{K1}"
    assert User.objects.get(pk=alice.pk).phone == "13812345678"
    alice.phone = "13900001111"
    alice.save()
    assert stored("org_user", "phone", alice.pk).startswith("enc1:k2:")


@pytest.mark.django_db
def test_it_reads_plaintext_written_before_encryption_was_switched_on(alice):
    overwrite("org_user", "phone", alice.pk, "13812345678")
    assert User.objects.get(pk=alice.pk).phone == "13812345678"


@pytest.mark.django_db
def test_it_seals_text_that_only_looks_sealed_so_a_pasted_ciphertext_reveals_nothing(alice, bob):
    """Someone who can read the database and write their own phone cannot make the application unseal another
    person's phone for them: what they type is sealed again and reads back as typed."""
    alice.phone = "13812345678"
    alice.save()
    stolen = stored("org_user", "phone", alice.pk)
    bob.phone = stolen
    bob.save()
    assert User.objects.get(pk=bob.pk).phone == stolen
    assert stored("org_user", "phone", bob.pk) != stolen


def test_it_validates_the_plaintext_length_not_the_ciphertext():
    field = fields.EncryptedCharField(max_length=20)
    field.clean("13812345678", None)
    with pytest.raises(Exception, match="20"):
        field.clean("1" * 21, None)
