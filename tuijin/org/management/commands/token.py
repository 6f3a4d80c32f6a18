"""`tuijin token NAME`: issue an API token for a user and print only the key, so a script can capture it."""

from django.core.management.base import BaseCommand, CommandError

from tuijin.org import services
from tuijin.org.models import User


class Command(BaseCommand):
    help = "Issue a new API token for a user and print the key (shown once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is named {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"The user {user.username!r} is deactivated.")
        _token, key = services.issue_token(actor=None, user=user)
        self.stdout.write(key)
