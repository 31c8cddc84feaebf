"""The public resources of Tirage, one small function each (see :mod:`tirage.opendata.registry`).

Today: data requests, followed services, their indicators and the City's targets; the
council's consultations, opinions in the shape of SCDL *Délibérations*, recommendations,
the City's answers, commitments and their updates (``opinions``). To come, one function
each, importing their app (which comes earlier in the import chain): members with consent
(``council``), meetings and aggregated attendance (``meetings``), the draw's public result
(``draws``).

Members' evaluations are not published: their texts are the members' own until the council
adopts one as an opinion (issue 10), which is then published as an opinion.
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.utils import timezone

from tirage.meetings.models import Rules
from tirage.opendata.indicators import INDICATORS
from tirage.opendata.models import DataRequest, DigitalService, IndicatorValue, Target
from tirage.opendata.registry import Field, PublicResource, public_resource
from tirage.opendata.schemas import INDICATORS_SCHEMA, shipped_schema
from tirage.opinions.clock import clock_for
from tirage.opinions.models import (
    Answer,
    Commitment,
    CommitmentUpdate,
    Consultation,
    Opinion,
    OpinionVersion,
    Rating,
    Recommendation,
)


def _month(day):
    return f"{day:%Y-%m}" if day else None


def _day(moment):
    return timezone.localdate(moment) if moment else None


@public_resource
def data_requests() -> PublicResource:
    def rows():
        queryset = DataRequest.objects.select_related("call").order_by("requested_on", "id")
        for request in queryset:
            last = request.last_verification()
            yield {
                "identifiant": request.pk,
                "mandat": request.call.slug,
                "titre": request.title,
                "description": request.description,
                "motif": request.reason,
                "producteur": request.producer,
                "priorite": request.get_priority_display(),
                "etat": request.status,
                "demandee_le": request.requested_on,
                "decision_le": _day(request.decided_at),
                "motifs_decision": request.decision_reason,
                "portail": request.get_portal_display() if request.portal else "",
                "identifiant_jeu": request.dataset_id,
                "url_jeu": request.dataset_url,
                "url_fichier": request.resource_url,
                "licence": request.licence,
                "schema": request.schema_name,
                "version_schema": request.schema_version,
                "publiee_le": _day(request.published_at),
                "verifiee_le": _day(request.verified_at),
                "derniere_verification": last.outcome if last else "",
                "derniere_verification_le": _day(last.checked_at) if last else None,
                "resultat_verification": last.message if last else "",
            }

    return PublicResource(
        rows=rows,
        name="demandes-ouverture",
        title="Demandes d'ouverture de données du conseil",
        description="Les jeux de données que le conseil a demandé à la Ville d'ouvrir, la "
        "décision de la Ville, où ils sont publiés et le résultat de la vérification faite par "
        "Tirage (format, colonnes, schéma).",
        keywords=("données ouvertes", "conseil citoyen", "demande d'ouverture"),
        fields=(
            Field("identifiant", "integer", "Identifiant", required=True),
            Field("mandat", "string", "Mandat du conseil (appel à candidatures)", required=True),
            Field("titre", "string", "Données demandées", required=True),
            Field("description", "string", "Ce que contiennent les données"),
            Field("motif", "string", "Pourquoi le conseil les demande"),
            Field("producteur", "string", "Service producteur"),
            Field("priorite", "string", "Priorité", enum=tuple(DataRequest.Priority.labels)),
            Field(
                "etat",
                "string",
                "État",
                "requested : demandée ; accepted : acceptée ; refused : refusée ; published : "
                "publiée ; verified : publiée et vérifiée.",
                required=True,
                enum=tuple(DataRequest.Status.values),
            ),
            Field("demandee_le", "date", "Demandée le", required=True),
            Field("decision_le", "date", "Décision de la Ville le"),
            Field("motifs_decision", "string", "Motifs de la décision"),
            Field("portail", "string", "Portail de publication"),
            Field("identifiant_jeu", "string", "Identifiant du jeu de données sur le portail"),
            Field("url_jeu", "string", "Page du jeu de données"),
            Field("url_fichier", "string", "Adresse du fichier"),
            Field("licence", "string", "Licence"),
            Field("schema", "string", "Schéma de données (schema.data.gouv.fr)"),
            Field("version_schema", "string", "Version du schéma"),
            Field("publiee_le", "date", "Publiée le"),
            Field("verifiee_le", "date", "Vérifiée avec succès le"),
            Field("derniere_verification", "string", "Résultat de la dernière vérification"),
            Field("derniere_verification_le", "date", "Dernière vérification le"),
            Field("resultat_verification", "string", "Résumé de la dernière vérification"),
        ),
    )


@public_resource
def digital_services() -> PublicResource:
    def rows():
        for service in DigitalService.objects.all():
            yield {
                "code": service.slug,
                "nom": service.name,
                "type": service.get_kind_display(),
                "description": service.description,
                "adresse": service.url,
                "service_responsable": service.owner,
                "suivi_depuis": service.followed_since,
                "suivi_en_cours": service.active,
            }

    return PublicResource(
        rows=rows,
        name="services-numeriques",
        title="Services numériques suivis par le conseil",
        description="Les services numériques de la Ville dont le conseil suit les indicateurs.",
        keywords=("services numériques", "démarches en ligne", "inclusion numérique"),
        fields=(
            Field("code", "string", "Code du service", required=True),
            Field("nom", "string", "Nom", required=True),
            Field("type", "string", "Type de service"),
            Field("description", "string", "Description"),
            Field("adresse", "string", "Adresse web"),
            Field("service_responsable", "string", "Service responsable"),
            Field("suivi_depuis", "date", "Suivi depuis"),
            Field("suivi_en_cours", "boolean", "Suivi en cours"),
        ),
    )


@public_resource
def indicator_values() -> PublicResource:
    schema = shipped_schema(INDICATORS_SCHEMA)
    assert schema is not None, "Tirage's indicator schema is shipped with the package"
    fields = tuple(
        Field(
            f["name"],
            f["type"],
            f["title"],
            f.get("description", ""),
            required=bool(f.get("constraints", {}).get("required")),
            enum=tuple(f.get("constraints", {}).get("enum", ())),
        )
        for f in schema.descriptor["fields"]
    )

    def rows():
        queryset = IndicatorValue.objects.select_related("service").order_by(
            "service__order", "service__name", "indicator", "period", "secteur"
        )
        for value in queryset:
            yield {
                "service": value.service.slug,
                "periode": _month(value.period),
                "indicateur": value.indicator,
                "secteur": value.secteur,
                "valeur": value.value.normalize(),
            }

    return PublicResource(
        rows=rows,
        name="indicateurs-services-numeriques",
        title="Indicateurs mensuels des services numériques suivis",
        description=schema.descriptor["description"],
        keywords=("indicateurs", "qualité des démarches en ligne", "accessibilité", "RGAA"),
        fields=fields,
        conforms_to=f"{INDICATORS_SCHEMA} {schema.version}",
    )


@public_resource
def targets() -> PublicResource:
    def rows():
        for target in Target.objects.select_related("service"):
            yield {
                "service": target.service.slug,
                "indicateur": target.indicator,
                "secteur": target.secteur,
                "objectif": target.value.normalize(),
                "a_partir_de": _month(target.valid_from),
                "jusqu_a": _month(target.valid_until),
                "source": target.note,
            }

    return PublicResource(
        rows=rows,
        name="objectifs-services-numeriques",
        title="Objectifs fixés par la Ville pour ses services numériques",
        description="Pour un indicateur d'un service, la valeur que la Ville s'est fixée comme "
        "objectif, à partir d'un mois (et jusqu'à un mois s'il y a lieu).",
        keywords=("objectifs", "services numériques"),
        fields=(
            Field("service", "string", "Code du service", required=True),
            Field("indicateur", "string", "Indicateur", required=True, enum=tuple(INDICATORS)),
            Field("secteur", "string", "Secteur (vide : toute la ville)"),
            Field("objectif", "number", "Objectif", required=True),
            Field("a_partir_de", "yearmonth", "À partir du mois", required=True),
            Field("jusqu_a", "yearmonth", "Jusqu'au mois"),
            Field("source", "string", "Source de l'objectif"),
        ),
    )


# -- the council's consultations, opinions and the City's answers (``tirage.opinions``) ------


def _opinion_id(opinion: Opinion) -> str:
    """« roubaix-cln-2025-avis-3 », « roubaix-cln-2025-proposition-1 »: stable across versions."""
    return f"{opinion.call.slug}-{opinion.get_kind_display()}-{opinion.number}"


def _public_opinions():
    return Opinion.objects.exclude(number=None).exclude(state=Opinion.State.DRAFT)


@public_resource
def consultations() -> PublicResource:
    def rows():
        queryset = (
            Consultation.objects.select_related("call")
            .annotate(
                n_questions=Count("questions", distinct=True),
                n_contributions=Count("contributions", distinct=True),
                n_members=Count("contributions__member", distinct=True),
            )
            .order_by("opened_on", "id")
        )
        for consultation in queryset:
            yield {
                "identifiant": consultation.pk,
                "mandat": consultation.call.slug,
                "projet": consultation.title,
                "contexte": consultation.context,
                "resume_falc": consultation.summary,
                "service": consultation.service,
                "etape": consultation.stage,
                "ouverte_le": consultation.opened_on,
                "date_limite": consultation.deadline,
                "questions": consultation.n_questions,
                "contributions": consultation.n_contributions,
                "membres_contributeurs": consultation.n_members,
            }

    return PublicResource(
        rows=rows,
        name="consultations-du-conseil",
        title="Consultations du conseil sur les projets numériques de la Ville",
        description="Les projets sur lesquels la Ville a consulté le conseil, l'étape du projet, "
        "la date limite et le nombre de contributions des membres (sans leurs noms).",
        keywords=("consultation", "co-conception", "conseil citoyen"),
        fields=(
            Field("identifiant", "integer", "Identifiant", required=True),
            Field("mandat", "string", "Mandat du conseil (appel à candidatures)", required=True),
            Field("projet", "string", "Projet", required=True),
            Field("contexte", "string", "Contexte du projet"),
            Field("resume_falc", "string", "Résumé facile à lire et à comprendre"),
            Field("service", "string", "Service de la Ville en charge"),
            Field(
                "etape",
                "string",
                "Étape du projet",
                "idea : idée ; design : conception ; pilot : expérimentation ; in_service : en "
                "service.",
                required=True,
                enum=tuple(Consultation.Stage.values),
            ),
            Field("ouverte_le", "date", "Ouverte le", required=True),
            Field("date_limite", "date", "Contributions jusqu'au (inclus)", required=True),
            Field("questions", "integer", "Nombre de questions"),
            Field("contributions", "integer", "Nombre de contributions"),
            Field("membres_contributeurs", "integer", "Nombre de membres ayant contribué"),
        ),
    )


@public_resource
def council_opinions() -> PublicResource:
    def rows():
        today = timezone.localdate()
        rules: dict[int, Rules] = {}
        versions = (
            OpinionVersion.objects.filter(
                state__in=[OpinionVersion.State.ADOPTED, OpinionVersion.State.SUPERSEDED],
                opinion__in=_public_opinions(),
            )
            .select_related("opinion__call", "opinion__consultation", "decision__meeting")
            .order_by("decision__meeting__starts_at", "opinion__kind", "opinion__number", "number")
        )
        for version in versions:
            opinion, decision = version.opinion, version.decision
            assert decision is not None
            if opinion.call_id not in rules:
                rules[opinion.call_id] = Rules.for_call(opinion.call_id)
            clock = clock_for(opinion, today=today, rules=rules[opinion.call_id])
            sent = opinion.sent_version_id == version.pk
            yield {
                "COLL_NOM": f"{opinion.call.council_name} ({opinion.call.city_name})",
                "DELIB_ID": f"{_opinion_id(opinion)}-v{version.number}",
                "DELIB_DATE": decision.meeting.day,
                "DELIB_MATIERE_NOM": f"{opinion.get_kind_display().capitalize()} du conseil",
                "DELIB_OBJET": f"{opinion.label} : {opinion.title}",
                "VOTE_EFFECTIF": decision.in_office,
                "VOTE_REEL": decision.voters,
                "VOTE_POUR": decision.votes_for,
                "VOTE_CONTRE": decision.votes_against,
                "VOTE_ABSTENTION": decision.abstentions,
                "avis": _opinion_id(opinion),
                "type": opinion.kind,
                "numero": opinion.number,
                "version": version.number,
                "en_vigueur": version.state == OpinionVersion.State.ADOPTED,
                "mode": decision.method,
                "presents": decision.present,
                "representes": decision.represented,
                "quorum": decision.quorum_required,
                "resultat": decision.result_sentence,
                "titre": opinion.title,
                "texte": version.text,
                "resume_falc": version.summary,
                "avis_minoritaire": version.minority_view,
                "consultation": opinion.consultation_id,
                "transmis_le": opinion.sent_on if sent else None,
                "reponse_attendue_avant_le": clock.expected_before if sent else None,
                "reponse_complete_le": opinion.answered_on if sent else None,
                "jours_de_retard": clock.days_late if sent else None,
            }

    return PublicResource(
        rows=rows,
        name="avis-du-conseil",
        title="Avis et propositions adoptés par le conseil, avec leurs votes",
        description="Chaque texte adopté par le conseil (avis ou proposition, chaque version "
        "adoptée), le résultat du vote et le délai de réponse de la Ville. Les colonnes en "
        "majuscules reprennent le modèle SCDL « Délibérations » (OpenDataFrance) là où il "
        "s'applique ; le conseil n'étant pas une collectivité, il n'a ni SIRET ni code de "
        "matière ACTES. Le retard se compte à la date du fichier, selon le délai de réponse "
        "fixé par le règlement du conseil.",
        keywords=("avis", "délibérations", "vote", "conseil citoyen", "redevabilité"),
        fields=(
            Field("COLL_NOM", "string", "Nom du conseil (ville)", required=True),
            Field("DELIB_ID", "string", "Identifiant du texte et de sa version", required=True),
            Field("DELIB_DATE", "date", "Date d'adoption", required=True),
            Field("DELIB_MATIERE_NOM", "string", "Nature du texte", required=True),
            Field("DELIB_OBJET", "string", "Objet", required=True),
            Field("VOTE_EFFECTIF", "integer", "Membres en exercice"),
            Field("VOTE_REEL", "integer", "Votants (vide : adopté par consensus)"),
            Field("VOTE_POUR", "integer", "Pour"),
            Field("VOTE_CONTRE", "integer", "Contre"),
            Field("VOTE_ABSTENTION", "integer", "Abstentions"),
            Field("avis", "string", "Identifiant du texte (toutes versions)", required=True),
            Field(
                "type",
                "string",
                "Nature",
                "opinion : avis ; proposal : proposition.",
                required=True,
                enum=tuple(Opinion.Kind.values),
            ),
            Field("numero", "integer", "Numéro", required=True),
            Field("version", "integer", "Version", required=True),
            Field("en_vigueur", "boolean", "Version en vigueur (les autres ont été remplacées)"),
            Field(
                "mode",
                "string",
                "Mode de décision",
                required=True,
                enum=("vote", "consensus"),
            ),
            Field("presents", "integer", "Membres présents au vote"),
            Field("representes", "integer", "Membres représentés (procurations)"),
            Field("quorum", "integer", "Quorum requis"),
            Field("resultat", "string", "Résultat"),
            Field("titre", "string", "Titre", required=True),
            Field("texte", "string", "Texte intégral"),
            Field("resume_falc", "string", "Résumé facile à lire et à comprendre"),
            Field("avis_minoritaire", "string", "Opinion minoritaire"),
            Field("consultation", "integer", "Consultation d'origine (identifiant)"),
            Field("transmis_le", "date", "Transmis à la Ville le"),
            Field("reponse_attendue_avant_le", "date", "Réponse de la Ville attendue avant le"),
            Field("reponse_complete_le", "date", "Réponse complète reçue le"),
            Field("jours_de_retard", "integer", "Jours de retard de la réponse"),
        ),
    )


def _latest(answers):
    latest = {}
    for answer in answers:
        latest[answer.recommendation_id] = answer
    return latest


@public_resource
def recommendations() -> PublicResource:
    def rows():
        recs = (
            Recommendation.objects.filter(
                version__state=OpinionVersion.State.ADOPTED, version__opinion__in=_public_opinions()
            )
            .select_related("version__opinion__call")
            .order_by("version__opinion__kind", "version__opinion__number", "number")
        )
        latest = _latest(
            Answer.objects.filter(recommendation__in=recs)
            .select_related("response", "rating")
            .order_by("response__received_on", "response_id")
        )
        for rec in recs:
            answer = latest.get(rec.pk)
            rating = getattr(answer, "rating", None) if answer else None
            yield {
                "avis": _opinion_id(rec.version.opinion),
                "numero": rec.number,
                "recommandation": rec.text,
                "reponse": answer.status if answer else "",
                "motifs": answer.reasons if answer else "",
                "service": answer.service if answer else "",
                "reponse_le": answer.response.received_on if answer else None,
                "evaluation_conseil": rating.verdict if rating else "",
            }

    return PublicResource(
        rows=rows,
        name="recommandations-du-conseil",
        title="Recommandations du conseil et réponse de la Ville à chacune",
        description="Chaque recommandation des textes adoptés par le conseil, avec la dernière "
        "réponse de la Ville (vide : pas encore de réponse) et l'appréciation du conseil.",
        keywords=("recommandations", "réponse de la Ville", "redevabilité"),
        fields=(
            Field("avis", "string", "Identifiant du texte", required=True),
            Field("numero", "integer", "Numéro de la recommandation", required=True),
            Field("recommandation", "string", "Recommandation", required=True),
            Field(
                "reponse",
                "string",
                "Réponse de la Ville",
                "accepted : acceptée ; partly : acceptée en partie ; rejected : refusée ; "
                "deferred : reportée ; vide : pas encore de réponse.",
                enum=tuple(Answer.Status.values),
            ),
            Field("motifs", "string", "Motifs de la Ville"),
            Field("service", "string", "Service de la Ville en charge"),
            Field("reponse_le", "date", "Réponse reçue le"),
            Field(
                "evaluation_conseil",
                "string",
                "Appréciation du conseil sur la réponse",
                "satisfying : satisfaisante ; partly : en partie satisfaisante ; unsatisfying : "
                "pas satisfaisante.",
                enum=tuple(Rating.Verdict.values),
            ),
        ),
    )


@public_resource
def city_answers() -> PublicResource:
    def rows():
        answers = (
            Answer.objects.filter(response__opinion__in=_public_opinions())
            .select_related(
                "response__opinion__call", "recommendation", "rating__decision__meeting"
            )
            .order_by("response__received_on", "response_id", "recommendation__number")
        )
        for answer in answers:
            rating = getattr(answer, "rating", None)
            yield {
                "avis": _opinion_id(answer.response.opinion),
                "recommandation": answer.recommendation.number,
                "recue_le": answer.response.received_on,
                "reference": answer.response.reference,
                "reponse": answer.status,
                "motifs": answer.reasons,
                "service": answer.service,
                "evaluation_conseil": rating.verdict if rating else "",
                "commentaire_conseil": rating.comment if rating else "",
                "evaluee_le": rating.decision.meeting.day if rating else None,
            }

    return PublicResource(
        rows=rows,
        name="reponses-de-la-ville",
        title="Réponses de la Ville aux recommandations du conseil",
        description="Toutes les réponses de la Ville, recommandation par recommandation (une "
        "recommandation reportée peut recevoir une réponse plus tard : chaque réponse est "
        "gardée), et l'appréciation que le conseil en a adoptée en séance.",
        keywords=("réponse de la Ville", "suivi", "réponse à la réponse"),
        fields=(
            Field("avis", "string", "Identifiant du texte", required=True),
            Field("recommandation", "integer", "Numéro de la recommandation", required=True),
            Field("recue_le", "date", "Reçue le", required=True),
            Field("reference", "string", "Référence du courrier"),
            Field(
                "reponse",
                "string",
                "Réponse",
                "accepted : acceptée ; partly : acceptée en partie ; rejected : refusée ; "
                "deferred : reportée.",
                required=True,
                enum=tuple(Answer.Status.values),
            ),
            Field("motifs", "string", "Motifs"),
            Field("service", "string", "Service en charge"),
            Field(
                "evaluation_conseil",
                "string",
                "Appréciation du conseil",
                enum=tuple(Rating.Verdict.values),
            ),
            Field("commentaire_conseil", "string", "Commentaire du conseil"),
            Field("evaluee_le", "date", "Appréciation adoptée le"),
        ),
    )


@public_resource
def commitments() -> PublicResource:
    def rows():
        today = timezone.localdate()
        queryset = (
            Commitment.objects.filter(answer__response__opinion__in=_public_opinions())
            .select_related("recommendation__version__opinion__call", "answer__response")
            .annotate(last_update=Max("updates__on"))
            .order_by("answer__response__received_on", "recommendation__number", "id")
        )
        for commitment in queryset:
            yield {
                "identifiant": commitment.pk,
                "avis": _opinion_id(commitment.recommendation.version.opinion),
                "recommandation": commitment.recommendation.number,
                "engagement": commitment.description,
                "service": commitment.service,
                "depuis_le": commitment.answer.response.received_on,
                "echeance": commitment.due_on,
                "avancement": commitment.progress,
                "realise_le": commitment.completed_on,
                "jours_de_retard": commitment.days_overdue(today),
                "derniere_mise_a_jour": commitment.last_update,
            }

    return PublicResource(
        rows=rows,
        name="engagements-de-la-ville",
        title="Engagements de la Ville et leur avancement",
        description="Ce que la Ville s'est engagée à faire en acceptant (même en partie) une "
        "recommandation du conseil : service responsable, échéance, avancement en pourcentage. "
        "Le retard se compte à la date du fichier.",
        keywords=("engagements", "suivi", "avancement"),
        fields=(
            Field("identifiant", "integer", "Identifiant", required=True),
            Field("avis", "string", "Identifiant du texte", required=True),
            Field("recommandation", "integer", "Numéro de la recommandation", required=True),
            Field("engagement", "string", "Engagement", required=True),
            Field("service", "string", "Service responsable", required=True),
            Field("depuis_le", "date", "Engagement pris le", required=True),
            Field("echeance", "date", "Échéance (vide : non communiquée)"),
            Field("avancement", "integer", "Avancement (%)", required=True),
            Field("realise_le", "date", "Réalisé le"),
            Field("jours_de_retard", "integer", "Jours de retard"),
            Field("derniere_mise_a_jour", "date", "Dernier point d'avancement le"),
        ),
    )


@public_resource
def commitment_updates() -> PublicResource:
    def rows():
        updates = (
            CommitmentUpdate.objects.filter(
                commitment__answer__response__opinion__in=_public_opinions()
            )
            .select_related("commitment__recommendation__version__opinion__call")
            .order_by("on", "id")
        )
        for update in updates:
            rec = update.commitment.recommendation
            yield {
                "engagement": update.commitment_id,
                "avis": _opinion_id(rec.version.opinion),
                "recommandation": rec.number,
                "date": update.on,
                "avancement": update.progress,
                "texte": update.text,
                "preuves": " ; ".join(f"{link['title']} <{link['url']}>" for link in update.links),
            }

    return PublicResource(
        rows=rows,
        name="engagements-avancement",
        title="Points d'avancement des engagements de la Ville",
        description="Chaque étape datée d'un engagement : l'avancement, ce qui a été fait et les "
        "liens vers les preuves (« titre <adresse> », séparés par « ; »).",
        keywords=("engagements", "suivi", "preuves"),
        fields=(
            Field("engagement", "integer", "Identifiant de l'engagement", required=True),
            Field("avis", "string", "Identifiant du texte", required=True),
            Field("recommandation", "integer", "Numéro de la recommandation", required=True),
            Field("date", "date", "Date", required=True),
            Field("avancement", "integer", "Avancement (%)", required=True),
            Field("texte", "string", "Ce qui a été fait", required=True),
            Field("preuves", "string", "Liens vers les preuves"),
        ),
    )
