"""Domain rules of a call: age, residence and probable duplicates."""

from __future__ import annotations

import datetime as dt
import unicodedata


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day``; the birthday itself counts (born 2009-06-06 → 16 on 2025-06-06).

    People born on 29 February have their birthday on 1 March in common years
    (the French civil-law reading).
    """
    years = day.year - birth_date.year
    try:
        birthday = birth_date.replace(year=day.year)
    except ValueError:  # 29 February in a common year
        birthday = dt.date(day.year, 3, 1)
    if day < birthday:
        years -= 1
    return years


def fold(text: str) -> str:
    """Case-, accent-, hyphen- and space-insensitive form of a name or commune."""
    decomposed = unicodedata.normalize("NFKD", text)
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in no_marks.casefold())
    return " ".join(cleaned.replace("œ", "oe").replace("æ", "ae").split())


def identity_key(family_name: str, given_name: str, birth_date: dt.date) -> str:
    """Key for probable duplicates: same normalised names and birth date.

    Spaces and hyphens are ignored (``Jean-Pierre`` = ``Jean Pierre`` = ``jeanpierre``).
    """
    return f"{fold(family_name).replace(' ', '')}|{fold(given_name).replace(' ', '')}|{birth_date.isoformat()}"


def residence_problem(call, postcode: str, commune: str) -> str:
    """Why the address is outside the call's area, in French ('' when it is inside)."""
    postcodes = [p.strip() for p in call.postcodes]
    communes = [fold(c) for c in call.communes]
    if postcodes and postcode.strip() not in postcodes:
        return f"Code postal {postcode.strip()} hors du territoire ({', '.join(postcodes)})."
    if communes and fold(commune) not in communes:
        return f"Commune « {commune.strip()} » hors du territoire ({', '.join(call.communes)})."
    return ""


def ineligibility_reason(call, birth_date: dt.date, postcode: str, commune: str) -> str:
    """The French reason an applicant is not eligible, or '' when eligible."""
    age = age_on(birth_date, call.age_date)
    if age < call.min_age:
        return (
            f"Âge : {age} ans au {call.age_date:%d/%m/%Y}, "
            f"il faut avoir au moins {call.min_age} ans."
        )
    return residence_problem(call, postcode, commune)
