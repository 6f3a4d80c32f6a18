from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Channel, Preference
from .services import webhook_error


class InboxFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"), choices=[("all", _("All notices")), ("unread", _("Unread only"))], required=False
    )

    def filter(self, notices):
        if self.cleaned_data.get("show") == "unread":
            notices = notices.filter(read_at__isnull=True)
        return notices


class PreferenceForm(forms.ModelForm):
    digest_hour = forms.TypedChoiceField(
        label=_("Digest hour"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        initial=8,
        help_text=_("The daily digest goes out at the first run of the scheduler from this hour on."),
    )

    class Meta:
        model = Preference
        fields = ["email", "email_address", "wecom_webhook", "dingtalk_webhook", "mode", "digest_hour"]
        labels = {
            "email": _("Send notices by email"),
            "wecom_webhook": _("WeCom group robot address"),
            "dingtalk_webhook": _("DingTalk group robot address"),
        }
        help_texts = {
            "wecom_webhook": _(
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… from the group's robot."
            ),
            "dingtalk_webhook": _(
                "https://oapi.dingtalk.com/robot/send?access_token=… from the group's robot; its security "
                "setting must allow this server's address or a keyword found in the notices."
            ),
        }
        widgets = {"mode": forms.RadioSelect(attrs={"class": "form-check-input"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email_address"].help_text = (
            _("Leave empty to use your account's address (%(address)s).") % {"address": user.email}
            if user.email
            else _("Your account has no email address; enter one here to receive email.")
        )

    def _webhook(self, channel: str, field: str) -> str:
        url = self.cleaned_data.get(field, "").strip()
        if url and webhook_error(channel, url):
            raise ValidationError(webhook_error(channel, url))
        return url

    def clean_wecom_webhook(self):
        return self._webhook(Channel.WECOM, "wecom_webhook")

    def clean_dingtalk_webhook(self):
        return self._webhook(Channel.DINGTALK, "dingtalk_webhook")

    def clean(self):
        data = super().clean()
        if data.get("email") and not (data.get("email_address") or self.user.email):
            self.add_error("email_address", _("Enter the address to send email to."))
        return data
