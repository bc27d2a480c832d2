# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' demo (the ``demo`` slot of their manifest): an open concertation on the demo
territory's real PLUi, with sample ideas spread over the zoning, comments, votes and a few
answers, all written through the services (so they are checked, located and tiled like
real ones). The space is created here, with the ideas' settings (PLUi, themes), as the
ideas module needs it."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.gis.geos import LineString, Point, Polygon
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carto_concertation.accounts.models import Role, User
from carto_concertation.accounts.services import user_create
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.core.modules import DemoBackbone
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument, Zone

from .comments import comment_create
from .moderation import contribution_answer
from .services import contribution_create, vote_cast

DEMO_CONCERTATION_TITLE = "Révision du PLUi des Trois Provinces : donnez votre avis"
DEMO_CONCERTATION_SLUG = slugify(DEMO_CONCERTATION_TITLE)[:80]
DEMO_ANSWER_SERVICE = "Service urbanisme — CC Les Trois Provinces"
DEMO_RESIDENTS = (
    ("camille@demo.invalid", "Camille démo"),
    ("lucas@demo.invalid", "Lucas démo"),
    ("nadia@demo.invalid", "Nadia démo"),
    ("bernard@demo.invalid", "Bernard démo"),
)
THEMES = (
    ("Mobilité", "#1f77b4"),
    ("Habitat", "#ff7f0e"),
    ("Environnement", "#2ca02c"),
    ("Économie", "#9467bd"),
    ("Patrimoine", "#8c564b"),
    ("Équipements", "#d62728"),
)


@dataclass(frozen=True)
class SampleIdea:
    theme: str
    title: str
    text: str
    typezone: str  # where it lands: a zone of this TYPEZONE
    shape: str = "point"  # point, line or area


