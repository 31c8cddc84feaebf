"""``tirage create_staff USERNAME --role ROLE [--office CODE] [--password P]``.

ROLE is ``coordination``, ``agent`` (agent d'accueil) or ``observateur``.

Creates (or updates) a staff account with one role. Counter agents need
``--office`` (the code of their mairie de quartier, e.g. ``mdq-nord``). Without
``--password`` a random one is generated and printed once.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tirage.audit.services import log_action
from tirage.backoffice import roles
from tirage.backoffice.models import StaffProfile
from tirage.calls.models import Office

ROLE_NAMES = {
    "coordination": roles.COORDINATOR,
    "agent": roles.COUNTER_AGENT,
    "observateur": roles.OBSERVER,
}


class Command(BaseCommand):
    help = "Create or update a staff account (coordination, agent d'accueil, observateur)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLE_NAMES))
        parser.add_argument("--office", default="", help="office code, e.g. mdq-nord (agents)")
        parser.add_argument("--password", default="", help="default: generated and printed")
        parser.add_argument("--email", default="")

    @transaction.atomic
    def handle(self, username, role, office, password, email, **options):
        place = None
        if office:
            place = Office.objects.filter(code=office).first()
            if place is None:
                codes = (
                    ", ".join(Office.objects.values_list("code", flat=True))
                    or "aucun (tirage load_call)"
                )
                raise CommandError(f"Unknown office {office!r}; known: {codes}")
        elif role == "agent":
            raise CommandError("A counter agent needs --office CODE (their mairie de quartier).")
        roles.ensure_groups()
        generated = not password
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        if email:
            user.email = email
        user.set_password(password)
        user.save()
        user.groups.remove(*Group.objects.filter(name__in=roles.ROLES))
        user.groups.add(Group.objects.get(name=ROLE_NAMES[role]))
        StaffProfile.objects.update_or_create(user=user, defaults={"office": place})
        log_action(
            user,
            "staff.account_created" if created else "staff.account_updated",
            actor_label="commande create_staff",
            data={"role": ROLE_NAMES[role], "office": place.code if place else None},
        )
        verb = "Created" if created else "Updated"
        self.stdout.write(
            f"{verb} {username} ({ROLE_NAMES[role]}{', ' + place.code if place else ''})."
        )
        if generated:
            self.stdout.write(f"Password: {password}")
