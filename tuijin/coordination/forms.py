"""Forms of the coordination pages: roster terms, joint meetings, meetings, agenda, decisions, minutes, instructions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Role, Unit, User
from tuijin.tasks.forms_import import check_list_file

from .models import AgendaItem, JointMeeting, LiaisonTerm, Meeting

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def units():
    return Unit.objects.active().order_by("kind", "sort_order", "name")


class StyledMixin:
    """Bootstrap classes on every widget, so templates need no script to add them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class LiaisonTermForm(StyledMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), to_field_name="code")
    role = forms.ChoiceField(label=_("Role"), choices=LiaisonTerm.Role.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    position = forms.CharField(label=_("Position"), max_length=50, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    office_phone = forms.CharField(label=_("Office phone"), max_length=30, required=False)
    user = forms.ModelChoiceField(label=_("Account"), queryset=User.objects.none(), required=False,
                                  to_field_name="code", help_text=_("The person's own account, if they have one."))  # fmt: skip
    start_date = forms.DateField(label=_("From"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units()
        self.fields["user"].queryset = User.objects.filter(
            is_active=True, memberships__role=Role.UNIT
        ).distinct()


class EndTermForm(StyledMixin, forms.Form):
    end_date = forms.DateField(label=_("Until"), widget=DATE, initial=timezone.localdate)


class JointMeetingForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = JointMeeting
        fields = [
            "name",
            "convener",
            "members",
            "minutes_prefix",
            "issuing_organ",
            "description",
            "is_active",
        ]
        widgets = {
            "members": forms.SelectMultiple(attrs={"size": 12}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convener"].queryset = units()
        self.fields["members"].queryset = units()


class MeetingForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "place",
            "chair",
            "agenda_cutoff",
            "pre_meeting_at",
            "pre_meeting_place",
        ]
        widgets = {"starts_at": DATETIME, "pre_meeting_at": DATETIME, "agenda_cutoff": DATE}

    def clean(self):
        data = super().clean()
        starts, cutoff, pre = data.get("starts_at"), data.get("agenda_cutoff"), data.get("pre_meeting_at")
        if starts and cutoff and cutoff > timezone.localdate(starts):
            self.add_error("agenda_cutoff", _("The agenda cut-off must be on or before the meeting day."))
        if starts and pre and pre > starts:
            self.add_error("pre_meeting_at", _("The liaison pre-meeting comes before the meeting."))
        return data


class AgendaItemForm(StyledMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Proposed by"), queryset=Unit.objects.none(), to_field_name="code")
    title = forms.CharField(label=_("Matter"), max_length=300)
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, proposing_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in proposing_units])
        if len(proposing_units) == 1:
            self.fields["unit"].initial = proposing_units[0].code


class SettleAgendaForm(StyledMixin, forms.Form):
    accepted = forms.ModelMultipleChoiceField(
        label=_("On the agenda"), queryset=AgendaItem.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, to_field_name="code",
        help_text=_("Items not ticked are deferred."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note of the pre-meeting"), max_length=300, required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        items = meeting.agenda_items.select_related("unit").order_by("created_at", "id")
        self.fields["accepted"].queryset = items
        self.fields["accepted"].label_from_instance = lambda item: f"{item.unit.name}：{item.title}"
        self.fields["accepted"].initial = [i.code for i in items if i.state != AgendaItem.State.DEFERRED]


class DecisionForm(StyledMixin, forms.Form):
    text = forms.CharField(label=_("Decision taken"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.none(), to_field_name="code"
    )
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=Unit.objects.none(), required=False, to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    limit_text = forms.CharField(label=_("Time limit"), max_length=300, required=False,
                                 help_text=_("As written in the minutes, e.g. 6月底前, 年底前, 2021年9月30日前."))  # fmt: skip
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False,
                                         to_field_name="code")  # fmt: skip

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units()
        self.fields["supporting_units"].queryset = units()
        self.fields["agenda_item"].queryset = meeting.agenda_items.filter(state=AgendaItem.State.ACCEPTED)

    def clean(self):
        data = super().clean()
        lead, support = data.get("lead_unit"), data.get("supporting_units") or []
        if lead and lead in support:
            self.add_error("supporting_units", _("The lead unit cannot also be a supporting unit."))
        return data


class MinutesForm(StyledMixin, forms.Form):
    summary = forms.CharField(label=_("Minutes text"), widget=forms.Textarea(attrs={"rows": 8}), required=False,
                              help_text=_("What the meeting heard and discussed; the decisions follow, numbered."))  # fmt: skip
    confirm = forms.BooleanField(
        label=_("Issue the minutes: number them, turn each decision into a task and lock the meeting.")
    )


class InstructionForm(StyledMixin, forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=User.objects.none(), to_field_name="code")
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 4}))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none(), to_field_name="code",
                                       required=False, help_text=_("Given a lead unit, the instruction becomes a task."))  # fmt: skip
    supporting_units = forms.ModelMultipleChoiceField(label=_("Supporting units"), queryset=Unit.objects.none(),
                                                      required=False, to_field_name="code",
                                                      widget=forms.SelectMultiple(attrs={"size": 6}))  # fmt: skip
    limit_text = forms.CharField(label=_("Time limit"), max_length=300, required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct()
        if not viewer.is_supervisor:
            leaders = leaders.filter(pk=viewer.pk)
            self.fields["leader"].initial = viewer.code
        self.fields["leader"].queryset = leaders
        self.fields["lead_unit"].queryset = units()
        self.fields["supporting_units"].queryset = units()


class InstructionTaskForm(StyledMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=500)
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.none(), to_field_name="code"
    )
    supporting_units = forms.ModelMultipleChoiceField(label=_("Supporting units"), queryset=Unit.objects.none(),
                                                      required=False, to_field_name="code",
                                                      widget=forms.SelectMultiple(attrs={"size": 6}))  # fmt: skip
    limit_text = forms.CharField(label=_("Time limit"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units()
        self.fields["supporting_units"].queryset = units()


class DecisionImportForm(StyledMixin, forms.Form):
    file = forms.FileField(label=_("Decisions (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           help_text=_("Columns: 序号, 议定事项, 牵头单位, 配合单位, 完成时限 — as in the export."))  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an Excel workbook (.xlsx)."))
        check_list_file(upload)
        return upload


class AttendanceForm(StyledMixin, forms.Form):
    """The organiser records someone present who cannot sign in from a phone."""

    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), to_field_name="code")

    def __init__(self, *args, meeting: Meeting, **kwargs):
        from . import access

        super().__init__(*args, **kwargs)
        units = access.member_unit_ids(meeting.joint_meeting)
        present = meeting.attendance.values("user_id")
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, memberships__role=Role.UNIT, memberships__unit__in=units)
            .exclude(pk__in=present)
            .distinct()
            .order_by("display_name", "username")
        )
