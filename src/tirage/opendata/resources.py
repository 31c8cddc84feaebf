"""The public resources of Tirage, one small function each (see :mod:`tirage.opendata.registry`).

Today: data requests, followed services, their indicators and the City's targets. To come,
one function each, importing their app (which comes earlier in the import chain): members
with consent (``council``), meetings and aggregated attendance (``meetings``), opinions in
the shape of SCDL *Délibérations*, recommendations, answers, commitments (``opinions``), the
draw's public result (``draws``).

Members' evaluations are not published: their texts are the members' own until the council
adopts one as an opinion (issue 10), which is then published as an opinion.
"""

from __future__ import annotations

from django.utils import timezone

from tirage.opendata.indicators import INDICATORS
from tirage.opendata.models import DataRequest, DigitalService, IndicatorValue, Target
from tirage.opendata.registry import Field, PublicResource, public_resource
from tirage.opendata.schemas import INDICATORS_SCHEMA, shipped_schema


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
