"""No superuser outside development and no demo account outside demo mode (等保: no default accounts).

A demo account is a demo login name that still has the published demo password: a real administrator may
well be called "sysadmin".

These look into the database, so they run where Django passes `databases` to the checks: `tuijin migrate`
(every deployment runs it) and `tuijin check --database default` — not on every management command."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security)
def check_accounts(app_configs, databases=None, **kwargs):
    if not databases:
        return []
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password

    from tuijin.core.demo import _all_logins
    from tuijin.core.demo_data import PASSWORD

    users = get_user_model().objects
    problems = []
    try:
        if not settings.DEBUG and users.filter(is_superuser=True, is_active=True).exists():
            problems.append(
                Error(
                    "A superuser account exists and DEBUG is off.",
                    hint="Superusers bypass the separation of the three administrators; deactivate them "
                    "(tuijin shell) and use the sysadmin, secadmin and auditor roles.",
                    id="tuijin.E101",
                )
            )
        if not settings.DEMO_MODE:
            named = users.filter(username__in=_all_logins(), is_active=True)
            # The demo users share one hash, so this hashes the demo password about once.
            hashes = {
                h for h in named.values_list("password", flat=True).distinct() if check_password(PASSWORD, h)
            }
            demo = sorted(named.filter(password__in=hashes).values_list("username", flat=True))
            if demo:
                problems.append(
                    Error(
                        f"Demo accounts exist outside demo mode: {', '.join(demo[:8])}"
                        + ("…" if len(demo) > 8 else "")
                        + ".",
                        hint="Demo accounts share a published password. Use a database without the demo data, "
                        "or set DEMO_MODE=1 on a demonstration server.",
                        id="tuijin.E102",
                    )
                )
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    return problems
