"""The first version of each letter's text, used when staff have not written their own.

Short sentences, one idea per sentence, vouvoiement (FALC-friendly).
"""

from __future__ import annotations

import datetime as dt

from tirage.calls.models import Call
from tirage.letters.models import Kind, LetterSettings
from tirage.site.dates import french_date

DEFAULT_TEXTS: dict[str, tuple[str, str]] = {
    Kind.SELECTED: (
        "Vous êtes tiré(e) au sort pour le {conseil}",
        """Bonjour {prénom} {nom},

Le tirage au sort public du {conseil} a eu lieu le {date_tirage}. Votre candidature (numéro {code}) a été tirée au sort. Félicitations !

Le {conseil} donne son avis sur les services numériques de la ville. Le mandat dure {durée_mandat}. Il est bénévole.

Merci de nous dire avant le {date_limite} si vous acceptez de siéger. Vous pouvez répondre de deux façons :
– en ligne, sur {adresse_reponse}, avec le code de réponse {code_reponse} ;
– ou en renvoyant le coupon-réponse ci-dessous, par courrier ou à l'accueil d'une mairie de quartier.

Sans réponse de votre part le {date_limite}, votre place sera proposée à la personne suivante de la liste complémentaire.

Pour toute question : {contact}.""",
    ),
    Kind.RESERVE: (
        "Vous êtes sur la liste complémentaire du {conseil}",
        """Bonjour {prénom} {nom},

Le tirage au sort public du {conseil} a eu lieu le {date_tirage}. Votre candidature (numéro {code}) n'a pas été tirée au sort pour siéger dès maintenant.

Vous êtes inscrit(e) sur la liste complémentaire. Si une place se libère, elle est proposée dans l'ordre de cette liste, fixé le jour du tirage, en respectant la répartition par quartier et la parité. Nous vous écrirons alors.

Vous n'avez rien à faire. Vous pouvez consulter la liste et les résultats sur {lien_resultats}.

Pour toute question : {contact}.""",
    ),
    Kind.NOT_SELECTED: (
        "Résultat du tirage au sort du {conseil}",
        """Bonjour {prénom} {nom},

Merci pour votre candidature au {conseil}. Le tirage au sort public a eu lieu le {date_tirage}. Votre candidature (numéro {code}) n'a pas été tirée au sort.

Les résultats complets sont publiés sur {lien_resultats}. Seuls les numéros de récépissé y figurent, jamais les noms. Votre numéro reste sur la liste complémentaire : si beaucoup de places se libèrent, nous pourrons vous écrire.

Votre intérêt pour la vie de la ville compte. D'autres appels à candidatures seront organisés : nous espérons vous y retrouver.

Pour toute question : {contact}.""",
    ),
    Kind.REPLACEMENT: (
        "Une place se libère au {conseil} : elle vous est proposée",
        """Bonjour {prénom} {nom},

Vous êtes sur la liste complémentaire du {conseil} (numéro {code}). Une place vient de se libérer : la personne {remplace} ne siège pas. Selon l'ordre fixé lors du tirage du {date_tirage}, et en respectant la répartition par quartier et la parité, cette place vous est proposée.

Merci de nous dire avant le {date_limite} si vous acceptez de siéger. Vous pouvez répondre de deux façons :
– en ligne, sur {adresse_reponse}, avec le code de réponse {code_reponse} ;
– ou en renvoyant le coupon-réponse ci-dessous, par courrier ou à l'accueil d'une mairie de quartier.

Sans réponse de votre part le {date_limite}, la place sera proposée à la personne suivante de la liste.

Pour toute question : {contact}.""",
    ),
    Kind.MANDATE_END: (
        "Votre mandat au {conseil} se termine le {fin_mandat}",
        """Bonjour {prénom} {nom},

Votre mandat au {conseil} a commencé le {début_mandat}. Il se termine le {fin_mandat}.

Merci pour votre engagement au service des habitantes et des habitants.

{renouvellement}

Pour toute question : {contact}.""",
    ),
    Kind.CONVOCATION: (
        "Convocation : {réunion}, le {date_réunion}",
        """Bonjour {prénom} {nom},

Vous êtes convoqué(e) à la réunion du {conseil} : {réunion}.

Date : {date_réunion}.
Lieu : {lieu}

Ordre du jour :
{ordre_du_jour}

Merci de nous dire avant le {date_limite} si vous serez présent(e), excusé(e), ou si vous donnez procuration à un autre membre. Vous pouvez renvoyer le coupon ci-dessous, par courrier ou à l'accueil d'une mairie de quartier, ou nous appeler.

Pour toute question : {contact}.""",
    ),
    Kind.ABSENCE: (
        "Vos absences aux séances du {conseil}",
        """Bonjour {prénom} {nom},

Vous n'avez pas assisté aux dernières séances plénières du {conseil}, sans vous excuser : {absences}.

Le règlement intérieur prévoit qu'après plusieurs absences non excusées à la suite, le siège peut être déclaré vacant. Il serait alors proposé à la personne suivante de la liste complémentaire.

Vous tenez à votre place ? Dites-le nous avant le {date_limite} : par courrier, à l'accueil d'une mairie de quartier, ou par téléphone. Vous pouvez aussi nous dire si quelque chose vous empêche de venir (horaires, transport, accessibilité) : nous chercherons une solution.

Pour toute question : {contact}.""",
    ),
}


def sample_values(call: Call, conf: LetterSettings, *, today: dt.date) -> dict[str, str]:
    """Plausible values of the placeholders the writing app gives (``date_tirage``,
    ``remplace``, ``début_mandat``…), for the preview of a template."""
    end = dt.date(today.year + call.mandate_months // 12, today.month, 1) - dt.timedelta(days=1)
    return {
        "date_tirage": french_date(call.draw_date),
        "lien_resultats": conf.public_base_url.rstrip("/") + "/tirage/resultats/",
        "remplace": "WXYZ-6789",
        "début_mandat": french_date(today),
        "fin_mandat": french_date(end),
        "renouvellement": "Vous pouvez renouveler votre mandat (encore 1 fois possible).",
        "réunion": "Séance plénière",
        "date_réunion": "lundi 12 janvier à 18 h 30",
        "lieu": "Hôtel de ville, salle du conseil. Entrée accessible en fauteuil.",
        "ordre_du_jour": "1. Approbation du compte rendu (décision)\n2. Site de la ville (débat)",
        "absences": "6 octobre, 10 novembre et 8 décembre",
    }
