"""The one error the council's services raise: a refusal worded in French for the person at the screen."""

from __future__ import annotations


class MeetingError(Exception):
    """An operation on the council's life is refused; nothing was saved.

    ``message`` is French and precise (who, which field, by how much);
    ``field`` names the form field it concerns when there is one (``None``:
    the whole form); ``errors`` holds every message when several rows were
    wrong at once (a sign-in sheet with two mistakes lists both).
    """

    def __init__(self, message: str, *, field: str | None = None, errors: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or [message]

    def add_to_form(self, form, aliases: dict[str, str | None] | None = None) -> None:
        """Put every message on the form field ``field`` names (through ``aliases`` when the
        form calls it otherwise), or on the whole form when it has no such field."""
        name = (aliases or {}).get(self.field or "", self.field)
        target = name if name in form.fields else None
        for message in self.errors:
            form.add_error(target, message)

    @classmethod
    def many(cls, errors: list[str]) -> MeetingError:
        """One error carrying several row messages (joined for ``str()``)."""
        return cls(" ".join(errors), errors=errors)
