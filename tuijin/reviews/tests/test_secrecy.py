"""Secrecy by design: nothing stored ties a ballot to its voter — not the schema, not the rows, not the audit log.

The schema test reads every model of the app and every column of its tables as the database reports them.
The rows test is an indistinguishability proof: the same voters vote in the same order twice, once with their
ballots one way round and once swapped; every row of every table of the app (and, on SQLite, the hidden rowid
of the tallies) and every audit row written while voting are the same both times. Whatever is stored cannot
tell which voter cast which ballot, since both worlds store exactly the same thing.
"""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from tuijin.conftest import make_user
from tuijin.core.models import AuditEvent
from tuijin.org.models import Role
from tuijin.reviews import services
from tuijin.reviews.models import Option, Participation, Subject, Tally, VotingCode
from tuijin.reviews.voting import Ballot, cast_ballot, cast_ballot_with_code

from .conftest import group

APP = apps.get_app_config("reviews")
TIME_FIELDS = (models.DateTimeField, models.DateField, models.TimeField, models.DurationField)
AUTO_FIELDS = (models.AutoField, models.BigAutoField, models.SmallAutoField)
VOTER_MODELS = {
    settings.AUTH_USER_MODEL.lower(),
    "reviews.votingcode",
    "reviews.participation",
    "reviews.rater",
}


def label(model) -> str:
    return model._meta.label_lower


def references(model) -> set[str]:
    return {label(f.related_model) for f in model._meta.concrete_fields if f.is_relation}


def test_it_keeps_ballot_content_only_in_tallies_without_voter_time_or_order():
    content = [m for m in APP.get_models() if "reviews.option" in references(m)]
    assert [label(m) for m in content] == ["reviews.tally"], (
        "ballot content (an option) is referenced only by Tally"
    )
    for model in APP.get_models():
        # No table of the app holds both what was chosen and who (or which code) chose it.
        assert not ("reviews.option" in references(model) and references(model) & VOTER_MODELS), label(model)
    fields = {f.name: f for f in Tally._meta.concrete_fields}
    assert set(fields) == {"id", "review", "subject", "group", "option", "count"}
    assert isinstance(fields["id"], models.UUIDField), (
        "a random key, not an autoincrement numbering the writes"
    )
    assert not [f for f in fields.values() if isinstance(f, TIME_FIELDS + AUTO_FIELDS)]
    assert references(Tally) == {"reviews.review", "reviews.subject", "reviews.ratergroup", "reviews.option"}
    # "Has voted" says who and in which group — and nothing about the choices or when.
    has_voted = {f.name: f for f in Participation._meta.concrete_fields}
    assert set(has_voted) == {"id", "review", "group", "user", "voting_code"}
    assert not [f for f in has_voted.values() if isinstance(f, TIME_FIELDS)]


@pytest.mark.django_db
def test_it_has_the_same_columns_in_the_database_as_in_the_models():
    """What the database itself reports, so that no column added outside the models goes unnoticed."""
    with connection.cursor() as cursor:
        tables = {t.name for t in connection.introspection.get_table_list(cursor)}
        app_tables = {m._meta.db_table for m in APP.get_models()}
        assert app_tables <= tables
        assert {t for t in tables if t.startswith("reviews_")} == app_tables
        for model in APP.get_models():
            columns = {
                c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)
            }
            assert columns == {f.column for f in model._meta.concrete_fields}, model._meta.db_table
        tally = {
            c.name: c for c in connection.introspection.get_table_description(cursor, Tally._meta.db_table)
        }
        assert set(tally) == {"id", "review_id", "subject_id", "group_id", "option_id", "count"}
        relations = connection.introspection.get_relations(cursor, Tally._meta.db_table)
        assert {table for _column, (_target, table) in relations.items()} == {
            "reviews_review", "reviews_subject", "reviews_ratergroup", "reviews_option",
        }  # fmt: skip
        if connection.vendor == "sqlite":
            # A UUID key: the table's rowid is a hidden alias that only follows the order rows were created in,
            # and every tally row is created when voting opens, before any vote.
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [Tally._meta.db_table])
            assert "AUTOINCREMENT" not in cursor.fetchone()[0].upper()
        for model in APP.get_models():
            described = connection.introspection.get_table_description(cursor, model._meta.db_table)
            time_like = [c.name for c in described if c.name.endswith(("_at", "_on", "time", "date"))]
            assert not time_like or label(model) == "reviews.review", (model._meta.db_table, time_like)


# ——— the rows: two worlds with the ballots swapped ———


