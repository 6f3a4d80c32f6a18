"""`tuijin add-user`: a user with one role, a generated or piped password, clear errors, audited as the system."""

import io

import pytest
from django.core.management import CommandError, call_command

from tuijin.core.models import AuditEvent
from tuijin.org.models import Role, UnitAlias, User


def add_user(*args, stdin: str = "") -> str:
    out = io.StringIO()
    call_command("add-user", *args, stdout=out, stdin=io.StringIO(stdin))
    return out.getvalue()


def test_it_creates_a_unit_user_by_unit_alias_and_prints_a_generated_password(client, unit_a):
    UnitAlias.objects.create(unit=unit_a, name="科技城")
    output = add_user("dave", "--unit", "科技城", "--role", "unit", "--display-name", "李联络")
    password = output.split("Password: ")[1].strip()
    assert len(password) >= 16
    dave = User.objects.get(username="dave")
    assert dave.display_name == "李联络" and dave.unit_ids() == {unit_a.pk}
    assert client.login(username="dave", password=password)
    actions = set(AuditEvent.objects.filter(actor=None, actor_name="system").values_list("action", flat=True))
    assert actions == {"user.create", "membership.add"}
    assert password not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_it_reads_the_password_from_stdin(client, db):
    output = add_user("leader2", "--role", "leader", "--password-stdin", stdin="Zhengzhou-2021-pw\n")
    assert "Password" not in output
    assert client.login(username="leader2", password="Zhengzhou-2021-pw")
    assert User.objects.get(username="leader2").role_codes() == {Role.LEADER}


def test_it_reads_a_piped_password_without_the_flag(client, db):
    add_user("auditor2", "--role", "auditor", stdin="Piped-password-2021\n")
    assert client.login(username="auditor2", password="Piped-password-2021")


def test_it_accepts_the_unit_by_name_for_other_roles_too(unit_a):
    add_user("sup2", "--role", "supervisor", "--unit", "中原科技城管委会")
    assert User.objects.get(username="sup2").memberships.get().unit == unit_a


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eve", "--role", "king"], "Unknown role 'king'"),
        (["eve", "--role", "unit"], "needs --unit"),
        (["eve", "--role", "unit", "--unit", "不存在"], "No unit is named '不存在'"),
        (["alice", "--role", "leader"], "already exists"),
        (["eve", "--role", "leader", "--password-stdin"], "has no password"),
    ],
)
def test_it_explains_what_is_wrong_and_creates_nobody(alice, args, message):
    with pytest.raises(CommandError, match=message):
        add_user(*args)
    assert not User.objects.filter(username="eve").exists()


def test_it_rejects_a_weak_password_from_stdin(db):
    with pytest.raises(CommandError):
        add_user("eve", "--role", "leader", "--password-stdin", stdin="123\n")
    assert not User.objects.filter(username="eve").exists()
