"""Pages of the liaison roster and of joint meetings: the list, a standing meeting with its sittings, a sitting with
agenda, attendance, decisions and their tasks, and the organiser's forms."""

import io

import qrcode
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.org.models import Liaison, Unit
from tuijin.tasks.models import Task

from . import access, services
from .forms import (
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    EndTermForm,
    JointMeetingForm,
    LiaisonTermForm,
    MeetingForm,
    MinutesForm,
    SettleAgendaForm,
)
from .minutes import minutes_docx
from .models import Attendance, Decision, LiaisonTerm, Meeting

# ——— liaison roster ———


@login_required
def liaison_directory(request):
    access.require_use(request.user)
    today = timezone.localdate()
    terms = (
        LiaisonTerm.objects.current(today).select_related("unit").order_by("unit_id", "role", "-start_date")
    )
    by_unit: dict[int, dict] = {}
    for term in terms:
        by_unit.setdefault(term.unit_id, {}).setdefault(term.role, term)
    liaisons = {li.unit_id: li for li in Liaison.objects.all()}
    rows = []
    for unit in Unit.objects.active().order_by("kind", "sort_order", "name"):
        current = by_unit.get(unit.pk, {})
        rows.append({"unit": unit, "officer": current.get(LiaisonTerm.Role.OFFICER),
                     "deputy": current.get(LiaisonTerm.Role.DEPUTY), "record": liaisons.get(unit.pk)})  # fmt: skip
    query = (request.GET.get("q") or "").strip()
    if query:
        rows = [r for r in rows if query in r["unit"].name or any(
            query in (p.name if p else "") for p in (r["officer"], r["deputy"], r["record"]))]  # fmt: skip
    context = {"rows": rows, "query": query, "can_edit": request.user.is_supervisor, "today": today}
    template = "coordination/liaison_directory.html"
    if request.htmx:
        template += "#table"
    return render(request, template, context)


@login_required
def liaison_history(request, code):
    access.require_use(request.user)
    unit = get_object_or_404(Unit, code=code)
    terms = (
        LiaisonTerm.objects.filter(unit=unit).select_related("user").order_by("role", "-start_date", "-id")
    )
    return render(request, "coordination/liaison_history.html", {
        "unit": unit, "terms": terms, "can_edit": request.user.is_supervisor, "end_form": EndTermForm(),
        "today": timezone.localdate(),
    })  # fmt: skip


