from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label=_("Kind"),
        choices=[("0", _("Holiday (rest day)")), ("1", _("Make-up working day"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Note"), max_length=64, required=False)


class AuditFilterForm(forms.Form):
    """The auditor's filters; every one narrows the queryset in the database (no per-row work)."""

    CATEGORIES = [
        ("", _("All events")),
        ("logins", _("Sign-ins and sign-outs")),
        ("failures", _("Failures")),
        ("denials", _("Permission denials")),
        ("changes", _("Data and configuration changes")),
        ("exports", _("Exports and downloads")),
    ]
    OUTCOMES = [("", _("Any outcome")), ("success", _("Succeeded")), ("failure", _("Failed"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    category = forms.ChoiceField(label=_("Category"), choices=CATEGORIES, required=False)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field, forms.ChoiceField)
            field.widget.attrs.update(
                {"class": "form-select form-select-sm" if select else "form-control form-control-sm"}
            )
            if not select:
                field.widget.attrs.setdefault("placeholder", field.label)
            field.widget.attrs["aria-label"] = field.label

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def filter(self, events):
        import datetime

        from django.db.models import Q
        from django.utils import timezone

        data = self.cleaned_data
        category = data.get("category")
        if category:
            events = getattr(events, category)()
        if data.get("outcome") == "success":
            events = events.filter(success=True)
        elif data.get("outcome") == "failure":
            events = events.filter(success=False)
        # Whole local days, as ranges on the indexed column (no per-row date conversion).
        if data.get("start"):
            start = datetime.datetime.combine(data["start"], datetime.time.min)
            events = events.filter(at__gte=timezone.make_aware(start))
        if data.get("end"):
            end = data["end"] + datetime.timedelta(days=1)
            events = events.filter(
                at__lt=timezone.make_aware(datetime.datetime.combine(end, datetime.time.min))
            )
        if data.get("actor"):
            who = data["actor"].strip()
            events = events.filter(Q(actor_name__icontains=who) | Q(actor__username__iexact=who))
        if data.get("action"):
            events = events.filter(action__startswith=data["action"].strip())
        if data.get("object_type"):
            events = events.filter(object_type__startswith=data["object_type"].strip())
        q = (data.get("q") or "").strip()
        if q:
            events = events.filter(
                Q(actor_name__icontains=q)
                | Q(action__icontains=q)
                | Q(object_repr__icontains=q)
                | Q(object_type__icontains=q)
                | Q(object_id=q)
                | Q(request_id=q)
                | Q(ip__startswith=q)
            )
        return events
