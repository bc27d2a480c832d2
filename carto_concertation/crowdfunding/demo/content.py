# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding demo's words and figures: nine projects of the Trois Provinces, one
in each state of a project's life (two campaigns under way, two funded), with their
figures as they came in, the news of their works and who follows them.

Dates are days from the day the demo is loaded (negative: before), so that the campaigns
under way are under way and the ones to come are still to come whenever it is loaded.
Accounts are named by the demo role (site.demo): the demo resident carries a few projects
so that one login shows the porteur's pages in several states."""

from dataclasses import dataclass
from decimal import Decimal

from ..models import FundingUpdate, Project

Status = Project.Status
Modality = Project.Modality
Porteur = Project.PorteurKind
Platform = Project.Platform
Source = FundingUpdate.Source


@dataclass(frozen=True)
class Figures:
    """One update of the figures, ``day`` days from today."""

    day: int
    raised: int
    contributors: int
    source: str = Source.PORTEUR
    correction_reason: str = ""
    # Read from the platform's export: (lines read, lines set aside). Contributors are
    # then the paid lines, as the generic layout counts them (it names nobody).
    export: tuple[int, int] | None = None


@dataclass(frozen=True)
class News:
    """News of the works, ``day`` days from today."""

    day: int
    text: str
    photo: str = ""  # the photo's caption, when the news has one
    inaugurated: bool = False


@dataclass(frozen=True)
class DemoProject:
    slug: str
    title: str
    summary: str
    description: str
    theme: str
    insee: str  # the commune it lies in
    porteur_kind: str
    porteur_name: str
    submitter: str  # the demo role whose account submitted it
    modality: str
    goal: int
    campaign: tuple[int, int]  # its first and last days
    platform: str
    campaign_url: str
    status: str
    submitted: int  # the day it was submitted
    total_budget: int | None = None
    interest_rate: Decimal | None = None
    loan_months: int | None = None
    platform_name: str = ""
    # An area this many metres wide around its place, rather than a point.
    area: int = 0
    supported: bool = False
    cofunding: int | None = None
    public_meeting: tuple[int, str] | None = None  # (day, place)
    decided: int | None = None  # the day the agents accepted or refused it
    refusal_reason: str = ""
    figures: tuple[Figures, ...] = ()
    news: tuple[News, ...] = ()
    photos: tuple[str, ...] = ()  # captions
    followers: tuple[str, ...] = ()  # demo roles
    colour: tuple[int, int, int] = (86, 180, 233)  # of its generated photos


SOLAR_ROOF = DemoProject(
    # Like Buxerolles' (Vienne): 20,000 € lent by 27 residents at 1.8 % over 5 years.
    slug="toiture-solaire-groupe-scolaire-sancoins",
    title="Une toiture solaire sur le groupe scolaire de Sancoins",
    summary=(
        "La commune pose 96 panneaux photovoltaïques sur le toit de l'école et propose aux "
        "habitants de lui prêter 20 000 € à 1,8 % sur 5 ans."
    ),
    description=(
        "Le toit du groupe scolaire Jean-Moulin, refait en 2023, est orienté plein sud. La "
        "commune y installe une centrale de 36 kWc (96 panneaux) qui produira environ "
        "40 000 kWh par an, l'équivalent de la consommation de l'école et du restaurant "
        "scolaire ; le surplus est vendu sur le réseau.\n\n"
        "Sur un budget de 46 000 €, la commune apporte 26 000 € et propose aux habitants de "
        "lui prêter les 20 000 € restants par la plateforme Collecticity, agréée par "
        "l'Autorité des marchés financiers. Chaque prêteur est remboursé en mensualités "
        "pendant 5 ans, avec un intérêt de 1,8 % par an. On peut prêter à partir de 50 €.\n\n"
        "Les élèves suivront la production de la centrale sur un écran dans le hall."
    ),
    theme=Project.Theme.ENERGY,
    insee="18242",
    porteur_kind=Porteur.COLLECTIVITE,
    porteur_name="Commune de Sancoins",
    submitter="planner",
    modality=Modality.LOAN_INTEREST,
    interest_rate=Decimal("1.80"),
    loan_months=60,
    goal=20_000,
    total_budget=46_000,
    campaign=(-160, -115),
    platform=Platform.COLLECTICITY,
    campaign_url="https://www.collecticity.fr/projets/demo-toiture-solaire-sancoins",
    status=Status.FUNDED,
    submitted=-215,
    decided=-196,
    supported=True,
    cofunding=26_000,
    public_meeting=(-168, "Salle des fêtes de Sancoins"),
    figures=(
        Figures(-152, 4_500, 7),
        Figures(-141, 9_800, 13),
        Figures(-129, 15_250, 20),
        Figures(-114, 20_000, 27, source=Source.AGENT),
    ),
    news=(
        News(
            -40,
            "Les 96 panneaux sont posés ; Enedis raccorde la centrale en janvier. Merci aux "
            "27 prêteurs : les premières mensualités ont été versées.",
            photo="Les panneaux sur le toit de l'école",
        ),
    ),
    photos=("Le toit du groupe scolaire, plein sud", "La maquette de la centrale"),
    followers=("resident", "relay"),
    colour=(0, 114, 178),
)

