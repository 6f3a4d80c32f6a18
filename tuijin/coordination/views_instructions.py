"""Pages of leader instructions (领导批示): a leader's list with what became of each, one instruction with its
tasks, recording an instruction (it becomes a task in the same step) and adding a task to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tuijin.tasks.models import Task, TaskUnit

from . import access, services
from .forms import InstructionForm, InstructionTaskForm


def _tasks_prefetch():
    return Prefetch(
        "tasks",
        queryset=Task.objects.order_by("sort_key", "id").prefetch_related(
            Prefetch(
                "task_units", queryset=TaskUnit.objects.select_related("unit").order_by("role", "position")
            )
        ),
    )


@login_required
def instruction_list(request):
    access.require_instructions(request.user)
    instructions = list(
        access.visible_instructions(request.user).select_related("leader").prefetch_related(_tasks_prefetch())
    )
    for i in instructions:
        tasks = list(i.tasks.all())
        i.n_tasks, i.n_closed = len(tasks), sum(1 for t in tasks if not t.is_open)
        i.n_overdue = sum(1 for t in tasks if t.status == "overdue")
    return render(request, "coordination/instruction_list.html", {"instructions": instructions})


@login_required
def instruction_detail(request, code):
    instruction = access.get_instruction(request.user, code)
    tasks = (
        instruction.tasks.select_related("plan", "latest_report")
        .prefetch_related(
            Prefetch(
                "task_units", queryset=TaskUnit.objects.select_related("unit").order_by("role", "position")
            )
        )
        .order_by("sort_key", "id")
    )
    return render(request, "coordination/instruction_detail.html", {
        "instruction": instruction, "tasks": tasks, "form": InstructionTaskForm(),
    })  # fmt: skip


@login_required
def instruction_create(request):
    access.require_instructions(request.user)
    form = InstructionForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instruction = services.record_instruction(
                actor=request.user, leader=data["leader"], date=data["date"], subject=data["subject"],
                text=data["text"], lead_unit=data["lead_unit"], supporting_units=list(data["supporting_units"]),
                limit_text=data["limit_text"],
            )  # fmt: skip
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Instruction recorded."))
            return redirect("coordination_instruction_detail", code=instruction.code)
    return render(request, "coordination/form.html", {"form": form, "title": _("Record a leader's instruction"),
                  "cancel_url": reverse("coordination_instruction_list")},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def instruction_task_add(request, code):
    instruction = access.get_instruction(request.user, code)
    form = InstructionTaskForm(request.POST or None, initial={"title": instruction.subject})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.instruction_task(actor=request.user, instruction=instruction, title=data["title"],
                                      lead_unit=data["lead_unit"], supporting_units=list(data["supporting_units"]),
                                      limit_text=data["limit_text"], target=instruction.text)  # fmt: skip
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Task created."))
            return redirect("coordination_instruction_detail", code=instruction.code)
    return render(request, "coordination/form.html", {"form": form, "title": _("Turn the instruction into a task"),
                  "cancel_url": reverse("coordination_instruction_detail", args=[instruction.code])},
                  status=400 if form.errors else 200)  # fmt: skip
