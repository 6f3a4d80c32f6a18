"""Pages for importing a task list (upload → preview → column mapping → confirm) and exporting a plan's list.

Between the steps the uploaded file waits in a private temporary folder (not MEDIA_ROOT), under a random
token that only the uploader's session knows; it is deleted once the import is saved or cancelled. Nothing
reaches the database before the supervisor confirms.
"""

from __future__ import annotations

import io
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.core.audit import record

from .exporting import export_filename, write_export
from .forms_import import ColumnMappingForm, ImportUploadForm
from .importing import FIELD_NAMES, ImportPreview, ImportRefused, commit_import, preview_import
from .models import Plan, Task

SESSION_KEY = "task_imports"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 3600
MAX_PENDING = 5
ROWS_PER_PAGE = 200
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _require_supervisor(user) -> None:
    if not user.is_supervisor:
        raise PermissionDenied


# ——— the uploaded file between steps ———


def upload_dir() -> Path:
    folder = Path(getattr(settings, "IMPORT_TEMP_DIR", "") or Path(tempfile.gettempdir()) / "tuijin-imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    """Files of imports never confirmed nor cancelled are removed after a day."""
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def _file_of(token: str) -> Path:
    return upload_dir() / f"{token}.upload"


def _discard(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending
    _file_of(token).unlink(missing_ok=True)


def _keep(request, upload, data: dict) -> str:
    folder = upload_dir()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.upload"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    path.chmod(0o600)
    pending = request.session.get(SESSION_KEY, {})
    while len(pending) >= MAX_PENDING:  # one person rarely has more lists open; drop the oldest
        oldest = min(pending, key=lambda t: pending[t]["at"])
        pending.pop(oldest)
        _file_of(oldest).unlink(missing_ok=True)
    pending[token] = {**data, "filename": upload.name, "at": time.time(), "mapping": None}
    request.session[SESSION_KEY] = pending
    return token


def _pending(request, token: str) -> dict:
    if not TOKEN_RE.match(token):
        raise Http404
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if pending is None or not _file_of(token).exists():
        raise Http404
    return pending


def _preview(token: str, pending: dict) -> ImportPreview:
    return preview_import(
        source=_file_of(token),
        filename=pending["filename"],
        plan_name=pending["plan_name"],
        year=pending["year"],
        mapping=pending.get("mapping"),
        create_units=pending["create_units"],
    )


# ——— pages ———


@login_required
def import_upload(request, code=None):
    _require_supervisor(request.user)
    plan = get_object_or_404(Plan, code=code) if code else None
    initial = {"plan": plan, "year": plan.year if plan else timezone.localdate().year}
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = _keep(
            request,
            data["file"],
            {"plan_name": data["plan_name"], "year": data["year"], "create_units": data["create_units"]},
        )
        return redirect("import_preview", token=token)
    return render(
        request, "tasks/import_upload.html", {"form": form, "plan": plan}, status=400 if form.errors else 200
    )


def _mapping_form(preview: ImportPreview, data=None) -> ColumnMappingForm:
    columns = list(preview.headers.items())
    fields = [(name, str(label)) for name, label in FIELD_NAMES.items()]
    return ColumnMappingForm(data, fields=fields, columns=columns, initial_map=preview.columns)


def _render_preview(
    request, token: str, pending: dict, preview: ImportPreview, *, mapping_form=None, status=200
):
    rows = preview.rows
    only_problems = request.GET.get("only") == "problems"
    if only_problems:
        rows = [r for r in rows if r.has_error or r.has_warning]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "token": token,
        "pending": pending,
        "preview": preview,
        "page": page,
        "only_problems": only_problems,
        "mapping_form": mapping_form or (_mapping_form(preview) if preview.headers else None),
        "show_mapping": preview.needs_mapping
        or request.GET.get("columns") == "1"
        or mapping_form is not None,
        "field_names": FIELD_NAMES,
    }
    template = "tasks/import_preview.html#rows" if request.htmx else "tasks/import_preview.html"
    return render(request, template, context, status=status)


@login_required
def import_preview(request, token):
    _require_supervisor(request.user)
    pending = _pending(request, token)
    return _render_preview(request, token, pending, _preview(token, pending))


@login_required
@require_POST
def import_columns(request, token):
    _require_supervisor(request.user)
    pending = _pending(request, token)
    preview = _preview(token, pending)
    form = _mapping_form(preview, request.POST)
    if not form.is_valid():
        return _render_preview(request, token, pending, preview, mapping_form=form, status=400)
    mapping = form.mapping()
    # fields left unmapped are unmapped explicitly, so the reader does not fall back to its own guess
    pending["mapping"] = {name: mapping.get(name, "") for name in FIELD_NAMES}
    sessions = request.session[SESSION_KEY]
    sessions[token] = pending
    request.session[SESSION_KEY] = sessions
    return redirect("import_preview", token=token)


@login_required
@require_POST
def import_confirm(request, token):
    _require_supervisor(request.user)
    pending = _pending(request, token)
    preview = _preview(token, pending)
    try:
        result = commit_import(actor=request.user, preview=preview)
    except ImportRefused as exc:
        messages.error(request, str(exc))
        return _render_preview(request, token, pending, preview, status=400)
    _discard(request, token)
    messages.success(
        request,
        _("Imported “%(file)s”: %(new)s new tasks, %(updated)s updated, %(unchanged)s unchanged.")
        % {"file": pending["filename"], "new": result.created, "updated": result.updated,
           "unchanged": result.unchanged},
    )  # fmt: skip
    return redirect("plan_detail", code=result.plan.code)


@login_required
@require_POST
def import_cancel(request, token):
    _require_supervisor(request.user)
    if TOKEN_RE.match(token):
        _discard(request, token)
    messages.info(request, _("The import was cancelled; nothing was saved."))
    return redirect("import_upload")


@login_required
def plan_export(request, code, fmt):
    """The plan's list as the user sees it: supervisors and leaders all tasks, unit users their units' tasks."""
    plan = get_object_or_404(Plan, code=code)
    user = request.user
    if not user.is_supervisor and not Task.objects.visible_to(user).filter(plan=plan).exists():
        raise Http404
    buffer = io.BytesIO()
    write_export(buffer, plan=plan, user=user, fmt=fmt)
    filename = export_filename(plan, fmt)
    record(actor=user, action="plan.export", obj=plan, after={"format": fmt, "file": filename})
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
