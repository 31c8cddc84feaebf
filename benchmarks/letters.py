"""Benchmark: render 1,000 letters into one merged PDF (plus one PDF per person).

Run: ``uv run python benchmarks/letters.py [count] [--workers N]`` (default 1000;
workers default: ``rendering.workers_for``). ``--workers 1`` renders in this
process, so the CPU time printed is the whole work. Prints the
time to lay out and write the letters (``render_batch``: what ``generate_batch``
spends beyond a few database rows) and the merged file's size. Target: under
30 s for 1,000 letters. The letters mix the kinds of a real batch: 20 selected
(two pages with the reply slip), 20 on the reserve list, the rest not selected.
Not part of the test run.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirage.settings")


def main(count: int = 1000, workers: int | None = None) -> None:
    import django

    django.setup()
    from faker import Faker

    from tirage.letters import rendering
    from tirage.letters.defaults import DEFAULT_TEXTS
    from tirage.letters.placeholders import fill

    fake = Faker("fr_FR")
    Faker.seed(2025)
    contents = []
    for i in range(count):
        kind = "selected" if i < 20 else "reserve" if i < 40 else "not_selected"
        given, family = fake.first_name(), fake.last_name()
        values = {
            "prénom": given,
            "nom": family,
            "code": f"AB{i:02d}-{i % 10}XYZ"[:9],
            "conseil": "Conseil local du numérique",
            "date_tirage": "13 juin 2025",
            "date_limite": "4 juillet 2025",
            "code_reponse": "K7PM3-QXR2H",
            "adresse_reponse": "https://tirage.ville-roubaix.fr/reponse",
            "durée_mandat": "2 ans",
            "lien_resultats": "https://tirage.ville-roubaix.fr/tirage/resultats/",
            "contact": "conseil-numerique@ville-roubaix.fr ou 03 20 66 46 00",
        }
        subject, body = DEFAULT_TEXTS[kind]
        contents.append(
            rendering.LetterContent(
                anchor=f"l{i}",
                receipt_code=values["code"],
                recipient_lines=[
                    f"{given} {family.upper()}",
                    fake.street_address(),
                    "59100 ROUBAIX",
                ],
                subject=fill(subject, values),
                paragraphs=rendering.paragraphs_of(fill(body, values)),
                place_date="Roubaix, le 16 juin 2025",
                sender_name="Ville de Roubaix",
                sender_service="Démocratie participative",
                sender_lines=["Hôtel de Ville", "Grand'Place", "59100 Roubaix"],
                signatory_name="Le Maire",
                signatory_title="Maire de Roubaix",
                footer="Ville de Roubaix",
                council="Conseil local du numérique",
                reply={
                    "code": "K7PM3-QXR2H",
                    "deadline": "4 juillet 2025",
                    "url": "https://tirage.ville-roubaix.fr/reponse",
                }
                if kind == "selected"
                else None,
            )
        )
    workers = workers or rendering.workers_for(count)
    load = os.getloadavg()[0]
    start, cpu = time.perf_counter(), time.process_time()
    batch = rendering.render_batch(contents, workers=workers)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(
        f"{count} letters, {batch.pages} pages, merged PDF {len(batch.merged) / 1e6:.1f} MB, "
        f"{workers} worker(s): {elapsed:.1f} s wall ({elapsed / count * 1000:.0f} ms per letter); "
        f"CPU of this process {cpu:.1f} s{' (all the work)' if workers == 1 else ''}; "
        f"load average {load:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = None
    if "--workers" in args:
        i = args.index("--workers")
        chosen = int(args[i + 1])
        del args[i : i + 2]
    main(int(args[0]) if args else 1000, workers=chosen)