IDEAS = (
    SampleIdea(
        "Mobilité",
        "Une piste cyclable vers la gare",
        "Relier le bourg à la gare par une piste séparée de la route, pour les collégiens et les salariés.",
        "U",
        "line",
    ),
    SampleIdea(
        "Mobilité",
        "Ralentir la traversée du bourg",
        "Les voitures roulent vite devant l'école : un plateau surélevé et une zone 30 rendraient la rue plus sûre.",
        "U",
    ),
    SampleIdea(
        "Mobilité",
        "Un parking de covoiturage",
        "À l'entrée de la zone d'activités, un petit parking permettrait de partager les trajets vers Nevers et Bourges.",
        "U",
        "area",
    ),
    SampleIdea(
        "Mobilité",
        "Des arceaux à vélos au marché",
        "Il n'y a aucun endroit où attacher son vélo le jour du marché.",
        "U",
    ),
    SampleIdea(
        "Mobilité",
        "Un chemin piéton le long du canal",
        "Ouvrir le chemin de halage aux piétons entre les deux ponts.",
        "N",
        "line",
    ),
    SampleIdea(
        "Mobilité",
        "Un abri à l'arrêt de car",
        "Les enfants attendent le car scolaire sous la pluie : un abri serait bienvenu.",
        "A",
    ),
    SampleIdea(
        "Habitat",
        "Des logements pour les jeunes",
        "Des petites maisons locatives près du bourg pour que les jeunes puissent rester au pays.",
        "U",
    ),
    SampleIdea(
        "Habitat",
        "Rénover les logements vacants",
        "Plutôt que construire en extension, aider la rénovation des maisons vides du centre.",
        "U",
    ),
    SampleIdea(
        "Habitat",
        "Limiter les lotissements en extension",
        "La zone à urbaniser grignote des prés : la réduire et densifier le bourg.",
        "AUc",
        "area",
    ),
    SampleIdea(
        "Habitat",
        "Une résidence pour les aînés",
        "Une résidence autonomie près des commerces éviterait aux personnes âgées de partir.",
        "U",
    ),
    SampleIdea(
        "Habitat",
        "Permettre les extensions des maisons en zone agricole",
        "Les habitants des hameaux voudraient pouvoir agrandir un peu leur maison.",
        "A",
    ),
    SampleIdea(
        "Environnement",
        "Protéger les haies bocagères",
        "Classer les haies qui bordent les chemins : elles abritent les oiseaux et retiennent l'eau.",
        "A",
        "line",
    ),
    SampleIdea(
        "Environnement",
        "Préserver la zone humide",
        "Cette prairie inondable est riche en orchidées : la garder en zone naturelle stricte.",
        "N",
        "area",
    ),
    SampleIdea(
        "Environnement",
        "Planter des arbres sur la place",
        "La place est une fournaise l'été : quelques tilleuls apporteraient de l'ombre.",
        "U",
    ),
    SampleIdea(
        "Environnement",
        "Un verger partagé",
        "Replanter des variétés anciennes de fruitiers sur le terrain communal.",
        "N",
    ),
    SampleIdea(
        "Environnement",
        "Éteindre l'éclairage la nuit",
        "Couper l'éclairage public de minuit à cinq heures, pour la faune et les économies.",
        "U",
    ),
    SampleIdea(
        "Environnement",
        "Protéger le bois contre les coupes rases",
        "Inscrire le bois en espace boisé classé.",
        "N",
        "area",
    ),
    SampleIdea(
        "Environnement",
        "Une mare pédagogique",
        "Créer une mare près de l'école pour observer les amphibiens.",
        "N",
    ),
    SampleIdea(
        "Économie",
        "Agrandir la zone d'activités",
        "Des artisans cherchent des terrains : prévoir une extension mesurée de la zone.",
        "U",
        "area",
    ),
    SampleIdea(
        "Économie",
        "Un local pour les commerçants ambulants",
        "Un point d'eau et d'électricité sur la place pour le marché et les food-trucks.",
        "U",
    ),
    SampleIdea(
        "Économie",
        "Autoriser la vente à la ferme",
        "Permettre aux exploitants de construire un petit local de vente directe.",
        "A",
    ),
    SampleIdea(
        "Économie",
        "Un espace de travail partagé",
        "Transformer l'ancienne poste en espace de coworking avec une bonne connexion.",
        "U",
    ),
    SampleIdea(
        "Économie",
        "Méthanisation : pas trop près des maisons",
        "Le projet d'usine de méthanisation doit rester loin des habitations.",
        "N",
    ),
    SampleIdea(
        "Patrimoine",
        "Restaurer le lavoir",
        "Le lavoir du bas du bourg tombe en ruine : le restaurer et le signaler.",
        "U",
    ),
    SampleIdea(
        "Patrimoine",
        "Protéger les façades anciennes",
        "Repérer au PLUi les façades en pierre du centre pour éviter les enduits qui les dénaturent.",
        "U",
    ),
    SampleIdea(
        "Patrimoine",
        "Un circuit des moulins",
        "Baliser un circuit de randonnée qui relie les anciens moulins de la vallée.",
        "N",
        "line",
    ),
    SampleIdea(
        "Patrimoine",
        "Sauver la grange à colombages",
        "Cette grange remarquable devrait pouvoir changer de destination pour être sauvée.",
        "A",
    ),
    SampleIdea(
        "Équipements",
        "Une maison de santé",
        "Regrouper médecins et infirmiers dans une maison de santé au centre.",
        "U",
    ),
    SampleIdea(
        "Équipements",
        "Un city-stade",
        "Les adolescents n'ont aucun terrain de jeu : un city-stade près de la salle des fêtes.",
        "U",
    ),
    SampleIdea(
        "Équipements",
        "Agrandir le cimetière",
        "Le cimetière est presque plein : réserver le terrain voisin.",
        "N",
    ),
    SampleIdea(
        "Équipements",
        "Une aire de camping-cars",
        "Une aire simple près du canal attirerait les touristes vers les commerces.",
        "N",
        "area",
    ),
    SampleIdea(
        "Équipements",
        "Couvrir la fibre dans les hameaux",
        "Les hameaux n'ont toujours pas de bon débit internet.",
        "A",
    ),
)
COMMENTS = (
    "Tout à fait d'accord, c'est attendu depuis longtemps.",
    "Bonne idée, mais qui paiera l'entretien ?",
    "Il faudrait en parler avec les agriculteurs concernés.",
    "Je préférerais que ce soit fait ailleurs, plus près de l'école.",
)
REPLY = "Le budget pourrait venir du programme Petites villes de demain."
# (index in IDEAS, status, answer)
ANSWERS = (
    (0, "under_study", ""),
    (6, "retained", "Un secteur de logements locatifs est inscrit en zone UB, près du bourg."),
    (
        8,
        "partly_retained",
        "La zone 1AU est réduite d'un tiers ; le reste sera urbanisé après 2030.",
    ),
    (
        12,
        "retained",
        "La prairie est classée en zone naturelle et protégée au titre des zones humides.",
    ),
    (
        18,
        "not_retained",
        "Le SCoT limite la consommation d'espace : la zone reste dans ses limites.",
    ),
    (27, "under_study", ""),
)


