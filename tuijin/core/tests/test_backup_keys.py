"""A restore says when this installation lacks a key the backup needs: a field key that sealed personal data,
or the audit key that sealed the audit chain (the keys travel apart from backups)."""

import pytest

from tuijin.core import backup
from tuijin.core.models import AuditHead


def test_it_warns_when_a_field_key_the_backup_needs_is_missing(settings):
    settings.FIELD_KEYS = "t3:MDEyMzQ1Njc4OWFiY2RlZg=="

    (warning,) = backup._key_warnings({"field_key_ids": ["t2", "t3"]})

    assert "t2" in warning and "t3" not in warning


def test_it_says_nothing_when_the_field_keys_are_all_here():
    assert backup._key_warnings({"field_key_ids": ["t1", "t2"]}) == []
    assert backup._key_warnings({"field_key_ids": []}) == []


@pytest.mark.django_db
def test_it_notices_an_audit_chain_sealed_with_another_key(task, settings):
    assert AuditHead.objects.exists()
    assert backup._audit_key_matches()

    settings.AUDIT_KEY = "another-installations-audit-key-0123456789"

    assert not backup._audit_key_matches()
