# SPDX-License-Identifier: AGPL-3.0-or-later
"""The budget demo's words: its projects (title, description, cost), its news."""

# The districts: these communes when the territory has them (the demo's), else its first.
DISTRICT_INSEE = ("18242", "18275", "18155", "18106")

# The past edition (2025): projects put to the vote, (title, description, cost).
PAST_PROJECTS = (
    ("Un verger partagé derrière l'école", "Vingt arbres fruitiers et des bancs.", 18_000),
    ("Éclairage solaire du chemin de halage", "Douze lampadaires autonomes.", 42_000),
    ("Une boîte à livres par bourg", "Des boîtes à livres en bois local.", 6_000),
    ("Aire de jeux inclusive", "Des jeux accessibles aux enfants en fauteuil.", 55_000),
    ("Abri vélos sécurisé à la gare", "Trente places couvertes et fermées.", 24_000),
    ("Réfection du lavoir", "Toiture et bassin du lavoir communal.", 31_000),
    ("Jardin pédagogique", "Des carrés potagers pour les écoles.", 12_000),
    ("Skate-park", "Un petit skate-park en béton.", 68_000),
    ("Bancs et ombrages place de l'église", "Six bancs et quatre arbres.", 15_000),
    ("Nichoirs et hôtels à insectes", "Pour la biodiversité des haies.", 4_000),
)

# The current edition (2026): (title, description, cost, status, reason).
CURRENT_PROJECTS = (
    ("Piste cyclable vers le collège", "Une piste séparée de la route.", 60_000, "on_ballot", ""),
    ("Fontaine à eau potable", "Une fontaine sur la place du marché.", 9_000, "on_ballot", ""),
    ("Composteurs collectifs", "Trois composteurs de quartier.", 5_000, "on_ballot", ""),
    ("Terrain multisport", "Un city-stade ouvert à tous.", 48_000, "on_ballot", ""),
    ("Fresque murale participative", "Sur le mur de la salle des fêtes.", 7_500, "on_ballot", ""),
    ("Bibliothèque de graines", "À la médiathèque.", 2_500, "on_ballot", ""),
    ("Parcours santé en forêt", "Dix agrès le long du sentier.", 22_000, "on_ballot", ""),
    ("Toilettes publiques sèches", "Près du terrain de sport.", 16_000, "on_ballot", ""),
    ("Ruches communales", "Quatre ruches et un rucher-école.", 6_500, "proposed", ""),
    ("Table d'orientation", "Au point haut de la commune.", 8_000, "proposed", ""),
    ("Marché de producteurs couvert", "Une halle légère en bois.", 90_000, "admissible", ""),
    (
        "Rénovation de la mairie",
        "Refaire la façade de la mairie.",
        120_000,
        "not_admissible",
        "Hors du champ du budget participatif : l'entretien des bâtiments relève du "
        "budget ordinaire de la commune.",
    ),
    (
        "Pistes pour vélos vers le collège",
        "Une voie cyclable pour aller au collège.",
        55_000,
        "merged",
        "Fusionné avec « Piste cyclable vers le collège », qui propose le même tracé.",
    ),
)

# News of the past edition's winners, by realisation: (days before today, text).
NEWS = {
    "study": (
        (60, "Le bureau d'études a rendu son avant-projet ; le choix du site est en cours."),
    ),
    "works": (
        (120, "L'étude est terminée ; le marché de travaux est attribué."),
        (20, "Les travaux ont commencé : fin prévue au printemps."),
    ),
    "done": (
        (150, "Les travaux commencent la semaine prochaine."),
        (45, "C'est fait ! L'inauguration a eu lieu samedi."),
    ),
    "abandoned": (
        (90, "L'étude de sol montre un terrain inondable : le projet ne peut pas s'y faire."),
    ),
}
ABANDON_REASON = (
    "Le terrain prévu est inondable et aucun autre terrain communal ne convient ; "
    "la somme revient à l'enveloppe de l'édition suivante."
)
