"""The members' space door: sign-in by a link sent by e-mail or a code printed on a letter.

Stable interface for other apps: ``member_required`` (view decorator setting
``request.member``), ``tirage.council.space.links.login_link(member)`` and
``print_code(member)``. The pages members see once signed in live in
``tirage.meetings.space``.
"""

from tirage.council.space.decorators import member_required

__all__ = ["member_required"]
