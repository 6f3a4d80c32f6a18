"""Every index our models declare is justified in docs/INDEXES.md (an index costs every write; a query pays).

The models of the `tuijin.*` apps are read for their indexes — `Meta.indexes`, `db_index=True`, `unique=True`
(`OneToOneField` included), `UniqueConstraint` and `unique_together` — and each needs a table row in the document
whose first cell holds, in backquotes, its key `app_label.model.field` (model in lower case, fields as declared,
several joined by `+`) or, when it has one, its own name. Foreign keys' implicit indexes are not checked.
Nothing touches the database."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.db import models

DOC = Path(__file__).resolve().parents[2] / "docs" / "INDEXES.md"


def key(model, field_names) -> str:
    names = [model._meta.get_field(name.lstrip("-")).name for name in field_names]
    return f"{model._meta.app_label}.{model._meta.model_name}.{'+'.join(names)}"


def declared_indexes() -> list[tuple[str, str | None, str]]:
    """(key, own name or None, what declares it) for every index of every model of our apps."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tuijin."):
            continue
        for model in config.get_models():
            meta = model._meta
            for field in meta.local_fields:
                if field.primary_key or not (field.unique or field.db_index):
                    continue
                if isinstance(field, models.ForeignKey) and not field.unique:
                    continue  # the implicit index of a foreign key
                kind = "unique=True" if field.unique else "db_index=True"
                found.append((key(model, [field.name]), None, f"{meta.label}.{field.name} ({kind})"))
            for index in meta.indexes:
                field_key = key(model, index.fields) if index.fields else None
                found.append((field_key or index.name, index.name, f"{meta.label} Meta.indexes {index.name}"))
            for constraint in meta.constraints:
                if isinstance(constraint, models.UniqueConstraint):
                    field_key = key(model, constraint.fields) if constraint.fields else None
                    found.append(
                        (
                            field_key or constraint.name,
                            constraint.name,
                            f"{meta.label} constraint {constraint.name}",
                        )
                    )
            for fields in meta.unique_together:
                found.append((key(model, fields), None, f"{meta.label} unique_together {fields}"))
    return found


def documented(text: str) -> set[str]:
    """The keys and names written in backquotes in the first cell of the document's table rows."""
    words = set()
    for line in text.splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            words.update(re.findall(r"`([^`]+)`", first_cell))
    return words


def test_it_finds_the_indexes_of_our_models():
    keys = {found[0] for found in declared_indexes()}
    assert "tasks.task.status" in keys  # db_index=True
    assert "tasks.task.plan+sort_key" in keys  # Meta.indexes
    assert "tasks.taskunit.task+unit" in keys  # UniqueConstraint
    assert "tasks.task.code" in keys  # unique=True
    assert "tasks.task.plan" not in keys  # a foreign key's own index is implicit


def test_it_reads_keys_from_the_first_cell_of_rows_only():
    text = (
        "| `tasks.task.status`<br>db_index=True · `tasks_task_status_b001b23f` | `status` | … |\n"
        "| `tasks.task.deadline+status` | see `tasks.task.code` | … |\n"
        "Prose naming `tasks.task.sort_key` is not a row.\n"
    )
    assert documented(text) == {
        "tasks.task.status",
        "tasks_task_status_b001b23f",
        "tasks.task.deadline+status",
    }


def test_it_justifies_every_declared_index_in_indexes_md():
    rows = documented(DOC.read_text(encoding="utf-8"))
    missing = [
        f"{what}: add a row for `{field_key}` to docs/INDEXES.md (the query that needs it and its plan)"
        for field_key, name, what in declared_indexes()
        if field_key not in rows and name not in rows
    ]
    assert not missing, "\n".join(missing)
