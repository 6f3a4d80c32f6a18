"""Import (upload → preview → confirm) and export of enterprises and projects as spreadsheets.

Between the steps the uploaded file waits in the task import's private temporary folder (not MEDIA_ROOT) under a
random token only the uploader's session knows, and is deleted once the import is saved or cancelled. Nothing
reaches the database before the officer confirms a preview without errors — and then all rows or none.
"""

from __future__ import annotations

import io
import secrets
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuijin.core.audit import record
from tuijin.tasks.forms_import import check_list_file
from tuijin.tasks.views_import import TOKEN_RE, upload_dir

from . import access
from .exporting import write_enterprises, write_projects, write_template
from .forms import ProjectFilterForm
from .importing import KINDS, ImportRefused, commit_import, preview_import
from .models import Project

SESSION_KEY = "investment_imports"
MAX_PENDING = 5
ROWS_PER_PAGE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the sheet holds"), choices=list(KINDS.items()),
                             initial="projects", widget=forms.RadioSelect)  # fmt: skip
    file = forms.FileField(label=gettext_lazy("Spreadsheet"),
                           help_text=gettext_lazy("Excel workbook (.xlsx, .xls) or CSV, with one row per project or "
                                                  "enterprise under a row of headings."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.csv"}))  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if (upload.name or "").lower().endswith(".docx"):
            raise ValidationError(_("Upload an Excel workbook (.xlsx, .xls) or a CSV file."))
        check_list_file(upload)
        return upload


def _require_officer(user) -> None:
    access.require_pipeline(user)
    if not access.is_officer(user):
        raise PermissionDenied


def _file_of(token: str):
    return upload_dir() / f"{token}.investment"


def _keep(request, upload, kind: str) -> str:
    folder = upload_dir()
    limit = time.time() - 24 * 3600
    for path in folder.glob("*.investment"):  # imports never confirmed nor cancelled go after a day
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass
    token = secrets.token_urlsafe(24)
    path = _file_of(token)
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    path.chmod(0o600)
    pending = request.session.get(SESSION_KEY, {})
    while len(pending) >= MAX_PENDING:
        oldest = min(pending, key=lambda t: pending[t]["at"])
        pending.pop(oldest)
        _file_of(oldest).unlink(missing_ok=True)
    pending[token] = {"kind": kind, "filename": upload.name, "at": time.time()}
    request.session[SESSION_KEY] = pending
    return token


def _pending(request, token: str) -> dict:
    if not TOKEN_RE.match(token):
        raise Http404
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if pending is None or not _file_of(token).exists():
        raise Http404
    return pending


def _discard(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending
    _file_of(token).unlink(missing_ok=True)


def _preview(request, token: str, pending: dict):
    return preview_import(kind=pending["kind"], source=_file_of(token), filename=pending["filename"],
                          actor=request.user)  # fmt: skip


@login_required
def import_upload(request):
    user = request.user
    access.require_pipeline(user)
    can_import = access.is_officer(user)
    form = UploadForm(request.POST or None, request.FILES or None) if can_import else None
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            token = _keep(request, form.cleaned_data["file"], form.cleaned_data["kind"])
            return redirect("investment_import_preview", token=token)
    return render(request, "investment/import/upload.html", {"form": form, "can_import": can_import},
                  status=400 if form is not None and form.errors else 200)  # fmt: skip


def _render_preview(request, token, pending, preview, status=200):
    rows = preview.rows
    only_problems = request.GET.get("only") == "problems"
    if only_problems:
        rows = [r for r in rows if r.has_error or r.has_warning]
    context = {"token": token, "pending": pending, "preview": preview, "only_problems": only_problems,
               "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))}  # fmt: skip
    template = f"investment/import/preview_{preview.kind}.html"
    return render(request, template + ("#rows" if request.htmx else ""), context, status=status)


@login_required
def import_preview(request, token):
    _require_officer(request.user)
    pending = _pending(request, token)
    return _render_preview(request, token, pending, _preview(request, token, pending))


@login_required
@require_POST
def import_confirm(request, token):
    _require_officer(request.user)
    pending = _pending(request, token)
    preview = _preview(request, token, pending)
    try:
        result = commit_import(actor=request.user, preview=preview)
    except ImportRefused as exc:
        messages.error(request, str(exc))
        return _render_preview(request, token, pending, preview, status=400)
    _discard(request, token)
    messages.success(request, _("Imported “%(file)s”: %(projects)s projects, %(enterprises)s new enterprises.") % {
        "file": pending["filename"], "projects": result.projects, "enterprises": result.enterprises})  # fmt: skip
    return redirect(
        "investment_project_list" if pending["kind"] == "projects" else "investment_enterprise_list"
    )


@login_required
@require_POST
def import_cancel(request, token):
    _require_officer(request.user)
    if TOKEN_RE.match(token):
        _discard(request, token)
    messages.info(request, _("The import was cancelled; nothing was saved."))
    return redirect("investment_import_upload")


def _xlsx(buffer: io.BytesIO, filename: str) -> HttpResponse:
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export_projects(request):
    """The projects the user sees, with the project list's filters (the same query string)."""
    user = request.user
    access.require_pipeline(user)
    form = ProjectFilterForm(request.GET or None)
    projects = Project.objects.visible_to(user)
    if form.is_valid():
        projects = form.filter(projects)
    buffer = io.BytesIO()
    count = write_projects(buffer, projects)
    filename = f"招商项目_{timezone.localdate():%Y%m%d}.xlsx"
    record(actor=user, action="investment.export", object_type="investment.project", object_repr=filename,
           after={"rows": count, "filters": {k: v for k, v in request.GET.items() if k != "page"}})  # fmt: skip
    return _xlsx(buffer, filename)


@login_required
def export_enterprises(request):
    user = request.user
    access.require_pipeline(user)
    buffer = io.BytesIO()
    count = write_enterprises(buffer, access.enterprises_visible_to(user), viewer=user)
    filename = f"招商企业_{timezone.localdate():%Y%m%d}.xlsx"
    record(actor=user, action="investment.export", object_type="investment.enterprise", object_repr=filename,
           after={"rows": count})  # fmt: skip
    return _xlsx(buffer, filename)


@login_required
def import_template(request, kind):
    access.require_pipeline(request.user)
    if kind not in KINDS:
        raise Http404
    buffer = io.BytesIO()
    write_template(buffer, kind)
    return _xlsx(buffer, "招商项目导入模板.xlsx" if kind == "projects" else "招商企业导入模板.xlsx")