def ideas_demo_load(backbone: DemoBackbone) -> str | None:
    """The demo concertation, once, on the demo territory only."""
    if backbone.territory is None:
        return None
    concertation = demo_concertation_load(
        territory=backbone.territory,
        planner=backbone.accounts[Role.PLANNER],
        password=backbone.password,
    )
    if concertation is None:
        return None
    return _("Demo concertation loaded: /concertations/%(slug)s/") % {"slug": concertation.slug}


def demo_concertation_load(
    *, territory: Territory, planner: User, password: str | None
) -> Concertation | None:
    """Create the demo concertation once (None when it exists or the PLUi is missing).
    Call it inside a transaction: all of it is written, or nothing."""
    document = UrbanDocument.objects.filter(territory=territory).first()
    if document is None or Concertation.objects.filter(slug=DEMO_CONCERTATION_SLUG).exists():
        return None
    now = timezone.now()
    concertation = concertation_create(
        territory=territory,
        title=DEMO_CONCERTATION_TITLE,
        description=(
            "<p>La communauté de communes révise son PLUi. Placez vos idées sur la carte,"
            " commentez celles des autres et soutenez celles qui vous parlent.</p>"
        ),
        charter="<p>Restez courtois ; pas de données personnelles ; une idée par contribution.</p>",
        phases={
            Phase.Kind.INFORMATION: (now - timedelta(days=45), now - timedelta(days=30)),
            Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=30), None),
        },
        themes=THEMES,
        plui_document=document,
        status=Concertation.Status.OPEN,
    )
    residents = [_resident(email, pseudonym, password) for email, pseudonym in DEMO_RESIDENTS]
    themes = {theme.name: theme.pk for theme in concertation.themes.all()}
    zones = _zones_by_type(document)
    ideas = []
    for index, sample in enumerate(IDEAS):
        candidates = zones[sample.typezone]
        zone = candidates[(index * 7) % len(candidates)]
        ideas.append(
            contribution_create(
                concertation=concertation,
                author=residents[index % len(residents)],
                title=sample.title,
                text=sample.text,
                geometry=_place(zone, sample.shape, concertation),
                theme_ids=[themes[sample.theme]],
            )
        )
    for index, idea in enumerate(ideas):
        for voter in residents[: (index * 3) % (len(residents) + 1)]:
            if voter != idea.author:
                vote_cast(contribution=idea, voter=voter, value=1)
        if index % 3 == 0:
            first = comment_create(
                contribution=idea,
                author=residents[(index + 1) % len(residents)],
                text=COMMENTS[index % len(COMMENTS)],
            )
            if index % 2 == 0:
                comment_create(
                    contribution=idea,
                    author=residents[(index + 2) % len(residents)],
                    text=REPLY,
                    parent=first,
                )
    for index, status, answer in ANSWERS:
        contribution_answer(
            contribution=ideas[index],
            actor=planner,
            status=status,
            answer=answer,
            answer_service=DEMO_ANSWER_SERVICE if answer else "",
        )
    return concertation


def _resident(email: str, pseudonym: str, password: str | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, pseudonym=pseudonym, password=password)
    return user


def _zones_by_type(document: UrbanDocument) -> dict[str, list[Zone]]:
    zones: dict[str, list[Zone]] = {}
    for zone in Zone.objects.filter(version=document.current_version).order_by("source_fid"):
        zones.setdefault(zone.typezone, []).append(zone)
    return zones


def _place(zone: Zone, shape: str, concertation: Concertation):
    """A point inside the zone, or a short line or small area around it when that stays
    inside the concertation's perimeter (WGS84, as the API receives places)."""
    centre = zone.geom.point_on_surface
    x, y = centre.x, centre.y
    candidates = {
        "line": LineString((x - 120, y - 30), (x, y), (x + 120, y + 40), srid=settings.SRID),
        "area": Polygon(
            (
                (x - 50, y - 40),
                (x + 50, y - 40),
                (x + 50, y + 40),
                (x - 50, y + 40),
                (x - 50, y - 40),
            ),
            srid=settings.SRID,
        ),
    }
    place = candidates.get(shape)
    if place is None or not concertation.perimeter.covers(place):
        place = Point(x, y, srid=settings.SRID)
    return place.transform(4326, clone=True)
