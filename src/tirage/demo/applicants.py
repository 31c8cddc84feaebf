"""A synthetic, realistic pool of applications for the demo and for trials.

``plan_pool`` draws people (Faker ``fr_FR`` names, ages skewed to retirees, more
women than men, real Roubaix streets) and ``submit_pool`` hands each one to the
real ``submit_application`` service, so the call's rules (age, residence,
probable duplicates) decide every status exactly as for a real applicant.

The plan is deterministic for a given seed: the same people, addresses and
dates (receipt codes stay random: they come from ``secrets``). It also holds a
few awkward cases staff must meet in a real call: probable duplicates typed
with other accents or capitals, people under the minimum age, addresses
outside the city and streets nobody can find.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from tirage.applications.eligibility import age_on
from tirage.applications.models import Channel, Gender
from tirage.applications.services import submit_application
from tirage.calls.models import PARIS, Call
from tirage.geo.address import resolve_address


@dataclass(frozen=True)
class Street:
    """A real street of Roubaix and where it lies (codes of ``tirage.geo``)."""

    street_id: str
    label: str
    quartier: str
    secteur: str


def _streets(secteur: str, rows: list[tuple[str, str, str]]) -> tuple[Street, ...]:
    return tuple(Street(sid, label, quartier, secteur) for sid, label, quartier in rows)


#: Streets lying in one secteur and one quartier (from the geo street table,
#: BD TOPO identifiers), ten or so per secteur.
# fmt: off
ROUBAIX_STREETS: dict[str, tuple[Street, ...]] = {
    "nord": _streets("nord", [
        ("59512_0100", "Rue d'Alger", "Q03"),
        ("59512_3050", "Rue Lacroix", "Q04"),
        ("59512_5280", "Boulevard de Strasbourg", "Q04"),
        ("59512_5660", "Rue Voltaire", "Q03"),
        ("59512_1660", "Rue Delespaul", "Q03"),
        ("59512_2100", "Rue du Fontenoy", "Q02"),
        ("59512_5470", "Rue Turgot", "Q03"),
        ("59512_1380", "Rue de Constantine", "Q03"),
        ("59512_2130", "Avenue de la Fosse aux Chênes", "Q02"),
        ("59512_2640", "Rue de l'Hommelet", "Q04"),
        ("59512_0920", "Rue du Caire", "Q03"),
    ]),
    "sud": _streets("sud", [
        ("59512_1900", "Rue Edouard Vaillant", "Q07"),
        ("59512_2590", "Rue Henri Regnault", "Q07"),
        ("59512_3040", "Boulevard Lacordaire", "Q07"),
        ("59512_1190", "Rue du Chemin Neuf", "Q12"),
        ("59512_3360", "Rue Louis Braille", "Q12"),
        ("59512_1830", "Rue Dupuy de Lôme", "Q08"),
        ("59512_4600", "Rue de la Potennerie", "Q08"),
        ("59512_2609", "Avenue des Hêtres", "Q07"),
        ("59512_4607", "Avenue du Président Coty", "Q13"),
        ("59512_2880", "Rue Jean Macé", "Q13"),
        ("59512_4470", "Rue Pierre Brossolette", "Q13"),
    ]),
    "est": _streets("est", [
        ("59512_0960", "Rue de Carihem", "Q11"),
        ("59512_2925", "Avenue Jules Brame", "Q11"),
        ("59512_walnek", "Boulevard de Grimonpont", "Q11"),
        ("59512_4608", "Avenue du Président Kennedy", "Q11"),
        ("59512_4540", "Rue du Pile", "Q10"),
        ("59512_5600", "Rue Victor Hugo", "Q12"),
        ("59512_1340", "Rue de Condé", "Q10"),
        ("59512_2200", "Rue Franklin", "Q10"),
        ("59512_0250", "Rue d'Anzin", "Q11"),
        ("59512_3820", "Rue Monge", "Q10"),
        ("59512_1320", "Boulevard de Colmar", "Q10"),
    ]),
    "ouest": _streets("ouest", [
        ("59512_0320", "Rue des Arts", "Q05"),
        ("59512_1930", "Rue de l'Épeule", "Q05"),
        ("59512_4760", "Boulevard de la République", "Q01"),
        ("59512_2710", "Rue de l'Industrie", "Q05"),
        ("59512_0300", "Boulevard d'Armentières", "Q01"),
        ("59512_u2qo37", "Avenue d'Alsace", "Q01"),
        ("59512_4170", "Rue de l'Ouest", "Q01"),
        ("59512_2750", "Rue d'Isly", "Q05"),
        ("59512_5240", "Rue de Soubise", "Q05"),
        ("59512_3850", "Boulevard Montesquieu", "Q05"),
        ("59512_2230", "Rue du Fresnoy", "Q01"),
    ]),
    "centre": _streets("centre", [
        ("59512_2800", "Avenue Jean Lebas", "Q06"),
        ("59512_2320", "Boulevard du Général Leclerc", "Q06"),
        ("59512_0201", "Avenue André Diligent", "Q06"),
        ("59512_1970", "Rue de l'Espérance", "Q06"),
        ("59512_2555", "Rue Henri Dunant", "Q06"),
        ("59512_0940", "Boulevard de Cambrai", "Q07"),
        ("59512_3960", "Rue Nain", "Q06"),
        ("59512_5540", "Rue Vauban", "Q07"),
        ("59512_2884", "Rue Jean Monnet", "Q06"),
        ("59512_2960", "Rue Jules Watteeuw", "Q06"),
        ("59512_1290", "Rue Colbert", "Q07"),
    ]),
}
# fmt: on

#: Share of applicants per secteur: Centre and Sud apply more, Est less.
SECTEUR_SHARES = {"centre": 0.27, "sud": 0.25, "nord": 0.19, "ouest": 0.18, "est": 0.11}
GENDER_SHARES: dict[str, float] = {Gender.FEMME: 0.56, Gender.HOMME: 0.42, Gender.AUTRE: 0.02}
#: (youngest, oldest, weight): ages on the closing date, skewed to retirees.
# fmt: off
AGE_BANDS = (
    (16, 17, 3), (18, 24, 7), (25, 34, 11), (35, 44, 13), (45, 54, 15),
    (55, 64, 17), (65, 74, 22), (75, 84, 10), (85, 90, 2),
)
# fmt: on
ONLINE_SHARE = 0.70

#: Addresses in neighbouring communes (ineligible: outside Roubaix).
OUTSIDE_ADDRESSES = (
    ("Rue Nationale", "59200", "Tourcoing"),
    ("Rue de Lille", "59200", "Tourcoing"),
    ("Rue Carnot", "59150", "Wattrelos"),
    ("Rue Jean Jaurès", "59170", "Croix"),
)
#: Street names found nowhere in Roubaix (staff must check them).
UNKNOWN_STREETS = ("Rue des Cigales", "Chemin de la Garrigue", "Impasse du Mistral")

COMPLEMENTS = (
    "Appartement {n}",
    "Bâtiment {letter}",
    "Résidence les Tilleuls, bât. {letter}",
    "{n}e étage",
)
#: (youngest, oldest, text): short motivations, some only fit some ages.
MOTIVATIONS = (
    (0, 90, "Je voudrais aider les personnes qui ont du mal avec les démarches en ligne."),
    (62, 90, "Je suis à la retraite et j'ai du temps pour ma ville."),
    (60, 90, "Mes petits-enfants font tout sur le téléphone ; moi, j'ai besoin d'aide."),
    (22, 64, "Je travaille dans l'informatique et je veux être utile à mon quartier."),
    (14, 19, "Je suis au lycée, le numérique c'est notre quotidien, je veux donner mon avis."),
    (18, 90, "Les démarches de la CAF et des impôts sont trop compliquées sur internet."),
    (25, 90, "Je donne déjà des cours d'informatique bénévoles au centre social."),
    (0, 90, "Je veux comprendre ce que la ville fait de nos données."),
    (30, 90, "Il faut garder des guichets avec des personnes, pas seulement des sites."),
    (0, 90, "J'aimerais des services en ligne plus simples, lisibles par tous."),
    (0, 90, "Curiosité : participer à une instance citoyenne."),
    (0, 90, "Pour que les habitants de mon quartier soient représentés."),
    (35, 75, "J'aide ma mère au quotidien et je vois ses difficultés avec internet."),
    (18, 90, "La fibre n'arrive pas bien dans ma rue, je veux en parler."),
    (0, 90, "J'ai envie de m'impliquer dans la vie de Roubaix."),
)


@dataclass
class PlannedApplication:
    """One applicant of the plan, ready for ``submit_application``.

    ``kind``: ``regular``, ``duplicate`` (same person again, other spelling),
    ``too_young``, ``outside`` (address outside the city) or ``unknown_street``.
    ``office_code`` and ``received_on`` are set for paper forms only.
    """

    data: dict[str, Any]
    kind: str
    channel: str
    created_at: dt.datetime
    office_code: str = ""
    received_on: dt.date | None = None
    street: Street | None = field(default=None, repr=False)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class _Planner:
    def __init__(self, call: Call, *, seed: int, now: dt.datetime):
        self.call = call
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        self.now = now
        self.start = call.opens_at + dt.timedelta(hours=1)
        self.end = min(now, call.closes_at) - dt.timedelta(minutes=5)
        if self.end <= self.start:
            raise ValueError("The call must have been open for a while before ``now``.")
        self.offices = {o.secteur: o.code for o in call.offices.all()}

    # -- people -------------------------------------------------------------
    def person(self, gender: str, *, age: int | None = None) -> dict[str, Any]:
        fake, rng = self.fake, self.rng
        if gender == Gender.FEMME:
            given = fake.first_name_female()
        elif gender == Gender.HOMME:
            given = fake.first_name_male()
        else:
            given = fake.first_name()
        family = fake.last_name()
        if age is None:
            low, high, _ = rng.choices(AGE_BANDS, weights=[b[2] for b in AGE_BANDS])[0]
            age = rng.randint(low, high)
        # Born between one day after the (age+1)th and the age-th anniversary before closing.
        birth = _years_before(self.call.age_date, age) - dt.timedelta(days=rng.randint(0, 364))
        return {
            "gender": gender,
            "family_name": family,
            "given_name": given,
            "birth_date": birth,
            "consent_notice": True,
            "attests_residence": True,
            "address_complement": "",
            "email": "",
            "phone": "",
            "motivation": "",
        }

    def contact(self, data: dict[str, Any], channel: str) -> None:
        rng = self.rng
        if rng.random() < (0.85 if channel == Channel.ONLINE else 0.35):
            local = ".".join(
                _strip_accents(p).lower().replace(" ", "-").replace("'", "")
                for p in (data["given_name"], data["family_name"])
            )
            suffix = str(rng.randint(1, 99)) if rng.random() < 0.4 else ""
            data["email"] = f"{local}{suffix}@{self.fake.free_email_domain()}"
        if rng.random() < (0.4 if channel == Channel.ONLINE else 0.75):
            data["phone"] = (
                "0" + rng.choice("67") + "".join(f" {rng.randint(0, 99):02d}" for _ in range(4))
            )
        if rng.random() < (0.6 if channel == Channel.ONLINE else 0.4):
            age = age_on(data["birth_date"], self.call.age_date)
            data["motivation"] = rng.choice(
                [t for low, high, t in MOTIVATIONS if low <= age <= high]
            )

    def address(
        self,
        data: dict[str, Any],
        street: Street | None = None,
        *,
        name: str = "",
        postcode: str = "59100",
        commune: str = "Roubaix",
    ) -> None:
        rng = self.rng
        number = str(rng.randint(1, 220))
        if rng.random() < 0.05:
            number += " bis"
        data.update(
            street_number=number,
            street_name=street.label if street else name,
            postcode=postcode,
            commune=commune,
        )
        if rng.random() < 0.1:
            data["address_complement"] = rng.choice(COMPLEMENTS).format(
                n=rng.randint(1, 12), letter=rng.choice("ABCD")
            )

    # -- when and where -----------------------------------------------------
    def moment(self, not_before: dt.datetime | None = None) -> dt.datetime:
        """A time in the opening window, busier in the first week, during waking hours."""
        start = max(self.start, not_before or self.start)
        span = (self.end - start).total_seconds()
        first_week = min(span, 7 * 86400)
        offset = (
            first_week * self.rng.random() if self.rng.random() < 0.3 else span * self.rng.random()
        )
        moment = (start + dt.timedelta(seconds=offset)).astimezone(PARIS)
        hour = self.rng.choice((8, 9, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21, 22))
        moment = moment.replace(hour=hour, minute=self.rng.randint(0, 59))
        return min(max(moment, start), self.end)

    def paper(self, secteur: str | None, not_before: dt.datetime | None = None):
        """(office code, reception day, typed-in time) for a paper form."""
        rng = self.rng
        if secteur and secteur in self.offices and rng.random() < 0.85:
            office = self.offices[secteur]
        else:
            office = rng.choice(sorted(self.offices.values()))
        first = max(self.start, not_before or self.start).astimezone(PARIS).date()
        last = (self.end.astimezone(PARIS) - dt.timedelta(days=1)).date()
        days = [first + dt.timedelta(days=i) for i in range(max(0, (last - first).days) + 1)]
        days = [d for d in days if d.weekday() < 6] or [first]  # mairies close on Sundays
        received = rng.choice(days)
        typed = dt.datetime.combine(
            received + dt.timedelta(days=rng.choice((0, 0, 1, 2, 3))),
            dt.time(rng.randint(9, 16), rng.randint(0, 59)),
            tzinfo=PARIS,
        )
        return office, received, min(typed, self.end)

    def planned(
        self,
        data,
        kind: str,
        street: Street | None,
        secteur: str | None,
        not_before: dt.datetime | None = None,
        channel: str | None = None,
    ):
        if channel is None:
            channel = Channel.ONLINE if self.rng.random() < ONLINE_SHARE else Channel.PAPER
        self.contact(data, channel)
        if channel == Channel.ONLINE:
            return PlannedApplication(data, kind, channel, self.moment(not_before), street=street)
        office, received, typed = self.paper(secteur, not_before)
        return PlannedApplication(data, kind, channel, typed, office, received, street)


def _allocate[K: str](total: int, shares: dict[K, float]) -> list[K]:
    """``total`` keys in proportion to ``shares`` (largest remainders), in a fixed order."""
    exact = {k: total * s / sum(shares.values()) for k, s in shares.items()}
    counts = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[
        : total - sum(counts.values())
    ]:
        counts[k] += 1
    return [k for k in shares for _ in range(counts[k])]


def _variant(data: dict[str, Any], style: int) -> dict[str, Any]:
    """The same person typed differently (capitals, accents, hyphens)."""
    twin = dict(data)
    family, given = data["family_name"], data["given_name"]
    if style % 4 == 0:
        twin["family_name"] = family.upper()
    elif style % 4 == 1:
        twin["family_name"], twin["given_name"] = (
            _strip_accents(family).upper(),
            _strip_accents(given),
        )
    elif style % 4 == 2:
        twin["given_name"] = given.lower() if "-" not in given else given.replace("-", " ")
    else:
        twin["family_name"] = family.lower()
        twin["given_name"] = _strip_accents(given).upper()
    return twin


def plan_pool(
    call: Call,
    *,
    seed: int,
    now: dt.datetime,
    size: int = 400,
    duplicates: int = 5,
    too_young: int = 4,
    outside: int = 4,
    unknown_streets: int = 3,
) -> list[PlannedApplication]:
    """Plan ``size`` applications to ``call`` (Roubaix), oldest first.

    ``now`` (aware) bounds every date: applications are spread between the
    call's opening and ``now``. Raises ``ValueError`` if the call opened less
    than an hour before ``now``. Same ``seed`` → same plan.
    """
    p = _Planner(call, seed=seed, now=now)
    rng = p.rng
    regular = size - duplicates - too_young - outside - unknown_streets
    secteurs = _allocate(regular, SECTEUR_SHARES)
    rng.shuffle(secteurs)
    genders = list(GENDER_SHARES)
    weights = list(GENDER_SHARES.values())
    # Exact shares for the regular applicants: the pool must not depend on how many
    # random draws the dates took (they vary with the day the demo is run).
    regular_genders = _allocate(regular, GENDER_SHARES)
    rng.shuffle(regular_genders)
    plan: list[PlannedApplication] = []
    for secteur, gender in zip(secteurs, regular_genders, strict=True):
        data = p.person(gender)
        street = rng.choice(ROUBAIX_STREETS[secteur])
        p.address(data, street)
        plan.append(p.planned(data, "regular", street, secteur))

    # The same person again, some days later, spelt differently (often on paper this time).
    early = sorted(
        (a for a in plan if a.created_at < p.end - dt.timedelta(days=2)), key=lambda a: a.created_at
    )
    for i, original in enumerate(rng.sample(early, duplicates)):
        twin = _variant(original.data, i)
        twin.update(email="", phone="", motivation="")
        channel = Channel.PAPER if original.channel == Channel.ONLINE else Channel.ONLINE
        plan.append(
            p.planned(
                twin,
                "duplicate",
                original.street,
                original.street.secteur if original.street else None,
                not_before=original.created_at + dt.timedelta(hours=1),
                channel=channel,
            )
        )
    for _ in range(too_young):
        data = p.person(rng.choice((Gender.FEMME, Gender.HOMME)), age=rng.choice((14, 15)))
        secteur = rng.choice(list(ROUBAIX_STREETS))
        street = rng.choice(ROUBAIX_STREETS[secteur])
        p.address(data, street)
        plan.append(p.planned(data, "too_young", street, secteur))
    for i in range(outside):
        data = p.person(rng.choices(genders, weights=weights)[0])
        name, postcode, commune = OUTSIDE_ADDRESSES[i % len(OUTSIDE_ADDRESSES)]
        p.address(data, name=name, postcode=postcode, commune=commune)
        plan.append(p.planned(data, "outside", None, None))
    for i in range(unknown_streets):
        data = p.person(rng.choices(genders, weights=weights)[0])
        p.address(data, name=UNKNOWN_STREETS[i % len(UNKNOWN_STREETS)])
        plan.append(p.planned(data, "unknown_street", None, None))
    plan.sort(key=lambda a: a.created_at)
    return plan


# -- address → secteur ----------------------------------------------------------
def area_fields(planned: PlannedApplication, call: Call | None = None) -> dict[str, Any]:
    """The derived address fields (street id, quartier, secteur…) as the import sets them.

    Goes through ``tirage.geo.address.resolve_address``, as every channel; a street lying
    in several secteurs gets the planned one, declared by the applicant.
    """
    data = planned.data
    declared = planned.street.secteur if planned.street else ""
    return resolve_address(
        data["street_number"],
        data["street_name"],
        data["postcode"],
        data["commune"],
        secteur=declared,
        territory=call,
    ).fields()


def submit_pool(
    call: Call, plan: list[PlannedApplication], *, agents: dict, key_prefix: str
) -> int:
    """Submit each planned application with ``submit_application``; returns how many were created.

    ``agents`` maps an office code to the counter agent who types in its paper
    forms. Submission keys ``{key_prefix}{index}`` make a re-run add nothing.
    """
    offices = {o.code: o for o in call.offices.all()}
    created = 0
    for i, planned in enumerate(plan):
        paper = planned.channel == Channel.PAPER
        submission = submit_application(
            call,
            {**planned.data, **area_fields(planned, call)},
            channel=planned.channel,
            office=offices[planned.office_code] if paper else None,
            agent=agents.get(planned.office_code) if paper else None,
            received_on=planned.received_on,
            submission_key=f"{key_prefix}{i}",
            now=planned.created_at,
        )
        created += submission.created
    return created