def stored_state(review) -> dict:
    """Every row of every table of the app, keys and all, in key order (with the hidden rowid on SQLite)."""
    state = {}
    for model in APP.get_models():
        columns = [f.column for f in model._meta.concrete_fields]
        if model is Participation:
            columns.remove(
                "id"
            )  # numbered in voting order in both worlds; PostgreSQL sequences do not roll back
        table = connection.ops.quote_name(model._meta.db_table)
        select = ", ".join(connection.ops.quote_name(c) for c in columns)
        if connection.vendor == "sqlite" and model is Tally:
            select = "rowid, " + select
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select} FROM {table}")  # noqa: S608 - names from the models
            state[model._meta.db_table] = sorted(tuple(str(v) for v in row) for row in cursor.fetchall())
    return state


def audit_since(last_seq) -> list:
    return [
        (
            e.actor_id,
            e.actor_name,
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.before,
            e.after,
            e.success,
        )
        for e in AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")
    ]


def sheet(review, *labels) -> Ballot:
    options = {o.label: o.pk for o in Option.objects.filter(review=review)}
    return Ballot(
        {s.pk: options[x] for s, x in zip(Subject.objects.filter(review=review), labels, strict=True)}
    )


@pytest.fixture
def rhea(db):
    return make_user("rhea", Role.RATER, None, "郑委员")


def world(review, voters, ballots):
    """Cast `ballots[i]` as `voters[i]`, in that order; return what is stored, then undo it all."""
    last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    with transaction.atomic():
        for voter, labels in zip(voters, ballots, strict=True):
            if isinstance(voter, str):
                cast_ballot_with_code(code_text=voter, ballot=sheet(review, *labels))
            else:
                cast_ballot(actor=voter, review=review, ballot=sheet(review, *labels))
        xmins = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT DISTINCT xmin::text FROM reviews_tally WHERE group_id = %s",
                               [group(review, "领导班子成员").pk])  # fmt: skip
                xmins = cursor.fetchall()
        stored = stored_state(review), audit_since(last_seq), xmins
        transaction.set_rollback(True)
    return stored


@pytest.mark.django_db
def test_it_stores_the_same_rows_whichever_voter_cast_which_ballot(review, sup, rita, rhea, rob):
    services.set_raters(actor=sup, group=group(review, "领导班子成员"), users=[rita, rhea])
    [code] = services.generate_codes(actor=sup, group=group(review, "领导班子成员"), count=1)
    services.open_review(actor=sup, review=review)
    voters = [rita, rhea, code, rob]
    first = [("好", "差"), ("一般", "较好"), ("较好", "好"), ("好", "好")]
    swapped = [
        ("较好", "好"),
        ("好", "差"),
        ("一般", "较好"),
        ("好", "好"),
    ]  # the same multiset in 领导班子成员

    state_a, audit_a, xmin_a = world(review, voters, first)
    state_b, audit_b, xmin_b = world(review, voters, swapped)

    assert state_a == state_b
    assert audit_a == audit_b
    tallied = sum(int(row[-1]) for row in state_a["reviews_tally"])
    assert tallied == 4 * 2, "four sheets of two rows were counted"
    if connection.vendor == "postgresql":
        # Every tally row of the group was rewritten by the last vote: row versions cannot single out a choice.
        assert len(xmin_a) == 1 and len(xmin_b) == 1


@pytest.mark.django_db
def test_it_audits_that_someone_voted_and_never_what(open_review, rita, rob):
    last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    cast_ballot(actor=rita, review=open_review, ballot=sheet(open_review, "一般", "差"))
    cast_ballot(actor=rob, review=open_review, ballot=sheet(open_review, "较好", "好"))
    events = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq"))
    assert [(e.action, e.actor_id, e.after) for e in events] == [
        ("reviews.voted", rita.pk, {"group": "领导班子成员"}),
        ("reviews.voted", rob.pk, {"group": "党员代表"}),
    ]
    options = list(Option.objects.filter(review=open_review))
    for event in events:
        text = json.dumps([event.object_type, event.object_id, event.object_repr, event.before, event.after],
                          ensure_ascii=False)  # fmt: skip
        for option in options:
            assert option.label not in text
        assert "option" not in text and "choice" not in text
        assert event.before is None


@pytest.mark.django_db
def test_it_keeps_only_a_hash_of_each_voting_code(review, sup):
    plain = services.generate_codes(actor=sup, group=group(review, "群众代表"), count=3)
    stored = list(VotingCode.objects.values_list("digest", flat=True))
    for code in plain:
        bare = code.replace("-", "")
        assert not [d for d in stored if bare in d or code in d]
    assert len(set(stored)) == 3
    audit = json.dumps(
        [[e.object_repr, e.before, e.after] for e in AuditEvent.objects.all()], ensure_ascii=False
    )
    assert not [c for c in plain if c in audit or c.replace("-", "") in audit]
