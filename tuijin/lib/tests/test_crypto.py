"""Field keys: SM4-GCM sealing, integrity, a keyring of several keys, blind indexes."""

import pytest

from tuijin.lib import crypto

K1 = "k1:" + "MDEyMzQ1Njc4OWFiY2RlZg=="
K2 = "k2:" + "ZmVkY2JhOTg3NjU0MzIxMA=="
INDEX = b"index-key-for-tests-0123456789"


def ring(text: str) -> crypto.Keyring:
    return crypto.Keyring(keys=crypto.parse_keys(text), index_key=INDEX)


def test_it_seals_with_the_first_key_and_reads_back():
    sealed = crypto.seal("13812345678", ring=ring(f"{K2},{K1}"))
    assert sealed.startswith("enc1:k2:") and "13812345678" not in sealed
    assert crypto.unseal(sealed, ring=ring(f"{K2},{K1}")) == "13812345678"


def test_it_never_seals_the_same_value_to_the_same_text():
    r = ring(K1)
    assert crypto.seal("13812345678", ring=r) != crypto.seal("13812345678", ring=r)


def test_it_reads_a_value_sealed_under_an_older_key_after_a_new_key_becomes_current():
    sealed = crypto.seal("13812345678", ring=ring(K1))
    assert crypto.unseal(sealed, ring=ring(f"{K2},{K1}")) == "13812345678"


def test_it_refuses_a_value_whose_key_was_removed_naming_the_key():
    sealed = crypto.seal("13812345678", ring=ring(K1))
    with pytest.raises(crypto.KeyError_, match="no field key 'k1'.*rotate-keys"):
        crypto.unseal(sealed, ring=ring(K2))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: s[:-3] + ("A" if s[-3] != "A" else "B") + s[-2:],  # a flipped bit in the tag
        lambda s: s[:20] + ("A" if s[20] != "A" else "B") + s[21:],  # a flipped bit in the nonce/ciphertext
        lambda s: s[:-12],  # truncated
        lambda s: s.replace("enc1:k1:", "enc1:k2:"),  # moved under another key id
        lambda s: "enc1:k1",  # no body at all
    ],
)
def test_it_fails_loudly_when_a_sealed_value_was_altered(tamper):
    both = ring(f"{K1},{K2}")
    sealed = crypto.seal("13812345678", ring=both)
    with pytest.raises(crypto.CryptoError) as exc:
        crypto.unseal(tamper(sealed), ring=both)
    assert "altered" in str(exc.value)


def test_it_marks_what_it_sealed_so_fields_store_it_as_is():
    assert isinstance(crypto.seal("x", ring=ring(K1)), crypto.Sealed)
    assert not isinstance("enc1:k1:abc", crypto.Sealed)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("k1", "ID:BASE64"),
        ("k-1:MDEyMzQ1Njc4OWFiY2RlZg==", "ID:BASE64"),
        ("k1:not base64!", "not base64"),
        ("k1:MDEyMw==", "16 bytes"),
        (f"{K1},{K1}", "twice"),
    ],
)
def test_it_explains_a_malformed_keyring(text, problem):
    with pytest.raises(crypto.KeyError_, match=problem):
        crypto.parse_keys(text)


def test_it_reads_a_keyring_file_with_one_key_a_line_and_comments():
    keys = crypto.parse_keys(f"# rotated 2026-11\n{K2}\n{K1}\n")
    assert list(keys) == ["k2", "k1"]


def test_it_makes_blind_indexes_that_match_equal_values_and_differ_by_purpose():
    r = ring(K1)
    a = crypto.blind_index("41010519900101123x ", purpose="id_number", ring=r)
    assert a == crypto.blind_index("41010519900101123X", purpose="id_number", ring=r)
    assert a != crypto.blind_index("41010519900101123X", purpose="passport", ring=r)
    assert "41010519900101123X" not in a