@login_required
def liaison_appoint(request):
    access.require_supervisor(request.user)
    initial = {}
    if request.GET.get("unit"):
        initial["unit"] = request.GET["unit"][:40]  # the form's choice validates it
    form = LiaisonTermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = services.appoint_liaison(actor=request.user, **data)
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Appointed %(name)s.") % {"name": term.name})
            return redirect("coordination_liaison_history", code=term.unit.code)
    return render(request, "coordination/form.html", {"form": form, "title": _("Appoint a liaison officer"),
                  "cancel_url": reverse("coordination_liaison_directory")},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def liaison_end(request, code):
    access.require_supervisor(request.user)
    term = get_object_or_404(LiaisonTerm.objects.select_related("unit"), code=code)
    form = EndTermForm(request.POST)
    if form.is_valid():
        try:
            services.end_liaison_term(actor=request.user, term=term, end_date=form.cleaned_data["end_date"])
        except services.CoordinationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The term of %(name)s ends.") % {"name": term.name})
    else:
        messages.error(request, _("Give the day the term ends."))
    return redirect("coordination_liaison_history", code=term.unit.code)


# ——— joint meetings ———

OPEN_DECISION = Q(meetings__decisions__task__isnull=False) & ~Q(meetings__decisions__task__state="closed")


@login_required
def joint_meeting_list(request):
    access.require_use(request.user)
    joint_meetings = (
        access.visible_joint_meetings(request.user)
        .select_related("convener")
        .annotate(
            n_members=Count("members", distinct=True),
            n_meetings=Count("meetings", distinct=True),
            n_open=Count("meetings__decisions", distinct=True, filter=OPEN_DECISION),
            n_overdue=Count(
                "meetings__decisions",
                distinct=True,
                filter=OPEN_DECISION & Q(meetings__decisions__task__status="overdue"),
            ),
        )
        .order_by("-is_active", "name")
    )
    upcoming = (
        access.visible_meetings(request.user)
        .filter(minutes_issued_at__isnull=True)
        .select_related("joint_meeting")
        .order_by("starts_at")[:10]
    )
    return render(request, "coordination/joint_meeting_list.html", {
        "joint_meetings": joint_meetings, "upcoming": upcoming, "can_create": request.user.is_supervisor,
    })  # fmt: skip


@login_required
def joint_meeting_detail(request, code):
    jm = access.get_joint_meeting(request.user, code)
    meetings = jm.meetings.annotate(
        n_decisions=Count("decisions", distinct=True), n_agenda=Count("agenda_items", distinct=True)
    ).order_by("-starts_at")
    return render(request, "coordination/joint_meeting_detail.html", {
        "jm": jm, "members": jm.members.order_by("kind", "sort_order", "name"), "meetings": meetings,
        "can_organise": access.may_organise(request.user, jm), "can_edit": request.user.is_supervisor,
    })  # fmt: skip


@login_required
def joint_meeting_form(request, code=None):
    access.require_supervisor(request.user)
    jm = access.get_joint_meeting(request.user, code) if code else None
    form = JointMeetingForm(request.POST or None, instance=jm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        jm = services.save_joint_meeting(
            actor=request.user, joint_meeting=jm, name=data["name"], convener=data["convener"],
            members=list(data["members"]), minutes_prefix=data["minutes_prefix"],
            issuing_organ=data["issuing_organ"], description=data["description"], is_active=data["is_active"],
        )  # fmt: skip
        messages.success(request, _("Joint meeting saved."))
        return redirect("coordination_joint_meeting_detail", code=jm.code)
    title = _("Edit joint meeting") if jm else _("New joint meeting")
    return render(request, "coordination/form.html", {"form": form, "title": title, "back": jm},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def decisions_xlsx(request, code):
    from .spreadsheets import decision_rows, export_queryset, write_decisions

    jm = access.get_joint_meeting(request.user, code)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename=decisions.xlsx"
    write_decisions(response, title=f"{jm.name}议定事项落实情况", rows=decision_rows(export_queryset(jm)))
    return response


# ——— meetings ———


@login_required
def meeting_form(request, code=None, jm_code=None):
    if code:
        meeting = access.get_meeting(request.user, code)
        jm = meeting.joint_meeting
    else:
        meeting, jm = None, access.get_joint_meeting(request.user, jm_code)
    access.require_organiser(request.user, jm)
    if meeting and meeting.is_locked:
        raise PermissionDenied
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.save_meeting(
                actor=request.user, joint_meeting=jm, meeting=meeting, **form.cleaned_data
            )
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("coordination_meeting_detail", code=meeting.code)
    title = _("Edit meeting") if meeting else _("New meeting of %(name)s") % {"name": jm.name}
    return render(request, "coordination/form.html", {"form": form, "title": title},
                  status=400 if form.errors else 200)  # fmt: skip


def decisions_with_tasks(qs):
    return qs.select_related("lead_unit", "task", "meeting__joint_meeting").prefetch_related(
        "supporting_units"
    )


@login_required
def meeting_detail(request, code):
    user = request.user
    meeting = access.get_meeting(user, code)
    jm = meeting.joint_meeting
    visible_tasks = set(Task.objects.visible_to(user).filter(decision__meeting__joint_meeting=jm)
                        .values_list("pk", flat=True))  # fmt: skip
    decisions = list(decisions_with_tasks(meeting.decisions.all()))
    earlier = list(
        decisions_with_tasks(
            Decision.objects.filter(meeting__joint_meeting=jm, meeting__starts_at__lt=meeting.starts_at,
                                    meeting__minutes_issued_at__isnull=False)
        ).order_by("meeting__starts_at", "position")
    )  # fmt: skip
    earlier.sort(key=lambda d: (d.task is None or not d.task.is_open, d.meeting.starts_at, d.position))
    for d in decisions + earlier:
        d.task_visible = d.task_id in visible_tasks
    agenda = list(
        meeting.agenda_items.select_related("unit").order_by("-state", "position", "created_at", "id")
    )
    attendance = list(meeting.attendance.select_related("user", "unit"))
    proposing = access.proposing_units(user, jm)
    context = {
        "meeting": meeting, "jm": jm, "decisions": decisions, "earlier": earlier, "agenda": agenda,
        "attendance": attendance, "signed_in": any(a.user_id == user.pk for a in attendance),
        "can_organise": access.may_organise(user, jm),
        "can_edit_decisions": access.may_organise(user, jm) and not meeting.is_locked, "can_propose": bool(proposing) and meeting.agenda_open(),
        "today": timezone.localdate(),
        "earlier_open": sum(1 for d in earlier if d.task and d.task.is_open),
    }  # fmt: skip
    return render(request, "coordination/meeting_detail.html", context)


@login_required
def agenda_propose(request, code):
    meeting = access.get_meeting(request.user, code)
    proposing = access.proposing_units(request.user, meeting.joint_meeting)
    if not proposing:
        raise PermissionDenied
    form = AgendaItemForm(request.POST or None, proposing_units=proposing)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_agenda_item(actor=request.user, meeting=meeting, **form.cleaned_data)
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Agenda item proposed."))
            return redirect("coordination_meeting_detail", code=meeting.code)
    closed = "" if meeting.agenda_open() else _("The agenda is closed for this meeting.")
    return render(request, "coordination/form.html", {
        "form": form, "title": _("Propose an agenda item"), "meeting": meeting, "closed": closed,
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
def agenda_settle(request, code):
    meeting = access.get_meeting(request.user, code)
    access.require_organiser(request.user, meeting.joint_meeting)
    if meeting.is_locked:
        raise PermissionDenied
    form = SettleAgendaForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        services.settle_agenda(actor=request.user, meeting=meeting, accepted=list(form.cleaned_data["accepted"]),
                               note=form.cleaned_data["note"])  # fmt: skip
        messages.success(request, _("The agenda is settled."))
        return redirect("coordination_meeting_detail", code=meeting.code)
    return render(request, "coordination/form.html", {
        "form": form, "title": _("Liaison pre-meeting: settle the agenda"), "meeting": meeting,
    }, status=400 if form.errors else 200)  # fmt: skip


# ——— sign-in ———


def sign_in_url(request, meeting: Meeting) -> str:
    return request.build_absolute_uri(reverse("coordination_sign_in", args=[meeting.sign_in_token]))


@login_required
def sign_in_screen(request, code):
    """The page put on the meeting-room screen: a big QR code that opens the sign-in page on a phone."""
    meeting = access.get_meeting(request.user, code)
    access.require_organiser(request.user, meeting.joint_meeting)
    attendance = list(meeting.attendance.select_related("user", "unit"))
    template = "coordination/sign_in_screen.html"
    if request.htmx:
        template += "#present"
    form = AttendanceForm(meeting=meeting) if not meeting.is_locked else None
    present_units = {a.unit_id for a in attendance}
    absent = Unit.objects.filter(
        pk__in=access.member_unit_ids(meeting.joint_meeting) - present_units
    ).order_by("kind", "sort_order", "name")
    return render(request, template, {"meeting": meeting, "attendance": attendance, "form": form,
                                      "absent": absent, "url": sign_in_url(request, meeting)})  # fmt: skip


@login_required
@require_POST
def attendance_record(request, code):
    meeting = access.get_meeting(request.user, code)
    access.require_organiser(request.user, meeting.joint_meeting)
    form = AttendanceForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose a person of a member unit who has not signed in yet."))
    else:
        try:
            services.sign_in(actor=request.user, meeting=meeting, user=form.cleaned_data["user"])
        except services.CoordinationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s recorded present.") % {"name": form.cleaned_data["user"]})
    return redirect("coordination_sign_in_screen", code=meeting.code)


@login_required
def sign_in_qr(request, code):
    meeting = access.get_meeting(request.user, code)
    access.require_organiser(request.user, meeting.joint_meeting)
    image = qrcode.make(sign_in_url(request, meeting), box_size=10, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def sign_in(request, token):
    """Opened from the QR code on a phone: the signed-in member confirms presence with one tap."""
    try:
        meeting = (
            access.visible_meetings(request.user).select_related("joint_meeting").get(sign_in_token=token)
        )
    except Meeting.DoesNotExist:
        access.require_use(request.user)
        raise Http404 from None
    mine = Attendance.objects.filter(meeting=meeting, user=request.user).first()
    error = ""
    if request.method == "POST" and mine is None:
        try:
            mine = services.sign_in(actor=request.user, meeting=meeting)
        except services.CoordinationError as exc:
            error = str(exc)
    return render(
        request, "coordination/sign_in.html", {"meeting": meeting, "attendance": mine, "error": error}
    )


# ——— decisions and minutes ———


@login_required
def decision_add(request, code):
    meeting = access.get_meeting(request.user, code)
    access.require_organiser(request.user, meeting.joint_meeting)
    if meeting.is_locked:
        raise PermissionDenied
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_decision(actor=request.user, meeting=meeting, text=data["text"], lead_unit=data["lead_unit"],
                                  supporting_units=list(data["supporting_units"]), limit_text=data["limit_text"],
                                  agenda_item=data["agenda_item"])  # fmt: skip
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Decision recorded."))
            if "another" in request.POST:
                return redirect("coordination_decision_add", code=meeting.code)
            return redirect("coordination_meeting_detail", code=meeting.code)
    return render(request, "coordination/decision_form.html", {"form": form, "meeting": meeting},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def decision_delete(request, code):
    try:
        decision = Decision.objects.select_related("meeting__joint_meeting").get(code=code)
    except (Decision.DoesNotExist, ValueError):
        raise Http404 from None
    meeting = access.get_meeting(request.user, decision.meeting.code)
    access.require_organiser(request.user, meeting.joint_meeting)
    if meeting.is_locked:
        raise PermissionDenied
    services.remove_decision(actor=request.user, decision=decision)
    messages.success(request, _("Decision removed."))
    return redirect("coordination_meeting_detail", code=meeting.code)


@login_required
def decision_import(request, code):
    from .forms import DecisionImportForm
    from .spreadsheets import import_decisions

    meeting = access.get_meeting(request.user, code)
    access.require_organiser(request.user, meeting.joint_meeting)
    if meeting.is_locked:
        raise PermissionDenied
    form = DecisionImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_decisions(
            actor=request.user, meeting=meeting, data=upload.read(), filename=upload.name
        )
        if not result.problems:
            messages.success(request, _("%(n)s decisions imported.") % {"n": result.saved})
            return redirect("coordination_meeting_detail", code=meeting.code)
        problems = result.problems
    return render(request, "coordination/decision_import.html", {"form": form, "meeting": meeting,
                  "problems": problems}, status=400 if (form.errors or problems) else 200)  # fmt: skip


@login_required
def minutes_issue(request, code):
    meeting = access.get_meeting(request.user, code)
    access.require_organiser(request.user, meeting.joint_meeting)
    if meeting.is_locked:
        raise PermissionDenied
    form = MinutesForm(request.POST or None, initial={"summary": meeting.summary})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.issue_minutes(
                actor=request.user, meeting=meeting, summary=form.cleaned_data["summary"]
            )
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Minutes %(ref)s issued; each decision is now a task.") % {"ref": meeting.minutes_ref},
            )
            return redirect("coordination_meeting_detail", code=meeting.code)
    decisions = decisions_with_tasks(meeting.decisions.all())
    return render(request, "coordination/minutes_form.html", {"form": form, "meeting": meeting,
                  "decisions": decisions}, status=400 if form.errors else 200)  # fmt: skip


@login_required
def minutes_download(request, code):
    meeting = access.get_meeting(request.user, code)
    if not meeting.is_locked and not access.may_organise(request.user, meeting.joint_meeting):
        raise Http404
    response = HttpResponse(
        minutes_docx(meeting),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = "attachment; filename=minutes.docx"
    return response
