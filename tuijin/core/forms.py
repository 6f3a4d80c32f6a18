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
    q = forms.CharField(label=_("Actor, action or object"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, events):
        from django.db.models import Q

        q = self.cleaned_data.get("q")
        if q:
            events = events.filter(
                Q(actor_name__icontains=q)
                | Q(action__icontains=q)
                | Q(object_repr__icontains=q)
                | Q(object_type=q)
            )
        if self.cleaned_data.get("start"):
            events = events.filter(at__date__gte=self.cleaned_data["start"])
        if self.cleaned_data.get("end"):
            events = events.filter(at__date__lte=self.cleaned_data["end"])
        return events