PROJECTS = (
    SOLAR_ROOF,
    DemoProject(
        slug="cafe-epicerie-cooperatif-sagonne",
        title="Le café-épicerie de Sagonne rouvre en coopérative",
        summary=(
            "Fermé depuis 2019, le dernier commerce du village rouvre en SCIC : les habitants "
            "en deviennent sociétaires."
        ),
        description=(
            "Le café-épicerie de la place du château a fermé en 2019. Trente habitants ont "
            "fondé une société coopérative d'intérêt collectif (SCIC) pour le racheter et le "
            "rouvrir : épicerie de produits locaux, café, dépôt de pain et point relais.\n\n"
            "La campagne propose d'entrer au capital de la coopérative (parts de 50 €) ; "
            "chaque sociétaire a une voix à l'assemblée générale, quel que soit le nombre de "
            "ses parts. La commune soutient le projet et loue les murs à prix modéré."
        ),
        theme=Project.Theme.SOLIDARITY,
        insee="18195",
        porteur_kind=Porteur.CITIZENS,
        porteur_name="SCIC Le Café de Sagonne",
        submitter="resident",
        modality=Modality.EQUITY,
        goal=30_000,
        total_budget=85_000,
        campaign=(-420, -375),
        platform=Platform.WEDOGOOD,
        campaign_url="https://www.wedogood.co/projets/demo-cafe-de-sagonne",
        status=Status.INAUGURATED,
        submitted=-470,
        decided=-452,
        supported=True,
        public_meeting=(-430, "Salle communale de Sagonne"),
        figures=(
            Figures(-410, 8_200, 41),
            Figures(-396, 19_650, 88),
            Figures(-374, 34_500, 142),
        ),
        news=(
            News(
                -300,
                "L'acte de vente est signé : la coopérative est propriétaire du fonds. Les "
                "travaux de la cuisine commencent le mois prochain.",
            ),
            News(
                -180,
                "Le comptoir est posé et la chambre froide installée. Une journée de "
                "chantier participatif est prévue samedi pour la peinture.",
                photo="Le chantier participatif",
            ),
            News(
                -95,
                "Le café-épicerie a été inauguré samedi devant plus de deux cents personnes. "
                "Ouvert du mardi au dimanche, de 7 h 30 à 19 h 30.",
                photo="L'inauguration sur la place du château",
                inaugurated=True,
            ),
        ),
        photos=("La façade du café avant les travaux",),
        followers=("resident", "relay", "moderator"),
        colour=(204, 121, 167),
    ),
    DemoProject(
        slug="four-boulangerie-givardon",
        title="Un nouveau four pour la boulangerie de Givardon",
        summary=(
            "La boulangerie remplace son four à fioul par un four électrique et emprunte "
            "12 000 € aux habitants, sans intérêt, remboursés en 3 ans."
        ),
        description=(
            "Le four à fioul de la boulangerie a trente ans ; il tombe en panne et coûte cher. "
            "Le boulanger le remplace par un four électrique à soles, plus sobre, pour un "
            "budget de 38 000 €, dont 26 000 € prêtés par la banque.\n\n"
            "Les 12 000 € restants sont prêtés par les habitants sans intérêt : chacun est "
            "remboursé en 36 mensualités égales, et reçoit une baguette offerte par mois "
            "pendant la première année."
        ),
        theme=Project.Theme.SHOPS,
        insee="18102",
        porteur_kind=Porteur.BUSINESS,
        porteur_name="Boulangerie Au Fournil de Givardon",
        submitter="relay",
        modality=Modality.LOAN,
        loan_months=36,
        goal=12_000,
        total_budget=38_000,
        campaign=(-90, -60),
        platform=Platform.MIIMOSA,
        campaign_url="https://miimosa.com/fr/projects/demo-four-boulangerie-givardon",
        status=Status.FUNDED,
        submitted=-128,
        decided=-112,
        figures=(
            Figures(-82, 3_900, 31),
            Figures(-71, 8_400, 62),
            Figures(-58, 13_150, 94),
        ),
        news=(
            News(
                -20,
                "Le nouveau four est livré et monté ; la première fournée sort lundi.",
                photo="Le four livré dans le fournil",
            ),
        ),
        photos=("Le fournil",),
        followers=("resident",),
        colour=(230, 159, 0),
    ),
    DemoProject(
        slug="cinema-plein-air-neuilly-en-dun",
        title="Un écran de cinéma en plein air pour les villages",
        summary=(
            "Un écran gonflable et un projecteur pour des séances d'été dans les onze "
            "communes, avec des contreparties pour les donateurs."
        ),
        description=(
            "L'association organise depuis cinq ans des séances de cinéma dans les salles "
            "des fêtes. Elle voulait acheter un écran gonflable de 8 mètres, un projecteur et "
            "une sonorisation pour tourner l'été de village en village.\n\n"
            "Contreparties : une place offerte dès 20 €, une affiche sérigraphiée dès 50 €, "
            "le nom du donateur au générique dès 100 €."
        ),
        theme=Project.Theme.CULTURE,
        insee="18161",
        porteur_kind=Porteur.ASSOCIATION,
        porteur_name="Association Ciné-Villages",
        submitter="relay",
        modality=Modality.DONATION_REWARD,
        goal=12_000,
        total_budget=14_500,
        campaign=(-130, -85),
        platform=Platform.KISSKISSBANKBANK,
        campaign_url="https://www.kisskissbankbank.com/fr/projects/demo-cine-villages",
        status=Status.NOT_FUNDED,
        submitted=-170,
        decided=-150,
        figures=(
            Figures(-120, 1_350, 19),
            Figures(-101, 3_620, 44),
            Figures(-84, 4_870, 61),
        ),
        photos=("Une séance dans la salle des fêtes",),
        followers=("moderator",),
        colour=(213, 94, 0),
    ),
    DemoProject(
        slug="maraichage-bio-mornay-sur-allier",
        title="Une ferme maraîchère bio au bord de l'Allier",
        summary=(
            "Deux jeunes maraîchers s'installent sur 3 hectares et financent leur serre "
            "et l'irrigation au goutte-à-goutte ; des paniers de légumes en contrepartie."
        ),
        description=(
            "Camille et Théo s'installent sur trois hectares de terres alluviales que la "
            "commune loue par un bail rural environnemental. Ils cultiveront une quarantaine "
            "de légumes en agriculture biologique, vendus en paniers et au marché de "
            "Sancoins.\n\n"
            "La collecte finance une serre de 400 m² et l'irrigation au goutte-à-goutte "
            "(15 000 € sur 52 000 €). Contreparties : un panier de saison dès 30 €, une "
            "journée à la ferme dès 80 €."
        ),
        theme=Project.Theme.FOOD,
        insee="18155",
        porteur_kind=Porteur.BUSINESS,
        porteur_name="GAEC des Prés d'Allier",
        submitter="resident",
        modality=Modality.DONATION_REWARD,
        goal=15_000,
        total_budget=52_000,
        campaign=(-25, 20),
        platform=Platform.MIIMOSA,
        campaign_url="https://miimosa.com/fr/projects/demo-ferme-des-pres-d-allier",
        status=Status.CAMPAIGN,
        submitted=-70,
        decided=-52,
        figures=(
            Figures(-21, 1_200, 18),
            Figures(-15, 3_450, 41),
            Figures(
                -12,
                3_300,
                40,
                correction_reason=(
                    "Un don de 150 € a été remboursé : la contributrice l'avait fait deux fois."
                ),
            ),
            Figures(-6, 6_020, 77),
            Figures(-1, 9_350, 112, source=Source.PLATFORM_CSV, export=(118, 6)),
        ),
        photos=("Les parcelles au printemps", "L'emplacement de la serre"),
        followers=("resident", "planner"),
        colour=(0, 158, 115),
    ),
    DemoProject(
        slug="haies-bocageres-grossouvre",
        title="Replanter deux kilomètres de haies à Grossouvre",
        summary=(
            "Des haies champêtres autour des prés communaux, plantées par les habitants et "
            "les écoles : chaque don de 10 € plante un mètre de haie."
        ),
        description=(
            "Le bocage de Grossouvre a perdu la moitié de ses haies en cinquante ans. "
            "L'association replante deux kilomètres de haies d'essences locales (charme, "
            "noisetier, aubépine, cornouiller) autour des prés communaux.\n\n"
            "Les plants, le paillage et les protections coûtent 9 000 € ; la communauté de "
            "communes en apporte 3 000 €, la collecte les 6 000 € restants. Les plantations "
            "se font avec les habitants et les écoles en novembre."
        ),
        theme=Project.Theme.ENVIRONMENT,
        insee="18106",
        porteur_kind=Porteur.ASSOCIATION,
        porteur_name="Association Bocage des Trois Provinces",
        submitter="relay",
        modality=Modality.DONATION,
        goal=6_000,
        total_budget=9_000,
        campaign=(-10, 35),
        platform=Platform.OTHER,
        platform_name="HelloAsso",
        campaign_url="https://www.helloasso.com/associations/demo-bocage-trois-provinces",
        status=Status.CAMPAIGN,
        submitted=-45,
        decided=-30,
        area=400,
        supported=True,
        cofunding=3_000,
        figures=(
            Figures(-6, 780, 21),
            Figures(-2, 2_140, 48),
        ),
        photos=("Une haie plantée l'hiver dernier",),
        followers=("resident",),
        colour=(0, 158, 115),
    ),
    DemoProject(
        slug="lavoir-de-vereaux",
        title="Restaurer le lavoir de Vereaux",
        summary=(
            "La toiture en tuiles plates et le bassin du lavoir du XIXᵉ siècle, restaurés "
            "par des artisans du pays ; la campagne ouvre bientôt."
        ),
        description=(
            "Le lavoir du bourg, bâti en 1864, a perdu une partie de sa toiture et son "
            "bassin fuit. La commune le fait restaurer à l'identique par des artisans "
            "locaux : charpente en chêne, tuiles plates de récupération, bassin en pierre.\n\n"
            "La collecte finance la toiture. Une réunion publique présente le chantier "
            "avant l'ouverture de la campagne ; les donateurs seront invités à la fête du "
            "lavoir restauré."
        ),
        theme=Project.Theme.HERITAGE,
        insee="18275",
        porteur_kind=Porteur.COLLECTIVITE,
        porteur_name="Commune de Vereaux",
        submitter="planner",
        modality=Modality.DONATION_REWARD,
        goal=8_000,
        total_budget=27_000,
        campaign=(12, 57),
        platform=Platform.ULULE,
        campaign_url="https://fr.ulule.com/demo-lavoir-de-vereaux/",
        status=Status.ACCEPTED,
        submitted=-30,
        decided=-6,
        supported=True,
        cofunding=19_000,
        public_meeting=(5, "Mairie de Vereaux, salle du conseil"),
        photos=("Le lavoir et sa toiture abîmée",),
        followers=("resident", "relay"),
        colour=(240, 228, 66),
    ),
    DemoProject(
        slug="atelier-velo-neuvy-le-barrois",
        title="Un atelier vélo participatif à Neuvy-le-Barrois",
        summary=(
            "Un local, des outils et des bénévoles pour réparer son vélo soi-même et "
            "remettre en état les vélos abandonnés."
        ),
        description=(
            "Un collectif d'habitants veut ouvrir un atelier vélo dans l'ancienne forge, "
            "deux après-midi par semaine : on y apprend à réparer son vélo avec l'aide de "
            "bénévoles, et les vélos abandonnés sont remis en état pour ceux qui n'en ont "
            "pas.\n\n"
            "La collecte achètera l'outillage, un pied d'atelier et un stock de pièces."
        ),
        theme=Project.Theme.MOBILITY,
        insee="18164",
        porteur_kind=Porteur.CITIZENS,
        porteur_name="Collectif Vélo de Neuvy",
        submitter="resident",
        modality=Modality.DONATION_REWARD,
        goal=4_500,
        campaign=(30, 75),
        platform=Platform.ULULE,
        campaign_url="https://fr.ulule.com/demo-atelier-velo-neuvy/",
        status=Status.SUBMITTED,
        submitted=-3,
        colour=(86, 180, 233),
    ),
    DemoProject(
        slug="extension-camping-augy-sur-aubois",
        title="Agrandir le camping des Étangs",
        summary="Douze emplacements et deux chalets de plus, financés par un prêt à 7 %.",
        description=(
            "Le camping veut ajouter douze emplacements et deux chalets en bois au bord de "
            "l'étang, et propose aux habitants de lui prêter 25 000 € à 7 % sur 4 ans."
        ),
        theme=Project.Theme.SHOPS,
        insee="18017",
        porteur_kind=Porteur.BUSINESS,
        porteur_name="SARL Camping des Étangs",
        submitter="relay",
        modality=Modality.LOAN_INTEREST,
        interest_rate=Decimal("7.00"),
        loan_months=48,
        goal=25_000,
        campaign=(20, 80),
        platform=Platform.OTHER,
        platform_name="Cagnotte en ligne",
        campaign_url="https://cagnotte.example.org/demo-camping-des-etangs",
        status=Status.REFUSED,
        submitted=-40,
        decided=-15,
        refusal_reason=(
            "Le prêt rémunéré passerait par une cagnotte en ligne, qui n'est pas une "
            "plateforme agréée de financement participatif (prestataire agréé par "
            "l'Autorité des marchés financiers) : le portail ne relaie que les campagnes des "
            "plateformes agréées, pour protéger les prêteurs. Le projet peut être proposé à "
            "nouveau avec une campagne sur l'une d'elles."
        ),
    ),
)
