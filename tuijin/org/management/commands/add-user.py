"""`tuijin add-user NAME --role ROLE [--unit UNIT] [--display-name X] [--password-stdin]`"""

import select
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tuijin.org import services
from tuijin.org.models import Role, User


def _stdin_has_data(stream) -> bool:
    """Whether a password was piped in: stdin is not a terminal and has something to read now."""
    try:
        if stream.isatty() or not stream.readable():
            return False
    except (AttributeError, ValueError, OSError):
        return False
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return True  # an in-memory stream: reading it cannot block
    ready, _w, _x = select.select([fd], [], [], 0.2)
    return bool(ready)


class Command(BaseCommand):
    help = "Create a user with one role, in a unit when the role needs one. Audited as done by the system."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="One of: " + ", ".join(Role.values))
        parser.add_argument("--unit", help="Unit name or alias; required for the role 'unit'")
        parser.add_argument("--display-name", default="")
        parser.add_argument(
            "--password-stdin", action="store_true",
            help="Read the password from the first line of standard input (also done when a password is piped in)",
        )  # fmt: skip

    def handle(self, *args, **options):
        role, username = options["role"], options["username"]
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}; use one of: {', '.join(Role.values)}")
        unit = None
        if options["unit"]:
            unit = services.find_unit(options["unit"])
            if unit is None:
                raise CommandError(f"No unit is named {options['unit']!r} (by name or alias).")
        elif role in services.ROLES_NEEDING_UNIT:
            raise CommandError(f"The role {role!r} needs --unit.")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        password = self.read_password(options.get("stdin") or sys.stdin, required=options["password_stdin"])
        try:
            with transaction.atomic():
                user, password_used = services.create_user(
                    actor=None, username=username, display_name=options["display_name"], password=password
                )
                services.add_membership(actor=None, user=user, role=role, unit=unit)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        where = f" in {unit.name}" if unit else ""
        self.stdout.write(f"Created user {user.username} ({role}{where}).")
        if password is None:
            self.stdout.write(f"Password: {password_used}")

    def read_password(self, stream, *, required: bool) -> str | None:
        if not required and not _stdin_has_data(stream):
            return None
        try:
            password = stream.readline().rstrip("\r\n")
        except OSError:
            password = ""
        if required and not password:
            raise CommandError("--password-stdin was given but standard input has no password.")
        return password or None
