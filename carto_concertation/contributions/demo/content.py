# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the ideas' demo says: its concertation, themes, residents, sample ideas (each in a
zone type, with its shape and votes), comments and answers. Written in French, as a
collectivité would."""

from dataclasses import dataclass

from django.utils.text import slugify

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
