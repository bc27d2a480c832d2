# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation demo's words: its questionnaires, their pages and questions, the free
texts its respondents wrote and the organisers' collective answer."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoQuestion:
    code: str
    kind: str
    label: str
    choices: tuple[str, ...] = ()
    marker_choices: tuple[str, ...] = ()
    marker_choice_label: str = ""
    help_text: str = ""
    required: bool = False
    with_other: bool = False
    min_count: int = 0
    max_count: int = 0
    scale: tuple[int, int] | None = None
    scale_labels: tuple[str, str] = ("", "")
    # (code of an earlier question, its choice): asked only to those who chose it.
    shown_if: tuple[str, str] | None = None
    # Zone questions need the territory's PLU/PLUi: left out without one.
    needs_zoning: bool = False


@dataclass(frozen=True)
class DemoPage:
    title: str
    questions: tuple[DemoQuestion, ...]
    description: str = ""


@dataclass(frozen=True)
class DemoQuestionnaire:
    slug: str
    title: str
    description: str
    pages: tuple[DemoPage, ...] = field(default=())


UNSAFE = (
    "Trafic trop rapide",
    "Pas d'aménagement cyclable",
    "Carrefour dangereux",
    "Stationnement gênant sur la voie",
)

PLAN_VELO = DemoQuestionnaire(
    slug="plan-velo-des-trois-provinces",
    title="Plan vélo des Trois Provinces : vos trajets, vos besoins",
    description=(
        "La communauté de communes prépare son Plan vélo. Dites-nous comment vous vous "
        "déplacez, où vous vous sentez en danger à vélo et ce qu'il faudrait protéger. "
        "Dix minutes suffisent ; vous pouvez reprendre plus tard."
    ),
    pages=(
        DemoPage(
            "Vos déplacements",
            (
                DemoQuestion(
                    "mode",
                    "single",
                    "Quel est votre principal mode de déplacement au quotidien ?",
                    choices=("Voiture", "Vélo", "Marche", "Car ou train"),
                    with_other=True,
                    required=True,
                ),
                DemoQuestion(
                    "motifs",
                    "multiple",
                    "Pour quels trajets utilisez-vous, ou utiliseriez-vous, le vélo ?",
                    choices=("Travail", "École", "Courses", "Loisirs"),
                    max_count=3,
                ),
                DemoQuestion(
                    "securite",
                    "scale",
                    "Vous sentez-vous en sécurité à vélo sur le territoire ?",
                    scale=(1, 5),
                    scale_labels=("Pas du tout", "Tout à fait"),
                    required=True,
                ),
            ),
        ),
        DemoPage(
            "Vos priorités",
            (
                DemoQuestion(
                    "priorites",
                    "ranking",
                    "Classez ces aménagements, du plus au moins urgent.",
                    choices=(
                        "Pistes cyclables séparées",
                        "Stationnement vélo sécurisé",
                        "Zones 30 dans les bourgs",
                        "Jalonnement des itinéraires",
                    ),
                ),
                DemoQuestion("frein", "short_text", "En quelques mots : ce qui vous freine ?"),
                DemoQuestion("idees", "long_text", "Vos idées pour le Plan vélo"),
            ),
        ),
        DemoPage(
            "Sur la carte",
            (
                DemoQuestion(
                    "insecurite",
                    "points",
                    "Où vous sentez-vous en insécurité à vélo ?",
                    help_text="Placez jusqu'à cinq points, et dites pourquoi.",
                    max_count=5,
                    marker_choices=UNSAFE,
                    marker_choice_label="Pourquoi ici ?",
                ),
                DemoQuestion(
                    "trajet",
                    "line",
                    "Tracez votre trajet domicile-école",
                    max_count=1,
                    shown_if=("motifs", "École"),
                ),
                DemoQuestion(
                    "proteger",
                    "area",
                    "Quelle zone protéger de la circulation automobile ?",
                    max_count=1,
                ),
                DemoQuestion(
                    "zones",
                    "zones",
                    "Quelles zones du PLUi devraient accueillir du stationnement vélo ?",
                    max_count=3,
                    needs_zoning=True,
                ),
            ),
        ),
    ),
)

NAVETTE = DemoQuestionnaire(
    slug="sondage-navette-du-marche",
    title="Sondage : une navette pour le marché de Sancoins ?",
    description="Un sondage rapide avant d'essayer une navette le jour du marché.",
    pages=(
        DemoPage(
            "",
            (
                DemoQuestion(
                    "prendrait",
                    "single",
                    "Prendriez-vous une navette gratuite le jour du marché ?",
                    choices=("Oui, chaque semaine", "De temps en temps", "Non"),
                    required=True,
                ),
                DemoQuestion(
                    "arret",
                    "points",
                    "Où placer un arrêt près de chez vous ?",
                    max_count=1,
                ),
            ),
        ),
    ),
)

STATIONNEMENT = DemoQuestionnaire(
    slug="stationnement-velo-aux-gares",
    title="Stationnement vélo aux gares (brouillon)",
    description="En préparation : où installer des abris vélos fermés ?",
    pages=(
        DemoPage(
            "",
            (
                DemoQuestion(
                    "gare",
                    "points",
                    "Où installer un abri vélo fermé ?",
                    max_count=3,
                ),
            ),
        ),
    ),
)

BRAKES = (
    "La route départementale",
    "Les camions",
    "Pas de piste",
    "Les côtes",
    "Trop loin",
    "Pas de garage à vélo",
    "La nuit, pas d'éclairage",
)
IDEAS = (
    "Une piste le long du canal jusqu'au collège serait idéale.",
    "Des arceaux devant la mairie et la boulangerie.",
    "Réduire la vitesse à 30 dans la traversée du bourg.",
    "Un abri vélo fermé à la gare, on se fait voler les selles.",
    "Relier les bourgs par les chemins agricoles goudronnés.",
    "Des vélos électriques en location pour les plus âgés.",
    "Marquer au sol les itinéraires conseillés vers l'école.",
)
COMMENTS = (
    "Les voitures doublent trop près.",
    "Virage sans visibilité.",
    "Les enfants passent ici pour aller à l'école.",
    "Pas de bande cyclable depuis les travaux.",
    "Des voitures garées sur le trottoir.",
)
SUMMARY = (
    "Premiers enseignements à mi-parcours : la sécurité est la première attente, autour "
    "des carrefours des bourgs et sur la départementale. Les pistes séparées vers les "
    "écoles arrivent en tête des priorités. Le Plan vélo en tiendra compte : une première "
    "réunion publique aura lieu à Sancoins à la fin de la consultation."
)
NAVETTE_SUMMARY = (
    "Merci ! Une navette sera essayée six mois, le mardi, avec les trois arrêts les plus demandés."
)
