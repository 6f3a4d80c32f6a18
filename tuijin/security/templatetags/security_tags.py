"""`{% user_security_panel subject %}` on the user page: sign-in lock and two-factor state, with the security
administrator's unlock and reset buttons."""

from django import template

from tuijin.org.models import Role

from ..lockout import Kind, active_lock, normalise
from ..models import TOTPDevice
from ..signin import two_factor_required

register = template.Library()


@register.inclusion_tag("security/_user_panel.html", takes_context=True)
def user_security_panel(context, subject):
    viewer = context["request"].user
    device = TOTPDevice.objects.filter(user=subject, confirmed_at__isnull=False).first()
    return {
        "subject": subject,
        "lock": active_lock(Kind.ACCOUNT, normalise(subject.username)),
        "device": device,
        "required": two_factor_required(subject),
        "may_act": viewer.has_role(Role.SECADMIN),
        "csrf_token": context.get("csrf_token"),
    }
