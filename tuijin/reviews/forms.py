"""Forms of the round pages: the round, its rules, subjects, raters, codes, paper counts and the ballot sheet."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit
from tuijin.tasks.evidence import check_upload

from .codes import looks_valid
from .models import RaterGroup, Review, Subject
from .services import MAX_CODES, REPORT_KINDS, check_rules
from .voting import Ballot

REPORT_ACCEPT = (
    ".pdf,.doc,.docx,application/pdf,application/msword,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


class Styled:
    """Bootstrap classes on every widget, so the templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class ReviewForm(Styled, forms.ModelForm):
    class Meta:
        model = Review
        fields = ["title", "year", "date", "issuing_organ"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


# ——— rules: one line per group, option or band ———


def lines_text(rows) -> str:
    return "\n".join(f"{Decimal(number).normalize():f} {label}" for label, number in rows)


def parse_lines(text: str, *, what: str, low: Decimal, high: Decimal) -> list[tuple[str, Decimal]]:
    """'30 领导班子成员' lines → [(name, Decimal)]; errors name the line."""
    rows, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, _sep, label = line.replace("\u3000", " ").partition(" ")
        head = head.rstrip("%％")
        try:
            value = Decimal(head)
        except InvalidOperation:
            value = None
        label = label.strip()
        if value is None or not label:
            errors.append(_("Line %(n)d (“%(line)s”): write the number, a space, then the %(what)s.")
                          % {"n": number, "line": line, "what": what})  # fmt: skip
        elif not low <= value <= high or value.as_tuple().exponent < -2:
            errors.append(_("Line %(n)d (“%(line)s”): the number must be between %(low)s and %(high)s, "
                            "with at most two decimals.") % {"n": number, "line": line, "low": low, "high": high})  # fmt: skip
        elif len(label) > 50:
            errors.append(_("Line %(n)d: the name is too long.") % {"n": number})
        else:
            rows.append((label, value))
    if errors:
        raise ValidationError(errors)
    return rows


class RulesForm(Styled, forms.Form):
    quorum_numerator = forms.IntegerField(label=_("Quorum: at least"), min_value=1, max_value=99)
    quorum_denominator = forms.IntegerField(label=_("out of"), min_value=1, max_value=99)
    groups = forms.CharField(
        label=_("Rater groups"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: the weight in %, then the group's name, e.g. “30 领导班子成员”. "
                    "The weights must add up to 100."),
    )  # fmt: skip
    options = forms.CharField(
        label=_("Ballot options"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, best first: the points, then the label, e.g. “100 好”."),
    )  # fmt: skip
    bands = forms.CharField(
        label=_("Grade bands"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: the lowest weighted score for the grade, then its name, e.g. “90 好”."),
    )  # fmt: skip

    @classmethod
    def for_review(cls, review: Review, data=None):
        initial = {
            "quorum_numerator": review.quorum_numerator,
            "quorum_denominator": review.quorum_denominator,
            "groups": lines_text((g.name, g.weight) for g in review.groups.all()),
            "options": lines_text((o.label, o.weight) for o in review.options.all()),
            "bands": lines_text((b.label, b.min_score) for b in review.bands.all()),
        }
        return cls(data, initial=initial)

    def clean_groups(self):
        return parse_lines(
            self.cleaned_data["groups"], what=_("group's name"), low=Decimal(0), high=Decimal(100)
        )

    def clean_options(self):
        return parse_lines(
            self.cleaned_data["options"], what=_("option's label"), low=Decimal(0), high=Decimal(100)
        )

    def clean_bands(self):
        return parse_lines(self.cleaned_data["bands"], what=_("grade"), low=Decimal(0), high=Decimal(100))

    def clean(self):
        data = super().clean()
        n, d = data.get("quorum_numerator"), data.get("quorum_denominator")
        if n and d and n > d:
            self.add_error("quorum_numerator", _("The quorum cannot be more than all ballots."))
        if all(k in data for k in ("groups", "options", "bands")):
            for problem in check_rules(data["groups"], data["options"], data["bands"]):
                self.add_error(None, problem)
        return data


# ——— subjects ———


class SubjectForm(Styled, forms.ModelForm):
    report_file = forms.FileField(
        label=_("Written report"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": REPORT_ACCEPT}),
        help_text=_("PDF or Word; checked by its content."),
    )  # fmt: skip

    class Meta:
        model = Subject
        fields = ["organisation", "unit", "secretary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active()
        if not self.instance.pk:
            self.fields["report_file"].required = True

    def clean_report_file(self):
        upload = self.cleaned_data.get("report_file")
        if not upload:
            return None
        checked = check_upload(upload)
        if checked.kind not in REPORT_KINDS:
            raise ValidationError(
                _("%(name)s: the written report must be a PDF or Word file.") % {"name": checked.name}
            )
        return checked


class CountingForm(Styled, forms.Form):
    counting = forms.ChoiceField(
        label=_("Counting"), choices=RaterGroup.Counting.choices, widget=forms.RadioSelect
    )


class RatersForm(Styled, forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("Raters"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = queryset


class CodesForm(Styled, forms.Form):
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=MAX_CODES, initial=10)


class PublishForm(Styled, forms.Form):
    document_number = forms.CharField(
        label=_("Document number of the circular"), max_length=50, required=False,
        help_text=_("For example 郑直工〔2026〕12号; leave empty if there is none."),
    )  # fmt: skip


class PaperCountForm(Styled, forms.Form):
    """Issued and returned sheets, and a count per subject and option."""

    issued = forms.IntegerField(label=_("Ballots issued"), min_value=0, max_value=100000)
    returned = forms.IntegerField(label=_("Ballots returned"), min_value=0, max_value=100000)

    def __init__(self, *args, subjects, options, tallies: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects, self.options = subjects, options
        for subject in subjects:
            for option in options:
                self.fields[self.key(subject, option)] = forms.IntegerField(
                    label=f"{subject.organisation} · {option.label}", min_value=0, max_value=100000,
                    initial=tallies.get((subject.pk, option.pk), 0),
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm text-end", "inputmode": "numeric"}),
                )  # fmt: skip

    @staticmethod
    def key(subject, option) -> str:
        return f"t_{subject.pk}_{option.pk}"

    def rows(self):
        return [(s, [self[self.key(s, o)] for o in self.options]) for s in self.subjects]

    def counts(self) -> dict[tuple[int, int], int]:
        return {(s.pk, o.pk): self.cleaned_data[self.key(s, o)] for s in self.subjects for o in self.options}

    def warnings(self) -> list[str]:
        """What will show as void, so the committee can check the sheets again before publishing."""
        data = self.cleaned_data
        found = []
        if data["returned"] > data["issued"]:
            found.append(_("More ballots returned (%(r)d) than issued (%(i)d): the group's count will be void.")
                         % {"r": data["returned"], "i": data["issued"]})  # fmt: skip
        for subject in self.subjects:
            votes = sum(data[self.key(subject, o)] for o in self.options)
            if votes > data["returned"]:
                found.append(_("%(name)s: %(v)d votes but %(r)d ballots returned: void for this subject.")
                             % {"name": subject.organisation, "v": votes, "r": data["returned"]})  # fmt: skip
        return found


# ——— the ballot sheet ———


class BallotForm(forms.Form):
    """One row of options per subject; every row must be answered. Field names are the subjects' codes, values
    the option labels — no database key appears on the sheet."""

    def __init__(self, *args, subjects, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = list(subjects)
        self.options = list(options)
        choices = [(o.label, o.label) for o in self.options]
        for subject in self.subjects:
            self.fields[f"s-{subject.code}"] = forms.ChoiceField(
                label=subject.organisation, choices=choices, widget=forms.RadioSelect,
                error_messages={"required": _("Choose an option for %(name)s.") % {"name": subject.organisation}},
            )  # fmt: skip

    def rows(self):
        return [(subject, self[f"s-{subject.code}"]) for subject in self.subjects]

    @property
    def unanswered(self) -> int:
        """How many rows are still open, once the sheet has been checked."""
        return sum(1 for name in self.errors if name.startswith("s-"))

    def ballot(self) -> Ballot:
        by_label = {o.label: o.pk for o in self.options}
        return Ballot({s.pk: by_label[self.cleaned_data[f"s-{s.code}"]] for s in self.subjects})


class CodeEntryForm(Styled, forms.Form):
    code = forms.CharField(
        label=_("Voting code"), max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "placeholder": "XXXX-XXXX-XXXX", "class": "form-control form-control-lg text-center"}),
    )  # fmt: skip

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not looks_valid(code):
            raise ValidationError(
                _("This is not a voting code: it has 12 letters and digits, as on the slip.")
            )
        return code
