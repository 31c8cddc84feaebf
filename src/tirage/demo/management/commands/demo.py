from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tirage.calls.models import PARIS
from tirage.council.services.seat_letters import run_letters
from tirage.demo.draw import run_demo_draw
from tirage.demo.setup import DEFAULT_SEED, DemoReport, run_demo
from tirage.draws.pool import FreezeError
from tirage.draws.services import DrawError
from tirage.site.server import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_THREADS, serve

SECTEUR_ORDER = ("nord", "sud", "est", "ouest", "centre")
UNTIL = ("close", "freeze", "prepare", "commit", "results", "letters")


class Command(BaseCommand):
    help = (
        "Démonstration : base de données à jour, appel de Roubaix 2025 ouvert aujourd'hui, "
        "environ 400 candidatures fictives, comptes agents ; puis sert le site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default=DEFAULT_HOST, help=f"adresse d'écoute (défaut : {DEFAULT_HOST})"
        )
        parser.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help=f"port (défaut : {DEFAULT_PORT})"
        )
        parser.add_argument(
            "--threads", type=int, default=DEFAULT_THREADS, help="fils de traitement"
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="graine des candidatures fictives"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="préparer les données sans lancer le serveur"
        )
        parser.add_argument(
            "--until",
            choices=UNTIL,
            help="poursuivre la démonstration jusqu'à cette étape : clôture, gel, calcul, "
            "engagement, résultats du tirage (results) ou courriers (letters)",
        )
        randomness = parser.add_mutually_exclusive_group()
        randomness.add_argument(
            "--dice", type=int, nargs="+", metavar="D", help="dés lancés (ex. --dice 4 2 7)"
        )
        randomness.add_argument("--seed-text", dest="seed_text", help="graine convenue du tirage")

    def handle(self, *args, host, port, threads, seed, no_serve, until, dice, seed_text, **options):
        self.stdout.write("Mise à jour de la base de données…")
        call_command("migrate", interactive=False, verbosity=0)
        report = run_demo(seed=seed)
        self.summary(report, f"http://{host}:{port}/")
        if until:
            self.run_until(report.call, until, dice=dice, seed=seed_text, serving=not no_serve)
        self.stdout.flush()  # the passwords, before the server starts (even when piped)
        if no_serve:
            return
        try:
            serve(host, port, threads, write=self.stdout.write)
        except OSError as exc:
            raise CommandError(
                f"Impossible d'écouter sur {host}:{port} : {exc}. Essayez --port 8001."
            ) from exc

    def run_until(self, call, until: str, *, dice, seed, serving: bool) -> None:
        """Drive the draw (and the letters) unattended; the published files' paths go last."""
        step = "results" if until == "letters" else until
        if step == "results" and dice is None and seed is None:
            raise CommandError("Indiquez les dés (--dice 4 2 7) ou la graine (--seed-text).")
        self.stdout.write(f"Tirage de démonstration jusqu'à l'étape « {until} »…")
        try:
            files = run_demo_draw(call, until=step, dice=dice, seed=seed)
        except (DrawError, FreezeError) as exc:
            raise CommandError(str(exc)) from exc
        if until == "letters":
            files["letters"] = run_letters(call)
        for name in ("bundle", "result", "letters"):
            if name in files:
                self.stdout.write(f"{name}: {files[name]}")

    def summary(self, report: DemoReport, url: str) -> None:
        call, c, w = report.call, report.counts, self.stdout.write
        closes = call.closes_at.astimezone(PARIS)
        w("")
        w(f"Appel : {call.council_name} de {call.city_name} ({call.slug})")
        w(
            f"  dates décalées de {report.shift_days} jours (appel d'origine clos le "
            f"{call.redated_from:%d/%m/%Y}) : "
            f"ouvert depuis le {call.opens_at.astimezone(PARIS):%d/%m/%Y}, "
            f"clôture le {closes:%d/%m/%Y à %H:%M:%S}, tirage le {call.draw_date:%d/%m/%Y}"
        )
        if report.created:
            w(f"Candidatures fictives créées : {report.created}")
        else:
            w("Candidatures fictives déjà présentes : rien d'ajouté.")
        if report.pool_lag_days:
            w(
                f"Attention : ces candidatures ont été créées il y a {report.pool_lag_days} jours "
                "et leurs dates n'ont pas été décalées. Pour repartir de zéro, supprimez le "
                "dossier des données (TIRAGE_DATA_DIR, par défaut ./var) et relancez la démo."
            )
        w(
            f"Candidatures : {c['applications']} "
            f"({c['online']} en ligne, {c['paper']} sur papier) ; "
            f"recevables : {c['eligible']} ; irrecevables : {c['ineligible']} ; "
            f"à vérifier : {c['needs_review']} (dont {c['probable_duplicates']} doublons probables)"
        )
        w("Recevables par secteur (femmes / hommes / autre) :")
        for secteur in SECTEUR_ORDER:
            g = report.eligible_by_secteur.get(secteur, {})
            w(
                f"  {secteur:<7} {sum(g.values()):>4}  "
                f"({g.get('femme', 0)} / {g.get('homme', 0)} / {g.get('autre', 0)})"
            )
        if report.opendata:
            o = report.opendata
            w(
                f"Données ouvertes (fictives) : {o['services']} services numériques suivis, "
                f"{o['values']} valeurs d'indicateurs, {o['requests']} demandes d'ouverture"
            )
        if report.council is not None:
            life = report.council
            k = life.counts
            w(
                f"Conseil en exercice (appel précédent {life.call.slug}) : {k['members']} membres, "
                f"{k['plenaries_held']} séances plénières tenues, {k['groups']} groupes de travail, "
                f"{k['replacements']} remplacement par la liste de réserve"
            )
        w("")
        w(f"Site public : {url}")
        w(
            f"Espace agents : {url}gestion/ — comptes de démonstration "
            "(mots de passe renouvelés à chaque lancement) :"
        )
        for a in report.accounts:
            where = f", {a.office}" if a.office else ""
            w(f"  {a.username:<16} {a.password}   ({a.role}{where})")
            if a.totp_secret:
                w(
                    "      puis un code à 6 chiffres : ajoutez cette clé dans une application "
                    "d'authentification (FreeOTP, Aegis…) :"
                )
                w(f"      {a.totp_secret}")
                w(f"      ({a.totp_url})")
                w("      ou, sans application, un de ces codes de secours (un par connexion) :")
                w(f"      {' '.join(a.recovery_codes[:5])}")
                w(f"      {' '.join(a.recovery_codes[5:])}")
        w("")
        if report.council is not None and report.council.links:
            w(
                f"Espace des membres : {url}espace-membre/ — liens de connexion de démonstration "
                "(valables 3 jours, un seul usage ; nouveaux liens à chaque lancement) :"
            )
            for name, path in report.council.links:
                w(f"  {name:<16} {url.rstrip('/')}{path}")
            w("")
