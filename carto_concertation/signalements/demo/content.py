# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the signalements' demo says: the category tree, the services and who handles what
where, the agents, and sample reports with their story. Written in French, as an
intercommunalité would."""

from dataclasses import dataclass

# (code, name, sla_hours, children: (code, name, sla_hours)); a question on a child below.
CATEGORIES = (
    (
        "voirie",
        "Voirie",
        None,
        (("nid-de-poule", "Nid-de-poule", None), ("chaussee-deformee", "Chaussée déformée", None)),
    ),
    (
        "proprete",
        "Propreté",
        None,
        (("depot-sauvage", "Dépôt sauvage", None), ("tag", "Tag ou graffiti", None)),
    ),
    (
        "eclairage-public",
        "Éclairage public",
        None,
        (("lampadaire-eteint", "Lampadaire éteint", None),),
    ),
    # A fallen tree may block a road or fall further: a danger, to take up within 48 h.
    (
        "espaces-verts",
        "Espaces verts",
        None,
        (("arbre-tombe", "Arbre tombé", 48), ("vegetation", "Haie ou herbe à tailler", None)),
    ),
    ("mobilier-urbain", "Mobilier urbain", None, ()),
    (
        "eau-assainissement",
        "Eau et assainissement",
        None,
        (("fuite", "Fuite d'eau", 48), ("avaloir-bouche", "Avaloir bouché", None)),
    ),
)
# (category code, question code, label, kind, choices, required)
QUESTIONS = (
    ("lampadaire-eteint", "nombre", "Combien de lampadaires ?", "number", [], True),
    (
        "nid-de-poule",
        "taille",
        "Quelle taille ?",
        "choice",
        [
            {"key": "petit", "name": "Petit (moins d'une main)"},
            {"key": "moyen", "name": "Moyen (une roue y tombe)"},
            {"key": "grand", "name": "Grand (dangereux)"},
        ],
        False,
    ),
)

TRIAGE = (
    "Accueil des signalements — CC Les Trois Provinces",
    "signalements@cc-trois-provinces.invalid",
)
EPCI_ROADS = ("Voirie intercommunale", "voirie@cc-trois-provinces.invalid")
EPCI_WASTE = ("Collecte des déchets", "dechets@cc-trois-provinces.invalid")
# The communes with technical services of their own: they keep their roads, lights,
# green spaces and street furniture; elsewhere the roads are intercommunal.
COMMUNE_SERVICES = {
    "18242": ("Services techniques", "st@sancoins.invalid"),
    "18155": ("Services techniques", "st@mornay-sur-allier.invalid"),
    "18275": ("Services techniques", "st@vereaux.invalid"),
}
COMMUNE_CATEGORIES = ("voirie", "eclairage-public", "espaces-verts", "mobilier-urbain")
EPCI_ROAD_CATEGORIES = ("voirie", "eclairage-public")
# Water has no route anywhere yet: its reports go to the triage (the EPCI forwards them).

# (e-mail, pseudonym, the services they work in: "triage", "roads", "waste" or an INSEE).
AGENTS = (
    ("agent.voirie@demo.invalid", "Agent voirie démo", ("triage", "roads", "waste")),
    ("services.techniques@demo.invalid", "Services techniques démo", ("18242",)),
)
EMAIL_REPORTER = "riverain@demo.invalid"


@dataclass(frozen=True)
class SampleReport:
    category: str
    commune: str  # INSEE
    description: str
    # The states it went through after "open", with the service's public text for each.
    story: tuple[tuple[str, str], ...] = ()
    days_ago: int = 3
    reporter: str = "resident"  # a demo role, or "email" (an address without an account)
    answers: dict | None = None
    public: bool = True
    confirmed: bool = True  # an e-mail reporter who has not clicked the link yet: False
    twin_of: int | None = None  # marked a duplicate of this sample (its index)
    followers: int = 0
    address: str = ""


ACK = ("acknowledged", "Signalement pris en compte, merci. Une équipe passera cette semaine.")
WORK = ("in_progress", "L'intervention est programmée.")
FIXED = ("fixed", "C'est réparé. Merci de votre signalement.")

REPORTS = (
    SampleReport(
        "nid-de-poule",
        "18242",
        "Gros trou au milieu de la chaussée, devant la boulangerie.",
        (ACK, WORK),
        12,
        answers={"taille": "grand"},
        followers=3,
        address="Grande Rue, Sancoins",
    ),
    SampleReport(
        "nid-de-poule",
        "18017",
        "Nid-de-poule à l'entrée du bourg en venant de Sancoins.",
        (),
        2,
        answers={"taille": "moyen"},
    ),
    SampleReport(
        "nid-de-poule",
        "18060",
        "Plusieurs trous sur la route de la mairie.",
        (ACK,),
        20,
        reporter="relay",
        followers=1,
    ),
    SampleReport(
        "chaussee-deformee",
        "18102",
        "Chaussée affaissée au carrefour, les voitures font un écart.",
        (ACK, WORK, FIXED),
        60,
    ),
    SampleReport(
        "chaussee-deformee",
        "18155",
        "Bourrelet d'enrobé devant l'école, dangereux pour les vélos.",
        (),
        1,
    ),
    SampleReport(
        "depot-sauvage",
        "18242",
        "Sacs-poubelle et un matelas déposés au pied des conteneurs.",
        (ACK, FIXED),
        9,
        followers=2,
    ),
    SampleReport(
        "depot-sauvage",
        "18161",
        "Gravats déversés dans le chemin creux.",
        (ACK,),
        5,
        reporter="email",
    ),
    SampleReport("depot-sauvage", "18195", "Pneus abandonnés au bord de l'étang.", (), 0),
    SampleReport("tag", "18242", "Tag sur le mur de la salle des fêtes.", (ACK, WORK), 15),
    SampleReport(
        "tag",
        "18275",
        "Graffiti sur l'abribus.",
        (
            (
                "not_responsible",
                "L'abribus relève du Conseil départemental (transports) : contactez-le.",
            ),
        ),
        25,
    ),
    SampleReport(
        "lampadaire-eteint",
        "18242",
        "Trois lampadaires éteints rue du Canal depuis une semaine.",
        (ACK,),
        4,
        answers={"nombre": 3},
        followers=4,
    ),
    SampleReport(
        "lampadaire-eteint",
        "18164",
        "Le lampadaire de la place clignote puis s'éteint.",
        (),
        1,
        answers={"nombre": 1},
    ),
    SampleReport(
        "lampadaire-eteint",
        "18106",
        "Rue plongée dans le noir le soir.",
        (ACK, WORK, FIXED),
        40,
        answers={"nombre": 2},
    ),
    SampleReport(
        "lampadaire-eteint",
        "18155",
        "Lampadaire éteint devant la mairie.",
        (
            (
                "not_fixed",
                "Le réseau sera refait en 2027 ; d'ici là nous ne pouvons pas réparer ce point.",
            ),
        ),
        35,
        answers={"nombre": 1},
    ),
    SampleReport(
        "arbre-tombe",
        "18196",
        "Un arbre est tombé en travers de la route après l'orage.",
        (ACK, WORK, FIXED),
        30,
        followers=5,
    ),
    SampleReport(
        "arbre-tombe",
        "18242",
        "Grosse branche cassée au-dessus du trottoir, prête à tomber.",
        (),
        0,
        followers=1,
    ),
    SampleReport(
        "arbre-tombe", "18060", "Arbre couché dans le fossé, il gêne l'écoulement.", (ACK,), 3
    ),
    SampleReport(
        "mobilier-urbain", "18242", "Banc cassé au square, une planche manque.", (ACK,), 8
    ),
    SampleReport(
        "mobilier-urbain",
        "18275",
        "Panneau de signalisation tordu au carrefour.",
        (),
        6,
        reporter="relay",
    ),
    SampleReport("mobilier-urbain", "18017", "Poubelle publique arrachée.", (ACK, WORK, FIXED), 45),
    SampleReport(
        "fuite", "18242", "De l'eau sort de la chaussée en continu.", (ACK, WORK), 2, followers=2
    ),
    SampleReport("fuite", "18161", "Fuite sur le compteur au bord du trottoir.", (), 1),
    SampleReport(
        "avaloir-bouche",
        "18155",
        "L'avaloir déborde à chaque pluie, la rue est inondée.",
        (ACK,),
        10,
    ),
    SampleReport("avaloir-bouche", "18102", "Grille d'égout bouchée par les feuilles.", (), 4),
    SampleReport(
        "nid-de-poule", "18195", "Trou profond sur le chemin du lavoir.", (ACK, WORK, FIXED), 50
    ),
    SampleReport(
        "depot-sauvage", "18164", "Encombrants laissés devant l'église.", (), 7, public=False
    ),
    SampleReport(
        "chaussee-deformee",
        "18106",
        "Ornières sur la route communale après les travaux.",
        (ACK,),
        18,
    ),
    SampleReport(
        "lampadaire-eteint",
        "18275",
        "Lampadaire éteint impasse des Vignes.",
        (),
        3,
        answers={"nombre": 1},
    ),
    SampleReport(
        "vegetation",
        "18242",
        "Haie qui déborde sur le trottoir, on ne passe plus avec une poussette.",
        (ACK,),
        6,
    ),
    SampleReport("tag", "18017", "Tag sur le panneau d'entrée du village.", (), 2),
    SampleReport(
        "nid-de-poule", "18242", "Trou dangereux Grande Rue.", (), 11, reporter="relay", twin_of=0
    ),
    SampleReport(
        "depot-sauvage",
        "18196",
        "Déchets verts jetés dans le fossé.",
        (),
        0,
        reporter="email",
        confirmed=False,
    ),
)
