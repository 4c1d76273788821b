"""The texts and the script of the demo city Musterstadt, as plain data.

`demo.py` turns this into commands. Every step carries a `day`: days after the start of the
demo year (day 0 is about a year ago, the last step lies a few days before today). An idea's
steps are listed in the order they happen, with days that never go back. Actors are named by
account: the lowercase department code (for example "umw" for the Umweltamt) or
"koordination". Steps that a working group takes (recommendation, meetings, everything on a
measure) are done by the group member named in `lead`, else by the group's first member.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# -- the script's vocabulary -------------------------------------------------------------


@dataclass(frozen=True)
class Pledge:
    """A department (short code) pledges its support."""

    day: int
    department: str
    note: str


@dataclass(frozen=True)
class Comment:
    """A comment; `reply_to` is the index of an earlier comment on the same idea."""

    day: int
    author: str
    text: str
    reply_to: int | None = None


@dataclass(frozen=True)
class Revise:
    """The submitting department (or `author`) changes fields, with a note."""

    day: int
    changes: dict[str, Any]
    note: str
    author: str | None = None


@dataclass(frozen=True)
class Assess:
    day: int
    impact: int
    effort: int
    weeks: int
    rationale: str


@dataclass(frozen=True)
class OverrideQuickWin:
    day: int
    quick_win: bool
    reason: str


@dataclass(frozen=True)
class Assign:
    """Hand the idea to a working group (key of WORKING_GROUPS)."""

    day: int
    group: str


@dataclass(frozen=True)
class Recommend:
    day: int
    outcome: str  # "accept", "reject" or "park"
    reasoning: str


@dataclass(frozen=True)
class Accept:
    """Accept the idea; the measure belongs to `owner` (short code), else the idea's department."""

    day: int
    reason: str
    owner: str | None = None


@dataclass(frozen=True)
class Reject:
    day: int
    reason: str


@dataclass(frozen=True)
class Park:
    day: int
    reason: str


@dataclass(frozen=True)
class Reopen:
    day: int
    reason: str


@dataclass(frozen=True)
class Merge:
    """Merge into another idea (its key)."""

    day: int
    into: str
    reason: str


@dataclass(frozen=True)
class Withdraw:
    day: int
    reason: str


@dataclass(frozen=True)
class SetGoal:
    day: int
    statement: str
    indicator: str
    target: str


@dataclass(frozen=True)
class ReviseGoal:
    """Revise the measure's first goal."""

    day: int
    statement: str
    indicator: str
    target: str
    note: str


@dataclass(frozen=True)
class NoteApproach:
    day: int
    approach: str


@dataclass(frozen=True)
class AddMilestone:
    """Plan a milestone due on day `due` (may lie after today)."""

    day: int
    title: str
    due: int


@dataclass(frozen=True)
class ReachMilestone:
    """The milestone with this title is reached on the step's day."""

    day: int
    title: str


@dataclass(frozen=True)
class ReportProgress:
    day: int
    percent: int
    note: str


@dataclass(frozen=True)
class Block:
    day: int
    reason: str


@dataclass(frozen=True)
class Unblock:
    day: int
    note: str


@dataclass(frozen=True)
class Implement:
    """The measure is implemented on the step's day."""

    day: int
    outcome: str


@dataclass(frozen=True)
class RecordBenefit:
    day: int
    department: str
    description: str


@dataclass(frozen=True)
class Cancel:
    day: int
    reason: str


Step = (
    Pledge
    | Comment
    | Revise
    | Assess
    | OverrideQuickWin
    | Assign
    | Recommend
    | Accept
    | Reject
    | Park
    | Reopen
    | Merge
    | Withdraw
    | SetGoal
    | ReviseGoal
    | NoteApproach
    | AddMilestone
    | ReachMilestone
    | ReportProgress
    | Block
    | Unblock
    | Implement
    | RecordBenefit
    | Cancel
)

# The steps that act on the idea's measure (done by the group member leading the idea).
MEASURE_STEPS = (
    SetGoal,
    ReviseGoal,
    NoteApproach,
    AddMilestone,
    ReachMilestone,
    ReportProgress,
    Block,
    Unblock,
    Implement,
    RecordBenefit,
    Cancel,
)


@dataclass(frozen=True)
class DemoIdea:
    """An idea, submitted on `day` by the account of `department`, and what happens to it."""

    key: str
    department: str
    day: int
    title: str
    summary: str
    description: str
    themes: tuple[str, ...]
    steps: tuple[Step, ...] = ()
    lead: str | None = None


@dataclass(frozen=True)
class Meeting:
    day: int
    format: str  # "in_person", "online" or "hybrid"
    notes: str
    decisions: str
    ideas: tuple[str, ...]


@dataclass(frozen=True)
class DemoGroup:
    """A working group formed on `day`; `members` are department codes of accounts."""

    key: str
    name: str
    mandate: str
    lead: str
    day: int
    members: tuple[str, ...]
    meetings: tuple[Meeting, ...] = field(default=())


# -- the working groups --------------------------------------------------------------------

WORKING_GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup(
        key="klima",
        name="AG Klimaanpassung und Stadtgrün",
        mandate=(
            "Ideen zu Hitze, Trockenheit, Starkregen und Stadtgrün aus den Fachbereichen zu "
            "umsetzbaren Maßnahmen verfeinern. Sensorik und das LoRaWAN-Netz der Stadtwerke "
            "gemeinsam nutzen, statt dass jedes Amt eigene Insellösungen beschafft."
        ),
        lead="UMW",
        day=24,
        members=("UMW", "SWM"),
        meetings=(
            Meeting(
                day=48,
                format="in_person",
                notes=(
                    "Erste Sitzung im Umweltamt. Das Umweltamt stellt die Idee zu "
                    "Bodenfeuchtesensoren an Straßenbäumen vor; die Stadtwerke berichten über "
                    "die LoRaWAN-Abdeckung: Innenstadt und Norden gut versorgt, im Süden "
                    "lückenhaft. Kosten je Sensor rund 180 €, Batterielaufzeit fünf Jahre."
                ),
                decisions=(
                    "Die AG empfiehlt die Bodenfeuchtesensoren als Quick Win. Der LoRaWAN-Ausbau "
                    "wird als eigene Maßnahme empfohlen; Standorte zuerst im Süden."
                ),
                ideas=("baumsensoren", "lorawan"),
            ),
            Meeting(
                day=110,
                format="hybrid",
                notes=(
                    "Feuerwehr und Sozialamt als Gäste. Pegelsensoren: drei der fünf Bäche "
                    "liegen im Süden ohne Funkabdeckung. Hitzewarnkette: Verteiler der "
                    "Pflegedienste liegt beim Sozialamt, Datenschutz ist geklärt. Smarte "
                    "Sitzbänke: Erfahrungen aus Nachbarstädten zeigen hohe Ausfallraten."
                ),
                decisions=(
                    "Pegelsensoren: Empfehlung „Zurückstellen“ bis zum Gateway-Ausbau im Süden. "
                    "Smarte Sitzbänke: Empfehlung „Ablehnen“. Hitzewarnkette: weiter "
                    "ausarbeiten, Entwurf in der nächsten Sitzung."
                ),
                ideas=("pegel", "hitzewarnung", "smartbank"),
            ),
            Meeting(
                day=200,
                format="online",
                notes=(
                    "Auswertung der ersten Saison mit Bodenfeuchtesensoren: 34 % weniger "
                    "Gießfahrten zu den Pilotbäumen, kein Ausfall. LoRaWAN: fünf Gateways im "
                    "Süden montiert, drei Standorte in Verhandlung. Hitzewarnkette: Entwurf "
                    "der Textbausteine mit dem Gesundheitsamt des Kreises abgestimmt."
                ),
                decisions=(
                    "Hitzewarnkette: Empfehlung „Annehmen“. Ausweitung der Bodenfeuchtesensoren "
                    "auf weitere Standorte wird im nächsten Haushalt beantragt."
                ),
                ideas=("baumsensoren", "lorawan", "hitzewarnung"),
            ),
            Meeting(
                day=290,
                format="in_person",
                notes=(
                    "Die Pegelsensoren sind nach dem Gateway-Ausbau wieder auf der Tagesordnung; "
                    "die Feuerwehr hat einen sechsten Standort am Bahndurchlass ergänzt. Die "
                    "Wohnungsbaugesellschaft stellt fernablesbare Heizkostenverteiler vor; "
                    "Frage nach dem Datenschutz der Mieterinnen und Mieter offen."
                ),
                decisions=(
                    "Pegelsensoren: Kostenangebot für sechs Standorte einholen, Entscheidung in "
                    "der nächsten Sitzung. Heizkostenverteiler: Datenschutzkonzept der "
                    "Wohnungsbaugesellschaft abwarten."
                ),
                ideas=("pegel", "heizung", "hitzewarnung"),
            ),
        ),
    ),
    DemoGroup(
        key="verwaltung",
        name="AG Digitale Verwaltung und Bürgerservice",
        mandate=(
            "Verwaltungsleistungen Ende-zu-Ende digitalisieren (Onlinezugangsgesetz), "
            "Terminvergabe, E-Akte und Sitzungsdienst voranbringen. Fachverfahren, "
            "Personalrat und Datenschutz von Anfang an einbinden; Landeslösungen vor "
            "Eigenentwicklungen."
        ),
        lead="DIG",
        day=28,
        members=("DIG", "BGD"),
        meetings=(
            Meeting(
                day=62,
                format="online",
                notes=(
                    "Die Bürgerdienste zeigen das lizenzierte Terminmodul im Testsystem. Das "
                    "Ordnungsamt stellt den Mängelmelder des Landes vor, den Nachbarstädte "
                    "bereits nutzen; Kategorien und Zuständigkeiten müssen mit Tiefbauamt und "
                    "Stadtwerken abgestimmt werden."
                ),
                decisions=(
                    "Beide Ideen werden zur Annahme empfohlen. Start der Terminvergabe im "
                    "Bürgerbüro Mitte; Mängelmelder über die Landesplattform, keine "
                    "Eigenentwicklung."
                ),
                ideas=("terminvergabe", "maengelmelder"),
            ),
            Meeting(
                day=130,
                format="in_person",
                notes=(
                    "Digitale Bauakte: Der Digitale Bauantrag des Landes (EfA-Leistung) ist "
                    "verfügbar; offen ist die Schnittstelle des Fachverfahrens zur E-Akte. "
                    "Ratsinformationssystem: Der Hersteller des Altsystems stellt die "
                    "Weiterentwicklung ein; der Nachbarkreis sucht ebenfalls ein neues System."
                ),
                decisions=(
                    "Digitale Bauakte: Annahme empfohlen, Umsetzung in drei Stufen. "
                    "Sitzungsdienst: Annahme empfohlen, gemeinsame Ausschreibung mit dem "
                    "Nachbarkreis prüfen."
                ),
                ideas=("bauakte", "ratsinfo"),
            ),
            Meeting(
                day=215,
                format="hybrid",
                notes=(
                    "Der Hersteller des Bau-Fachverfahrens kündigt an, dass die Schnittstelle "
                    "zur E-Akte erst mit dem nächsten Release kommt. Das Sozialamt stellt die "
                    "E-Akte für die Grundsicherung vor; die Bürgerdienste das Online-Fundbüro, "
                    "bei dem die Verkehrsbetriebe mitmachen wollen."
                ),
                decisions=(
                    "Digitale Bauakte: Blockade wird gemeldet, sobald der Termin des "
                    "Herstellers feststeht. E-Akte und Fundbüro: Aufwand und Verfahren bis zur "
                    "nächsten Sitzung klären."
                ),
                ideas=("bauakte", "eakte_sozial", "fundbuero"),
            ),
            Meeting(
                day=320,
                format="online",
                notes=(
                    "E-Akte im Sozialamt: Die Scanrichtlinie der Personalabteilung lässt sich "
                    "übertragen; ersetzendes Scannen nach TR-RESISCAN. Online-Fundbüro: zwei "
                    "Anbieter im Vergleich. Online-Beteiligung für Bebauungspläne: Das Land "
                    "kündigt die Freigabe von DiPlanung für alle Kommunen an."
                ),
                decisions=(
                    "E-Akte: Annahme empfohlen. Online-Beteiligung: Empfehlung „Zurückstellen“ "
                    "bis zur Freigabe der Landeslösung. Fundbüro: Angebote bis zur nächsten "
                    "Sitzung bewerten."
                ),
                ideas=("eakte_sozial", "fundbuero", "beteiligung"),
            ),
        ),
    ),
    DemoGroup(
        key="mobilitaet",
        name="AG Smarte Mobilität",
        mandate=(
            "Daten und Dienste rund um Parken, Bus und Bahn, Radverkehr und Laden "
            "zusammenführen; offene Daten als Standard, damit auch Dritte sie nutzen können."
        ),
        lead="VBM",
        day=40,
        members=("VBM", "SWM"),
        meetings=(
            Meeting(
                day=75,
                format="in_person",
                notes=(
                    "Die Stadtwerke zeigen die Zählanlagen der Parkhäuser; die Daten liegen "
                    "minütlich vor. Die Verkehrsbetriebe stellen E-Paper-Anzeigen für "
                    "Haltestellen ohne Stromanschluss vor; ein Förderaufruf des Landes würde "
                    "80 % der Kosten tragen."
                ),
                decisions=(
                    "Open Data zu Parkhäusern: Annahme empfohlen, P+R-Plätze einbeziehen. "
                    "E-Paper-Anzeigen: Annahme unter dem Vorbehalt der Förderung empfohlen."
                ),
                ideas=("parkdaten", "fahrgastinfo"),
            ),
            Meeting(
                day=180,
                format="online",
                notes=(
                    "Das Land hat den Förderaufruf für ÖPNV-Digitalisierung zurückgezogen. Die "
                    "Stadtwerke stellen die Live-Belegung der Ladesäulen vor; die Daten kommen "
                    "aus dem Backend der Ladeinfrastruktur."
                ),
                decisions=(
                    "E-Paper-Anzeigen: Die AG bittet die Koordination, die Maßnahme abzubrechen. "
                    "Ladesäulen: Schnittstelle als Open Data prüfen."
                ),
                ideas=("fahrgastinfo", "ladesaeulen"),
            ),
            Meeting(
                day=300,
                format="hybrid",
                notes=(
                    "Die offenen Parkhausdaten werden rund 14.000-mal im Monat abgerufen, zwei "
                    "Navigationsdienste binden sie ein. Ladesäulen: Das Backend liefert den "
                    "Status nach OCPI; offen ist die Lizenzfrage mit dem Betreiber."
                ),
                decisions=(
                    "Ladesäulen: Lizenzfrage bis zur nächsten Sitzung klären, dann Empfehlung."
                ),
                ideas=("ladesaeulen", "parkdaten"),
            ),
        ),
    ),
    DemoGroup(
        key="schule",
        name="AG Digitale Schule",
        mandate=(
            "Digitale Infrastruktur und Verwaltungsabläufe der 24 städtischen Schulen als "
            "Schulträgeraufgabe planen – gemeinsam mit Schulleitungen, Medienzentrum und "
            "Stadtwerken."
        ),
        lead="SVA",
        day=52,
        members=("SVA", "DIG"),
        meetings=(
            Meeting(
                day=85,
                format="hybrid",
                notes=(
                    "Zwei Schulleitungen und die Musikschule als Gäste. Raumbuchung: Das Modul "
                    "der Schulverwaltungssoftware ist lizenziert, die Raumdaten liegen aus der "
                    "Gebäudeverwaltung vor. Schulträger-WLAN: Mittel aus dem DigitalPakt Schule "
                    "stehen bereit, Glasfaser kommt von den Stadtwerken."
                ),
                decisions=(
                    "Raumbuchung: Annahme empfohlen, Start mit acht Pilotschulen. "
                    "Schulträger-WLAN: Annahme empfohlen, Ausleuchtung zuerst in den "
                    "Grundschulen."
                ),
                ideas=("raumbuchung", "schulwlan"),
            ),
            Meeting(
                day=170,
                format="in_person",
                notes=(
                    "Die Ausschreibung für das Schulträger-WLAN ist vergeben. Der Zeitplan für "
                    "die Verkabelung wird mit den Hausmeisterinnen und Hausmeistern abgestimmt; "
                    "Arbeiten nur außerhalb der Unterrichtszeit."
                ),
                decisions="Verkabelung beginnt in den vier größten Grundschulen.",
                ideas=("schulwlan",),
            ),
            Meeting(
                day=270,
                format="online",
                notes=(
                    "Schulträger-WLAN: Lieferverzug bei Access Points, 9 von 14 Grundschulen "
                    "ausgeleuchtet. Digitaler Vertretungsplan: Schulleitungen wünschen eine "
                    "Lösung, die mit dem Stundenplanprogramm zusammenarbeitet."
                ),
                decisions=(
                    "WLAN: neuer Termin für die Grundschulen wird mit dem Lieferanten "
                    "vereinbart. Vertretungsplan: Annahme empfohlen."
                ),
                ideas=("schulwlan", "vertretungsplan"),
            ),
        ),
    ),
)


# -- the ideas, in the order they are submitted ---------------------------------------------

BAUMSENSOREN_DESCRIPTION = (
    "In Trockenperioden fahren die Gießkolonnen alle rund 1.800 Jungbäume der ersten drei "
    "Standjahre nach festem Plan an – auch dort, wo der Boden noch feucht ist. Gleichzeitig "
    "vertrocknen an exponierten Standorten Bäume zwischen zwei Gießgängen. Wir schlagen vor, "
    "an 50 repräsentativen Standorten Bodenfeuchtesensoren in 30 und 60 cm Tiefe zu setzen. "
    "Die Messwerte laufen über das LoRaWAN-Netz der Stadtwerke in ein einfaches Dashboard; "
    "daraus entsteht jede Woche eine Gießliste für die Kolonnen."
)

IDEAS: tuple[DemoIdea, ...] = (
    DemoIdea(
        key="baumsensoren",
        department="UMW",
        day=10,
        title="Straßenbäume mit Bodenfeuchtesensoren bewässern",
        summary=(
            "Bodenfeuchtesensoren an Jungbäumen melden über LoRaWAN, welche Bäume wirklich "
            "Wasser brauchen; die Gießrouten richten sich nach Messwerten statt nach dem Kalender."
        ),
        description=BAUMSENSOREN_DESCRIPTION,
        themes=("Klimaanpassung", "Stadtgrün", "Sensorik", "LoRaWAN"),
        steps=(
            Pledge(
                13,
                "SWM",
                "Wir stellen das LoRaWAN-Netz und die Plattform für die Sensordaten bereit; zwei "
                "Gateways in der Südstadt ergänzen wir ohnehin.",
            ),
            Pledge(
                15,
                "TBA",
                "Die Gießkolonnen des Tiefbauamts richten ihre Touren nach den Messwerten aus "
                "und helfen bei der Montage.",
            ),
            Comment(
                16,
                "tba",
                "Bitte auch Standorte an den Hauptverkehrsstraßen einbeziehen – dort haben wir "
                "die meisten Ausfälle durch Streusalz und Hitze.",
            ),
            Comment(
                17,
                "umw",
                "Gute Ergänzung, wir nehmen zehn Standorte an der Ringstraße und der "
                "Bahnhofstraße in die Auswahl auf.",
                reply_to=0,
            ),
            Revise(
                18,
                {
                    "description": BAUMSENSOREN_DESCRIPTION
                    + " Zehn der 50 Standorte liegen an Hauptverkehrsstraßen (Ringstraße, "
                    "Bahnhofstraße), wo Streusalz und Hitze die Bäume besonders belasten.",
                    "themes": ["Klimaanpassung", "Stadtgrün", "Sensorik", "LoRaWAN", "Hitze"],
                },
                "Standorte an Hauptverkehrsstraßen nach Hinweis des Tiefbauamts ergänzt.",
            ),
            Assess(
                27,
                impact=4,
                effort=2,
                weeks=10,
                rationale=(
                    "Geringer Aufwand, weil Funknetz und Datenplattform der Stadtwerke vorhanden "
                    "sind; sichtbarer Nutzen schon in der ersten Saison (weniger Gießfahrten, "
                    "weniger Ausfälle bei Jungbäumen). Guter Einstieg für die Allianz der "
                    "Willigen."
                ),
            ),
            Assign(34, "klima"),
            Recommend(
                50,
                "accept",
                "Die AG empfiehlt die Umsetzung als Quick Win: Die Technik ist erprobt, "
                "Stadtwerke und Tiefbauamt haben ihre Mitwirkung zugesagt, die Kosten von rund "
                "9.000 € für 50 Sensoren trägt das Budget Klimaanpassung.",
            ),
            Accept(
                55,
                "Angenommen als Quick Win mit klarem Mehrwert für Tiefbauamt und Umweltamt; "
                "die Finanzierung aus dem Budget Klimaanpassung ist gesichert.",
            ),
            SetGoal(
                60,
                statement="Jungbäume bedarfsgerecht statt nach Kalender bewässern",
                indicator="Gießfahrten je Pilotbaum und Saison; Ausfallquote der Pilotbäume",
                target="−30 % Gießfahrten bei gleicher oder geringerer Ausfallquote",
            ),
            NoteApproach(
                60,
                "Pilot mit 50 Sensoren an Standorten unterschiedlicher Bodenart und "
                "Verkehrsbelastung. Die Stadtwerke binden die Sensoren in ihre LoRaWAN-Plattform "
                "ein, das Umweltamt legt die Schwellenwerte fest, das Tiefbauamt erhält jeden "
                "Montag eine Gießliste als Karte. Nach der ersten Saison entscheidet die AG über "
                "die Ausweitung.",
            ),
            AddMilestone(61, "50 Sensoren montiert und im LoRaWAN-Netz", due=95),
            AddMilestone(61, "Gießliste aus Sensordaten im Regelbetrieb", due=130),
            ReportProgress(
                80, 35, "Sensoren geliefert, 20 Standorte montiert; Gateway Südstadt in Betrieb."
            ),
            ReachMilestone(93, "50 Sensoren montiert und im LoRaWAN-Netz"),
            ReportProgress(
                110, 70, "Alle Sensoren senden; Schwellenwerte nach zwei Wochen Messung angepasst."
            ),
            ReachMilestone(128, "Gießliste aus Sensordaten im Regelbetrieb"),
            Implement(
                135,
                "50 Sensoren liefern stündlich Messwerte; die Gießkolonnen arbeiten nach der "
                "wöchentlichen Gießliste. In der Pilotphase 34 % weniger Gießfahrten zu den "
                "Pilotbäumen, kein Ausfall eines Pilotbaums.",
            ),
            RecordBenefit(
                180,
                "TBA",
                "Rund 120 Gießfahrten weniger in der Pilotphase; die Kolonnen werden gezielt an "
                "Hitze-Hotspots eingesetzt statt nach festem Plan.",
            ),
            RecordBenefit(
                240,
                "SWM",
                "Erster produktiver Anwendungsfall des LoRaWAN-Netzes; die Plattform wird "
                "seitdem von weiteren Fachbereichen angefragt.",
            ),
            Comment(
                300,
                "wbg",
                "Können wir die Sensoren auch für die Bäume in unseren Wohnanlagen nutzen? Die "
                "Kosten würden wir selbst tragen.",
            ),
            Comment(
                303,
                "umw",
                "Sehr gern – wir schicken Ihnen die Schwellenwerte und die Einbauanleitung.",
                reply_to=2,
            ),
            RecordBenefit(
                325,
                "WBG",
                "Die Wohnungsbaugesellschaft übernimmt das Verfahren für 30 Bäume in ihren "
                "Wohnanlagen und spart die Entwicklung eines eigenen Gießplans.",
            ),
        ),
    ),
    DemoIdea(
        key="kfz_termine",
        department="ORD",
        day=14,
        title="Termine für Fahrerlaubnisbehörde und Kfz-Zulassung online buchen",
        summary=(
            "Führerscheinumtausch und Zulassungen nur noch mit Online-Termin, damit die "
            "Warteschlangen vor der Fahrerlaubnisbehörde verschwinden."
        ),
        description=(
            "Seit dem Pflichtumtausch der alten Führerscheine stehen morgens bis zu 40 Menschen "
            "vor der Tür. Eine Online-Terminvergabe würde den Andrang über den Tag verteilen."
        ),
        themes=("Bürgerservice", "Verwaltungsdigitalisierung"),
        steps=(
            Comment(
                22,
                "koordination",
                "Das deckt sich weitgehend mit der Idee der Bürgerdienste zur "
                "Online-Terminvergabe. Sollen wir beides zusammenführen?",
            ),
            Comment(
                23,
                "ord",
                "Einverstanden – wir sagen dort unsere Mitwirkung zu.",
                reply_to=0,
            ),
            Merge(
                40,
                "terminvergabe",
                "Gleicher Bedarf wie die Online-Terminvergabe der Bürgerdienste; die "
                "Fahrerlaubnisbehörde wirkt dort mit und nutzt denselben Kalender.",
            ),
        ),
    ),
    DemoIdea(
        key="terminvergabe",
        department="BGD",
        day=20,
        title="Online-Terminvergabe für alle Bürgerbüros",
        summary=(
            "Ein gemeinsamer Online-Terminkalender für die drei Bürgerbüros statt "
            "Telefonwarteschleife und Wartemarken."
        ),
        description=(
            "Heute vergeben die Bürgerbüros Termine telefonisch oder gar nicht; morgens bilden "
            "sich Schlangen vor der Tür. Das Terminmodul unseres Fachverfahrens ist bereits "
            "lizenziert, aber nur für die Kfz-Zulassung freigeschaltet. Wir möchten es für alle "
            "Anliegen der Bürgerbüros nutzen, mit Erinnerung per E-Mail und einer Übersicht der "
            "benötigten Unterlagen."
        ),
        themes=("Bürgerservice", "Verwaltungsdigitalisierung", "Onlinezugangsgesetz"),
        lead="bgd",
        steps=(
            Pledge(
                23,
                "ORD",
                "Die Fahrerlaubnisbehörde möchte den Kalender mitnutzen; unsere eigene Idee "
                "kann darin aufgehen.",
            ),
            Comment(
                24,
                "koordination",
                "Bitte prüfen, ob die Termine barrierefrei und ohne Nutzerkonto buchbar sind.",
            ),
            Comment(
                25,
                "bgd",
                "Ja: Buchung ohne Konto, nur mit E-Mail-Adresse; die Oberfläche ist nach "
                "BITV 2.0 geprüft.",
                reply_to=0,
            ),
            Assess(
                30,
                impact=5,
                effort=2,
                weeks=8,
                rationale=(
                    "Sehr hoher Nutzen für viele Bürgerinnen und Bürger; das Modul ist bereits "
                    "lizenziert, der Aufwand liegt vor allem in Konfiguration und Schulung."
                ),
            ),
            Assign(35, "verwaltung"),
            Recommend(
                64,
                "accept",
                "Schnell umsetzbar. Die AG schlägt einen Start im Bürgerbüro Mitte und die "
                "Ausweitung auf Nord und Süd nach vier Wochen vor.",
            ),
            Accept(
                68,
                "Hoher Nutzen bei geringem Aufwand; Start im Bürgerbüro Mitte wie von der AG "
                "empfohlen.",
            ),
            SetGoal(
                70,
                statement="Wartezeiten in den Bürgerbüros verkürzen",
                indicator="mittlere Wartezeit vor Ort; Anteil online gebuchter Termine",
                target="Wartezeit unter 10 Minuten, 60 % der Termine online gebucht",
            ),
            NoteApproach(
                70,
                "Terminmodul des vorhandenen Fachverfahrens für alle Anliegen konfigurieren, "
                "Dienstleistungskatalog mit Unterlagenlisten pflegen, Mitarbeitende in zwei "
                "Schulungen einweisen; Start in Mitte, danach Nord und Süd.",
            ),
            AddMilestone(71, "Bürgerbüro Mitte bucht online", due=90),
            AddMilestone(71, "Alle drei Bürgerbüros online buchbar", due=120),
            ReachMilestone(88, "Bürgerbüro Mitte bucht online"),
            ReportProgress(95, 50, "Mitte läuft; 55 % der Termine werden online gebucht."),
            ReachMilestone(118, "Alle drei Bürgerbüros online buchbar"),
            Implement(
                122,
                "Alle drei Bürgerbüros vergeben Termine online; die mittlere Wartezeit vor Ort "
                "sank von 38 auf 7 Minuten.",
            ),
            RecordBenefit(
                150,
                "BGD",
                "Planbare Auslastung, keine Warteschlangen am Morgen, rund 40 % weniger "
                "Telefonanfragen.",
            ),
            RecordBenefit(
                160,
                "ORD",
                "Die Fahrerlaubnisbehörde nutzt denselben Kalender; Termine für den "
                "Führerscheinumtausch ohne Wartezeit.",
            ),
        ),
    ),
    DemoIdea(
        key="lorawan",
        department="SWM",
        day=22,
        title="LoRaWAN-Netz stadtweit ausbauen",
        summary=(
            "Das LoRaWAN-Funknetz der Stadtwerke von 6 auf 20 Gateways ausbauen, damit "
            "Sensoren im ganzen Stadtgebiet funken können."
        ),
        description=(
            "Ein LoRaWAN-Netz überträgt kleine Datenmengen energiesparend über mehrere "
            "Kilometer – ideal für Bodenfeuchte, Pegelstände, Füllstände oder Raumklima. Heute "
            "decken sechs Gateways die Innenstadt und den Norden ab. Mit 14 weiteren Gateways "
            "auf städtischen Gebäuden und Masten der Stadtwerke wäre das ganze Stadtgebiet "
            "versorgt. Die Plattform steht allen Fachbereichen offen."
        ),
        themes=("Infrastruktur", "LoRaWAN", "Sensorik"),
        lead="swm",
        steps=(
            Pledge(
                25, "UMW", "Für Bodenfeuchte- und Pegelsensoren brauchen wir Abdeckung im Süden."
            ),
            Pledge(27, "FW", "Wir möchten Pegelsensoren an kleinen Bächen anbinden."),
            Pledge(
                29,
                "WBG",
                "Die Dächer unserer Hochhäuser stehen als Gateway-Standorte zur Verfügung.",
            ),
            Assess(
                33,
                impact=5,
                effort=4,
                weeks=40,
                rationale=(
                    "Grundlage für viele Sensorik-Ideen; Investition rund 60.000 €, die "
                    "Verhandlungen über Standorte brauchen Zeit."
                ),
            ),
            Assign(36, "klima"),
            Recommend(
                52,
                "accept",
                "Als Infrastruktur-Maßnahme umsetzen; Standorte zuerst im Süden, wo Pegel- und "
                "Bodenfeuchtesensoren sie brauchen.",
            ),
            Accept(
                58,
                "Grundlage für weitere Sensorik-Maßnahmen; Finanzierung über die Stadtwerke und "
                "Mittel aus dem Programm Modellprojekte Smart Cities.",
            ),
            SetGoal(
                62,
                statement="Flächendeckende LoRaWAN-Abdeckung im Stadtgebiet",
                indicator="Anteil der Stadtfläche mit Empfang (Messfahrt)",
                target="95 % der Stadtfläche",
            ),
            NoteApproach(
                62,
                "Standorte auf städtischen Dächern, Feuerwachen und Masten der Stadtwerke; "
                "Gestattungsverträge über die Liegenschaftsabteilung. Nach jedem Bauabschnitt "
                "eine Messfahrt mit Testsensor.",
            ),
            AddMilestone(65, "Acht Gateways im Süden in Betrieb", due=160),
            AddMilestone(65, "Alle 14 neuen Gateways in Betrieb", due=420),
            ReportProgress(
                120, 30, "Fünf Standorte vertraglich gesichert, drei Gateways montiert."
            ),
            ReviseGoal(
                150,
                statement="Flächendeckende LoRaWAN-Abdeckung im Stadtgebiet",
                indicator="Anteil der Stadtfläche und der Schulen mit Empfang (Messfahrt)",
                target="95 % der Stadtfläche und alle 24 Schulen",
                note="Schulen ergänzt, weil die AG Digitale Schule Raumklimasensoren plant.",
            ),
            ReachMilestone(238, "Acht Gateways im Süden in Betrieb"),
            ReportProgress(
                240, 60, "Südstadt vollständig versorgt; die Messfahrt zeigt 82 % Abdeckung."
            ),
            ReportProgress(
                330,
                70,
                "Zwei weitere Gateways auf Feuerwachen montiert; die Genehmigung für den "
                "Wasserturm steht noch aus.",
            ),
        ),
    ),
    DemoIdea(
        key="parkhaus_app",
        department="VBM",
        day=28,
        title="Parkhausbelegung in der Fahrgast-App anzeigen",
        summary="Die Fahrgast-App zeigt freie Plätze in Parkhäusern und an P+R-Anlagen.",
        description=(
            "Wer mit dem Auto bis zum P+R-Platz fährt, soll vorher sehen, ob dort noch Platz "
            "ist. Dafür brauchen wir die Belegungsdaten der Parkhäuser."
        ),
        themes=("Mobilität", "Parken"),
        steps=(
            Merge(
                45,
                "parkdaten",
                "Inhaltlich Teil der Open-Data-Idee der Stadtwerke; die Verkehrsbetriebe haben "
                "dort ihre Mitwirkung zugesagt und binden die offenen Daten in die App ein.",
            ),
        ),
    ),
    DemoIdea(
        key="parkdaten",
        department="SWM",
        day=30,
        title="Open Data zu Parkplätzen: Belegung der Parkhäuser in Echtzeit",
        summary=(
            "Die Stadtwerke veröffentlichen die Belegung ihrer fünf Parkhäuser und der "
            "P+R-Plätze minütlich als offene Daten."
        ),
        description=(
            "Die Zählanlagen der Parkhäuser liefern die Belegung bereits heute an das "
            "Parkleitsystem. Über eine offene Schnittstelle im Open-Data-Portal der Stadt "
            "können Navigationsdienste, die Fahrgast-App der Verkehrsbetriebe und Bürgerinnen "
            "und Bürger die Daten frei nutzen. Das verringert den Parksuchverkehr in der "
            "Innenstadt."
        ),
        themes=("Mobilität", "Open Data", "Parken"),
        lead="swm",
        steps=(
            Pledge(33, "VBM", "Wir zeigen die P+R-Belegung in der Fahrgast-App an."),
            Pledge(
                34,
                "DIG",
                "Die Stabsstelle stellt das Open-Data-Portal und berät zur Lizenz "
                "(Datenlizenz Deutschland).",
            ),
            Assess(
                38,
                impact=3,
                effort=1,
                weeks=6,
                rationale=(
                    "Die Daten liegen vor, die Schnittstelle ist Konfiguration; guter Einstieg "
                    "in Open Data mit sofort sichtbarem Ergebnis."
                ),
            ),
            Assign(42, "mobilitaet"),
            Recommend(
                77,
                "accept",
                "Umsetzen; die AG schlägt vor, zusätzlich die beiden P+R-Anlagen einzubeziehen.",
            ),
            Accept(80, "Quick Win mit Signalwirkung für Open Data; keine Zusatzkosten."),
            SetGoal(
                82,
                statement="Parkhausbelegung frei und maschinenlesbar verfügbar machen",
                indicator="Verfügbarkeit der Schnittstelle; Abrufe pro Monat",
                target="99 % Verfügbarkeit, 10.000 Abrufe im Monat",
            ),
            NoteApproach(
                82,
                "Die Zählanlagen schreiben in das Parkleitsystem; von dort veröffentlicht eine "
                "Schnittstelle minütlich JSON und DATEX II im Open-Data-Portal, Lizenz "
                "dl-de/by-2-0.",
            ),
            AddMilestone(83, "Schnittstelle im Open-Data-Portal veröffentlicht", due=105),
            ReportProgress(95, 60, "Testschnittstelle läuft; Lizenz abgestimmt."),
            ReachMilestone(104, "Schnittstelle im Open-Data-Portal veröffentlicht"),
            Implement(
                108,
                "Die Belegung von fünf Parkhäusern und zwei P+R-Anlagen steht minütlich als Open "
                "Data bereit; die erste Navigations-App bindet die Daten ein.",
            ),
            RecordBenefit(
                140,
                "VBM",
                "P+R-Belegung in der Fahrgast-App; am P+R Nord steigen mehr Menschen in die "
                "Stadtbahn um.",
            ),
            RecordBenefit(
                145,
                "DIG",
                "Erster Echtzeit-Datensatz im Open-Data-Portal, Vorlage für weitere Datensätze.",
            ),
        ),
    ),
    DemoIdea(
        key="kursraeume",
        department="KUL",
        day=37,
        title="Kurs- und Proberäume in Schulen für Musikschule und VHS online buchen",
        summary=(
            "Musikschule und Volkshochschule buchen Räume in Schulen online statt per Telefon "
            "beim Hausmeister."
        ),
        description=(
            "Musikschule und VHS nutzen jede Woche rund 60 Räume in Schulen. Die Abstimmung "
            "läuft über Telefon und E-Mail; Doppelbelegungen kommen regelmäßig vor."
        ),
        themes=("Kultur", "Bildung"),
        steps=(
            Merge(
                60,
                "raumbuchung",
                "Deckungsgleich mit der digitalen Raumbuchung der Schulen; Musikschule und VHS "
                "werden dort als Nutzergruppen berücksichtigt.",
            ),
        ),
    ),
    DemoIdea(
        key="raumbuchung",
        department="SVA",
        day=40,
        title="Digitale Raumbuchung für Schulen",
        summary=(
            "Turnhallen, Aulen und Fachräume der 24 städtischen Schulen online buchbar – für "
            "Schulen, Vereine, Musikschule und Volkshochschule."
        ),
        description=(
            "Raumanfragen laufen heute über Telefon, E-Mail und Excel-Listen bei den "
            "Hausmeistern und im Schulverwaltungsamt. Doppelbelegungen und unbeantwortete "
            "Anfragen sind an der Tagesordnung. Das Buchungsmodul unserer "
            "Schulverwaltungssoftware ist lizenziert, aber nicht eingerichtet. Wir möchten es "
            "mit einem öffentlichen Belegungskalender freischalten."
        ),
        themes=("Bildung", "Verwaltungsdigitalisierung", "Ehrenamt"),
        steps=(
            Pledge(
                44,
                "KUL",
                "Musikschule und Volkshochschule buchen jede Woche rund 60 Räume in Schulen und "
                "machen gern als Pilotnutzer mit.",
            ),
            Comment(46, "kul", "Wichtig wäre eine Serienbuchung für ein ganzes Schulhalbjahr."),
            Comment(47, "sva", "Das Modul kann Serienbuchungen; wir richten sie ein.", reply_to=0),
            Assess(
                54,
                impact=4,
                effort=3,
                weeks=12,
                rationale=(
                    "Breiter Nutzen über die Schulen hinaus; mittlerer Aufwand wegen der "
                    "Datenpflege für 24 Schulen."
                ),
            ),
            OverrideQuickWin(
                56,
                True,
                "Das Buchungsmodul ist bereits lizenziert und die Raumdaten liegen aus der "
                "Gebäudeverwaltung vor; der Aufwand liegt fast nur in der Einrichtung. Die "
                "Koordination stuft die Idee deshalb als Quick Win ein.",
            ),
            Assign(58, "schule"),
            Recommend(
                87,
                "accept",
                "Start mit den acht Schulen mit den meisten Fremdnutzungen; Serienbuchungen von "
                "Anfang an.",
            ),
            Accept(
                90,
                "Angenommen als Quick Win (Einstufung durch die Koordination); hoher Nutzen für "
                "Vereine, Musikschule und Volkshochschule.",
            ),
            SetGoal(
                92,
                statement="Räume in Schulen transparent und ohne Medienbrüche vergeben",
                indicator="Anteil online gebuchter Fremdnutzungen; Doppelbelegungen je Halbjahr",
                target="80 % online, keine Doppelbelegungen",
            ),
            NoteApproach(
                92,
                "Buchungsmodul der Schulverwaltungssoftware mit den Raumdaten der "
                "Gebäudeverwaltung befüllen, öffentlichen Belegungskalender freischalten, "
                "Hausmeisterinnen und Hausmeister erhalten Belegungspläne per E-Mail.",
            ),
            AddMilestone(93, "Acht Pilotschulen online buchbar", due=115),
            AddMilestone(93, "Alle 24 Schulen online buchbar", due=150),
            ReachMilestone(113, "Acht Pilotschulen online buchbar"),
            ReportProgress(
                120,
                50,
                "Acht Schulen online, Serienbuchung läuft; 140 Buchungen im ersten Monat.",
            ),
            ReachMilestone(148, "Alle 24 Schulen online buchbar"),
            Implement(
                152,
                "Alle 24 Schulen sind online buchbar; 85 % der Fremdnutzungen werden online "
                "gebucht, seit dem Start gab es keine Doppelbelegung.",
            ),
            RecordBenefit(
                175,
                "KUL",
                "Musikschule und VHS buchen ihre Kursräume für das ganze Halbjahr in einem "
                "Schritt; rund sechs Stunden Abstimmung pro Woche entfallen.",
            ),
            RecordBenefit(
                180,
                "SVA",
                "Hausmeisterinnen und Hausmeister erhalten die Belegungspläne automatisch; "
                "telefonische Anfragen sind fast vollständig entfallen.",
            ),
        ),
    ),
    DemoIdea(
        key="laternen",
        department="SWM",
        day=42,
        title="Defekte Straßenlaternen online melden",
        summary="Ein Formular mit Karte, über das Bürgerinnen und Bürger defekte Laternen melden.",
        description=(
            "Meldungen zu Laternen kommen heute per Telefon an die Stadtwerke, das Tiefbauamt "
            "und das Bürgerbüro. Ein Online-Formular mit Laternennummer und Karte würde die "
            "Reparatur beschleunigen."
        ),
        themes=("Beteiligung", "Infrastruktur"),
        steps=(
            Merge(
                58,
                "maengelmelder",
                "Der Mängelmelder des Ordnungsamts deckt Laternen als eigene Kategorie ab; die "
                "Stadtwerke sind dort als zuständige Stelle eingebunden.",
            ),
        ),
    ),
    DemoIdea(
        key="maengelmelder",
        department="ORD",
        day=45,
        title="Mängelmelder für Straßenschäden, wilden Müll und defekte Laternen",
        summary=(
            "Bürgerinnen und Bürger melden Schäden mit Foto und Standort per App oder Website; "
            "die Meldung landet direkt beim zuständigen Amt, der Bearbeitungsstand ist "
            "öffentlich."
        ),
        description=(
            "Meldungen gehen heute per Telefon, E-Mail und Kontaktformular an verschiedene "
            "Stellen und werden mehrfach weitergeleitet. Ein Mängelmelder ordnet Meldungen nach "
            "Kategorie und Ort automatisch zu. Das Land stellt eine solche Plattform den "
            "Kommunen kostenlos bereit."
        ),
        themes=("Beteiligung", "Bürgerservice", "Stadtbild"),
        lead="dig",
        steps=(
            Pledge(
                48,
                "TBA",
                "Straßenschäden bearbeiten wir; wir liefern die Zuständigkeitsgebiete.",
            ),
            Pledge(
                50,
                "SWM",
                "Straßenlaternen betreuen die Stadtwerke – bitte direkt an uns weiterleiten. "
                "Unsere eigene Laternen-Idee kann darin aufgehen.",
            ),
            Comment(
                52,
                "bgd",
                "Telefonische Meldungen im Bürgerbüro könnten wir stellvertretend erfassen.",
            ),
            Assess(
                57,
                impact=4,
                effort=2,
                weeks=10,
                rationale=(
                    "Landesplattform ohne Lizenzkosten; der Aufwand liegt in der Einrichtung "
                    "der Kategorien und Zuständigkeiten. Schnell sichtbarer Nutzen."
                ),
            ),
            Assign(59, "verwaltung"),
            Recommend(
                65,
                "accept",
                "Landesplattform nutzen, keine Eigenentwicklung; Kategorien mit Tiefbauamt und "
                "Stadtwerken abstimmen.",
            ),
            Accept(70, "Quick Win ohne Lizenzkosten, der die Beteiligung stärkt."),
            SetGoal(
                73,
                statement="Meldungen schneller und ohne Umwege bearbeiten",
                indicator="Arbeitstage von der Meldung bis zur Erledigung (Median)",
                target="unter 10 Arbeitstagen",
            ),
            NoteApproach(
                73,
                "Mandant auf der Landesplattform einrichten, acht Kategorien mit Zuständigkeiten "
                "hinterlegen, Bürgerbüro erfasst telefonische Meldungen stellvertretend.",
            ),
            AddMilestone(74, "Kategorien und Zuständigkeiten eingerichtet", due=95),
            AddMilestone(74, "Öffentlicher Start mit Pressetermin", due=115),
            ReachMilestone(96, "Kategorien und Zuständigkeiten eingerichtet"),
            ReportProgress(100, 60, "Testbetrieb mit Mitarbeitenden der beteiligten Ämter."),
            ReachMilestone(116, "Öffentlicher Start mit Pressetermin"),
            Implement(
                118,
                "Der Mängelmelder ist online; 420 Meldungen in den ersten sechs Wochen, Median "
                "bis zur Erledigung 8 Arbeitstage.",
            ),
            RecordBenefit(
                140,
                "TBA",
                "Meldungen kommen mit Foto und Koordinaten an; Kontrollfahrten vor der Reparatur "
                "entfallen meist.",
            ),
            RecordBenefit(
                150,
                "SWM",
                "Defekte Laternen werden direkt gemeldet; die Reparatur erfolgt im Schnitt nach "
                "3 statt 9 Tagen.",
            ),
        ),
    ),
    DemoIdea(
        key="schulwlan",
        department="SVA",
        day=55,
        title="WLAN für alle Schulen aus einer Hand (Schulträger-WLAN)",
        summary=(
            "Ein zentral verwaltetes WLAN für alle 24 städtischen Schulen, betrieben vom "
            "Schulträger statt von jeder Schule selbst."
        ),
        description=(
            "Heute betreibt jede Schule eigene Access Points, oft von engagierten Lehrkräften "
            "eingerichtet und kaum gewartet. Aus dem DigitalPakt Schule stehen Mittel bereit. "
            "Ein Schulträger-WLAN mit zentraler Verwaltung, Jugendschutzfilter und getrennten "
            "Netzen für Unterricht und Verwaltung entlastet die Schulen; die Stadtwerke bringen "
            "den Glasfaseranschluss."
        ),
        themes=("Bildung", "Infrastruktur", "DigitalPakt"),
        steps=(
            Pledge(
                58,
                "SWM",
                "Alle Schulen bekommen bis zum Projektende einen Glasfaseranschluss der "
                "Stadtwerke.",
            ),
            Comment(
                60,
                "dig",
                "Bitte Jugendschutzfilter und Protokollierung von Anfang an mit dem "
                "Datenschutz abstimmen.",
            ),
            Assess(
                66,
                impact=5,
                effort=4,
                weeks=48,
                rationale=(
                    "Hoher Nutzen für den Unterricht; Fördermittel aus dem DigitalPakt sind "
                    "verfügbar, Ausschreibung und Verkabelung brauchen Zeit."
                ),
            ),
            Assign(70, "schule"),
            Recommend(88, "accept", "Annehmen; die Ausleuchtung beginnt mit den Grundschulen."),
            Accept(96, "Förderfähig aus dem DigitalPakt Schule; hoher Nutzen für alle Schulen."),
            SetGoal(
                100,
                statement="Stabiles WLAN in allen Unterrichtsräumen",
                indicator="Anteil der Unterrichtsräume mit zentral verwaltetem WLAN",
                target="100 % der Unterrichtsräume",
            ),
            NoteApproach(
                100,
                "Ausschreibung von Access Points und Verwaltungssoftware, Verkabelung außerhalb "
                "der Unterrichtszeit, getrennte Netze für Unterricht, Verwaltung und Gäste; "
                "Betrieb durch das Medienzentrum.",
            ),
            AddMilestone(102, "Ausschreibung vergeben", due=160),
            AddMilestone(102, "Grundschulen vollständig ausgeleuchtet", due=290),
            AddMilestone(102, "Weiterführende Schulen ausgeleuchtet", due=450),
            ReachMilestone(165, "Ausschreibung vergeben"),
            ReportProgress(200, 30, "Vergabe erfolgt, Verkabelung in vier Grundschulen."),
            Block(
                205,
                "Der Lieferant kann die Access Points erst in acht Wochen liefern; die "
                "Montage in den Grundschulen ruht so lange.",
            ),
            Unblock(232, "Erste Lieferung ist eingetroffen; Montage läuft wieder."),
            ReportProgress(
                275, 45, "Lieferverzug bei Access Points; 9 von 14 Grundschulen ausgeleuchtet."
            ),
        ),
    ),
    DemoIdea(
        key="pegel",
        department="FW",
        day=60,
        title="Pegelsensoren an Bächen für die Starkregen-Frühwarnung",
        summary=(
            "Pegelsensoren an fünf kleinen Bächen melden steigende Wasserstände, bevor Keller "
            "und Unterführungen volllaufen."
        ),
        description=(
            "Bei Starkregen erfahren wir von Überflutungen meist erst durch Notrufe. "
            "Ultraschall-Pegelsensoren an Engstellen und Durchlässen von Mühlenbach, "
            "Wiesengraben und Erlenbach würden das Überschreiten von Warnschwellen melden und "
            "die Einsatzleitung alarmieren. Die Daten könnten auch in die Warn-App der Stadt "
            "einfließen."
        ),
        themes=("Bevölkerungsschutz", "Klimaanpassung", "Sensorik"),
        lead="umw",
        steps=(
            Pledge(63, "UMW", "Die Untere Wasserbehörde liefert Schwellenwerte und Standorte."),
            Assess(
                70,
                impact=4,
                effort=3,
                weeks=20,
                rationale=(
                    "Hoher Nutzen für den Bevölkerungsschutz; abhängig vom LoRaWAN-Ausbau im "
                    "Süden, wo drei der fünf Bäche liegen."
                ),
            ),
            Assign(76, "klima"),
            Recommend(
                112,
                "park",
                "Zurückstellen, bis die Gateways im Süden in Betrieb sind; danach zügig wieder "
                "aufnehmen.",
            ),
            Park(
                118,
                "Ohne LoRaWAN-Abdeckung im Süden nicht umsetzbar. Wiedervorlage, sobald der "
                "Meilenstein „Acht Gateways im Süden in Betrieb“ erreicht ist.",
            ),
            Reopen(
                245,
                "Die Gateways im Süden sind in Betrieb (Meilenstein der Maßnahme "
                "„LoRaWAN-Netz stadtweit ausbauen“ erreicht); die Voraussetzung ist erfüllt.",
            ),
            Assign(250, "klima"),
            Comment(
                252,
                "fw",
                "Nach dem letzten Starkregen haben wir die Standorte noch einmal geprüft; der "
                "Durchlass an der Bahnlinie muss dazu.",
            ),
            Revise(
                256,
                {
                    "summary": (
                        "Pegelsensoren an fünf kleinen Bächen und am Bahndurchlass melden "
                        "steigende Wasserstände, bevor Keller und Unterführungen volllaufen."
                    )
                },
                "Sechsten Standort (Bahndurchlass) nach dem letzten Starkregen ergänzt.",
            ),
        ),
    ),
    DemoIdea(
        key="fahrgastinfo",
        department="VBM",
        day=62,
        title="E-Paper-Anzeigen mit Echtzeit-Abfahrten an Bushaltestellen",
        summary=(
            "Solarbetriebene E-Paper-Anzeigen an 40 Haltestellen ohne Stromanschluss zeigen die "
            "nächsten Abfahrten in Echtzeit."
        ),
        description=(
            "An vielen Haltestellen in den Außenbezirken gibt es nur den Aushangfahrplan. "
            "E-Paper-Anzeigen brauchen wenig Strom, laufen mit Solarmodul und erhalten die "
            "Echtzeitdaten über Mobilfunk. Ein Förderaufruf des Landes würde 80 % der Kosten "
            "tragen."
        ),
        themes=("Mobilität", "ÖPNV", "Fahrgastinformation"),
        steps=(
            Pledge(
                65, "TBA", "Fundamente und Genehmigungen im Straßenraum übernimmt das Tiefbauamt."
            ),
            Assess(
                68,
                impact=3,
                effort=3,
                weeks=30,
                rationale=(
                    "Spürbare Verbesserung in den Außenbezirken; wirtschaftlich nur mit der "
                    "Landesförderung."
                ),
            ),
            Assign(72, "mobilitaet"),
            Recommend(78, "accept", "Annehmen, sofern die Förderung bewilligt wird."),
            Accept(86, "Angenommen unter dem Vorbehalt der Landesförderung."),
            SetGoal(
                90,
                statement="Echtzeit-Information an Haltestellen ohne Stromanschluss",
                indicator="Zahl der ausgestatteten Haltestellen",
                target="40 Haltestellen",
            ),
            AddMilestone(92, "Förderbescheid liegt vor", due=150),
            ReportProgress(
                130, 10, "Förderantrag eingereicht; Standorte mit dem Tiefbauamt geprüft."
            ),
            Cancel(
                185,
                "Das Land hat den Förderaufruf zurückgezogen; ohne die 80 % Förderung ist der "
                "Eigenanteil im laufenden Haushalt nicht darstellbar. Die AG prüft eine kleinere "
                "Lösung an Schulbushaltestellen.",
            ),
        ),
    ),
    DemoIdea(
        key="hitzewarnung",
        department="SOZ",
        day=70,
        title="Hitzeaktionsplan: digitale Warnkette für Pflegedienste und Seniorentreffs",
        summary=(
            "Hitzewarnungen des Deutschen Wetterdienstes gehen automatisch per SMS und E-Mail "
            "an Pflegedienste und Seniorentreffs – mit konkreten Handlungsempfehlungen."
        ),
        description=(
            "Der Hitzeaktionsplan der Stadt sieht eine Warnkette vor, die heute über eine "
            "Telefonliste läuft. Eine automatische Weiterleitung der DWD-Hitzewarnungen mit "
            "abgestimmten Textbausteinen erreicht mehr Einrichtungen schneller. Zusätzlich "
            "sollen kühle Orte (Kirchen, Bibliotheken, klimatisierte Räume) auf einer Karte "
            "erscheinen."
        ),
        themes=("Klimaanpassung", "Gesundheit", "Soziales", "Hitze"),
        lead="umw",
        steps=(
            Pledge(72, "UMW", "Wir pflegen die Karte der kühlen Orte im Geoportal."),
            Pledge(74, "KUL", "Stadtbücherei und Museen öffnen an Hitzetagen als kühle Orte."),
            Revise(
                80,
                {
                    "summary": (
                        "Hitzewarnungen des Deutschen Wetterdienstes gehen automatisch per SMS "
                        "und E-Mail an Pflegedienste, Seniorentreffs und Kitas – mit konkreten "
                        "Handlungsempfehlungen."
                    )
                },
                "Kitas ergänzt; sie gehören laut Hitzeaktionsplan ebenfalls zur Warnkette.",
            ),
            Assess(
                85,
                impact=4,
                effort=3,
                weeks=24,
                rationale=(
                    "Wichtiger Baustein des Hitzeaktionsplans; Aufwand durch die Abstimmung mit "
                    "den Trägern und den Datenschutz der Verteiler."
                ),
            ),
            Assign(95, "klima"),
            Recommend(
                205,
                "accept",
                "Annehmen; die Warnkette über den vorhandenen Newsletter-Dienst aufbauen, die "
                "Karte der kühlen Orte im Geoportal.",
            ),
            Accept(
                212,
                "Angenommen als Baustein des Hitzeaktionsplans; Umsetzung vor der nächsten "
                "Hitzesaison.",
            ),
            SetGoal(
                220,
                statement=(
                    "Einrichtungen mit gefährdeten Menschen erhalten Hitzewarnungen noch am "
                    "selben Tag"
                ),
                indicator="Anteil der registrierten Einrichtungen, die Warnungen bestätigen",
                target="90 % der Pflegedienste, Seniorentreffs und Kitas",
            ),
            NoteApproach(
                220,
                "DWD-Warnungen über die offene Schnittstelle abrufen, mit Textbausteinen des "
                "Gesundheitsamts ergänzen und über den Newsletter-Dienst der Stadt versenden; "
                "Einrichtungen melden sich selbst an.",
            ),
            AddMilestone(222, "Karte der kühlen Orte im Geoportal", due=380),
            AddMilestone(222, "Verteiler mit 120 Einrichtungen abgestimmt", due=400),
        ),
    ),
    DemoIdea(
        key="bplan_viewer",
        department="SPA",
        day=75,
        title="Eigener Online-Viewer für Bebauungspläne",
        summary=(
            "Alle rechtskräftigen Bebauungspläne mit Textteil in einer eigenen Kartenanwendung."
        ),
        description=(
            "Bebauungspläne liegen heute als PDF auf der Website. Ein eigener Viewer würde "
            "Planzeichnung, Textteil und Begründung zusammen zeigen."
        ),
        themes=("Bauen", "Geodaten"),
        steps=(
            Comment(
                78,
                "dig",
                "Das Land baut gerade ein XPlanung-Portal für alle Kommunen auf; bitte vorher "
                "prüfen, ob das reicht.",
            ),
            Withdraw(
                105,
                "Das Land stellt mit dem XPlanung-Portal einen landesweiten Viewer bereit; wir "
                "liefern unsere Pläne dorthin und ziehen die Idee zurück.",
            ),
        ),
    ),
    DemoIdea(
        key="drohnen",
        department="ORD",
        day=80,
        title="Drohnen zur Kontrolle von Parkverstößen",
        summary="Drohnen überfliegen Problemstraßen und dokumentieren Falschparker.",
        description=(
            "In einigen Wohngebieten wird systematisch auf Gehwegen und in Feuerwehrzufahrten "
            "geparkt. Drohnen könnten größere Gebiete in kurzer Zeit kontrollieren."
        ),
        themes=("Ordnung", "Mobilität"),
        steps=(
            Assess(
                92,
                impact=2,
                effort=4,
                weeks=30,
                rationale=(
                    "Geringer Nutzen gegenüber der Fußstreife; rechtlich und beim Datenschutz "
                    "heikel."
                ),
            ),
            Reject(
                98,
                "Für die Überwachung des ruhenden Verkehrs mit Drohnen fehlt eine "
                "Rechtsgrundlage, die Datenschutzbeauftragte rät ab. Der Nutzen gegenüber der "
                "Fußstreife ist gering.",
            ),
        ),
    ),
    DemoIdea(
        key="smartbank",
        department="TBA",
        day=85,
        title="Smarte Sitzbänke mit Solarmodul und Ladebuchse",
        summary=(
            "Sitzbänke in Parks und auf Plätzen mit Solarmodul, USB-Ladebuchse und Umweltsensoren."
        ),
        description=(
            "Smarte Bänke laden Handys, messen Temperatur und Feinstaub und machen Smart City "
            "im Stadtbild sichtbar."
        ),
        themes=("Stadtmöblierung", "Sensorik"),
        lead="swm",
        steps=(
            Assess(
                96,
                impact=2,
                effort=2,
                weeks=8,
                rationale="Schnell beschafft, aber der Nutzen für die Bürgerschaft ist gering.",
            ),
            Assign(100, "klima"),
            Recommend(
                113,
                "reject",
                "Geringer Nutzen im Verhältnis zu den Kosten (rund 6.000 € je Bank) und hohem "
                "Vandalismusrisiko; Ladebuchsen werden an Mobilstationen besser angenommen.",
            ),
            Reject(
                119,
                "Abgelehnt nach Empfehlung der AG: geringer Nutzen, hohe Kosten je Bank und "
                "erfahrungsgemäß hoher Wartungsaufwand.",
            ),
        ),
    ),
    DemoIdea(
        key="ratsinfo",
        department="DIG",
        day=90,
        title="Digitaler Sitzungsdienst mit neuem Ratsinformationssystem",
        summary=(
            "Vorlagen, Einladungen und Protokolle für Rat und Ausschüsse vollständig digital – "
            "mit Sitzungs-App für Ratsmitglieder und öffentlichem Ratsinformationssystem."
        ),
        description=(
            "Für jede Ratssitzung werden heute rund 60 Papierpakete gedruckt und per Bote "
            "verteilt. Das bisherige Ratsinformationssystem wird vom Hersteller nicht mehr "
            "weiterentwickelt. Ein neuer digitaler Sitzungsdienst mit Umlaufverfahren für "
            "Vorlagen, Sitzungs-App und barrierefreiem Bürgerzugang spart Papier und Wege und "
            "macht die Ratsarbeit transparenter."
        ),
        themes=("Verwaltungsdigitalisierung", "Politik", "Transparenz"),
        lead="dig",
        steps=(
            Comment(
                95,
                "koordination",
                "Die Digitalsprecherinnen und -sprecher der Fraktionen haben in der Politischen "
                "Runde großes Interesse signalisiert.",
            ),
            Assess(
                105,
                impact=4,
                effort=4,
                weeks=52,
                rationale=(
                    "Hoher Nutzen für Verwaltung und Politik; Vergabeverfahren und Migration "
                    "der Altdaten machen das Vorhaben groß."
                ),
            ),
            Assign(112, "verwaltung"),
            Recommend(
                133,
                "accept",
                "Annehmen; eine gemeinsame Ausschreibung mit dem Nachbarkreis "
                "(interkommunale Zusammenarbeit) prüfen.",
            ),
            Accept(
                140,
                "Angenommen: Der Ersatz des Altsystems ist ohnehin nötig, und die Fraktionen "
                "unterstützen die papierlose Ratsarbeit.",
            ),
            SetGoal(
                150,
                statement="Papierlose Rats- und Ausschussarbeit",
                indicator="gedruckte Sitzungsunterlagen je Ratssitzung",
                target="höchstens 5 Papierexemplare (nur auf Wunsch)",
            ),
            NoteApproach(
                150,
                "Gemeinsame Leistungsbeschreibung mit dem Nachbarkreis, Vergabe über die "
                "zentrale Vergabestelle, Schulungen für Ratsmitglieder in den Fraktionen.",
            ),
            AddMilestone(152, "Leistungsbeschreibung mit dem Nachbarkreis abgestimmt", due=230),
            AddMilestone(152, "Zuschlag erteilt", due=400),
        ),
    ),
    DemoIdea(
        key="bauakte",
        department="SPA",
        day=100,
        title="Digitale Bauakte: Bauanträge elektronisch annehmen und bearbeiten",
        summary=(
            "Bauanträge kommen über den Digitalen Bauantrag des Landes herein und werden in "
            "einer elektronischen Bauakte bearbeitet."
        ),
        description=(
            "Die Bauaufsicht bearbeitet jährlich rund 900 Bauanträge auf Papier; Fachämter "
            "werden per Umlaufmappe beteiligt, die im Schnitt drei Wochen unterwegs ist. Das "
            "Land stellt den Digitalen Bauantrag als Einer-für-Alle-Leistung bereit. Wir möchten "
            "ihn anbinden, die Altakten der letzten zehn Jahre scannen und die Stellungnahmen "
            "der Fachämter digital einholen."
        ),
        themes=("Verwaltungsdigitalisierung", "Onlinezugangsgesetz", "Bauen", "E-Akte"),
        lead="dig",
        steps=(
            Pledge(103, "FW", "Der vorbeugende Brandschutz gibt Stellungnahmen gern digital ab."),
            Pledge(104, "UMW", "Untere Naturschutz- und Wasserbehörde beteiligen sich am Pilot."),
            Pledge(105, "TBA", "Stellungnahmen zu Grundstückszufahrten und Entwässerung digital."),
            Revise(
                108,
                {
                    "summary": (
                        "Bauanträge kommen über den Digitalen Bauantrag des Landes herein und "
                        "werden in einer elektronischen Bauakte bearbeitet; Feuerwehr, "
                        "Umweltamt und Tiefbauamt geben ihre Stellungnahmen digital ab statt "
                        "per Umlaufmappe."
                    )
                },
                "Hinweise von Feuerwehr, Umweltamt und Tiefbauamt aufgenommen: Die digitale "
                "Beteiligung der Fachämter ist ausdrücklich Teil der Idee.",
            ),
            Assess(
                112,
                impact=5,
                effort=5,
                weeks=60,
                rationale=(
                    "Gesetzlicher Auftrag aus dem Onlinezugangsgesetz und großer Nutzen; hoher "
                    "Aufwand durch die Schnittstelle zur E-Akte und das Scannen der Altakten."
                ),
            ),
            Assign(118, "verwaltung"),
            Recommend(
                134,
                "accept",
                "Annehmen und in Stufen vorgehen: erst der digitale Eingang, dann die "
                "Beteiligung der Fachämter, zuletzt die Altakten.",
            ),
            Accept(
                142,
                "Gesetzlicher Auftrag; stufenweises Vorgehen wie von der AG empfohlen.",
                owner="SPA",
            ),
            SetGoal(
                148,
                statement="Bauanträge ohne Papier bearbeiten",
                indicator=(
                    "Anteil digital eingegangener Bauanträge; Dauer der Fachämterbeteiligung"
                ),
                target="70 % digital, Beteiligung in höchstens 10 Arbeitstagen",
            ),
            NoteApproach(
                148,
                "Stufe 1: Digitaler Bauantrag an das Fachverfahren anbinden. Stufe 2: "
                "Stellungnahmen der Fachämter über die E-Akte. Stufe 3: Altakten "
                "bedarfsorientiert scannen, wenn sie angefragt werden.",
            ),
            AddMilestone(150, "Digitaler Bauantrag an das Fachverfahren angebunden", due=200),
            AddMilestone(150, "Pilotbetrieb mit drei Fachämtern", due=300),
            ReportProgress(
                185, 25, "Schnittstelle zum Landesportal eingerichtet, Testanträge laufen durch."
            ),
            ReachMilestone(198, "Digitaler Bauantrag an das Fachverfahren angebunden"),
            Block(
                225,
                "Die Schnittstelle des Fachverfahrens zur E-Akte liefert der Hersteller erst mit "
                "dem nächsten Release; ohne sie ist keine revisionssichere Ablage der "
                "Stellungnahmen möglich.",
            ),
            ReportProgress(
                260,
                35,
                "Fachämter sind geschult; der Pilotbetrieb wartet auf das Release des Herstellers.",
            ),
        ),
    ),
    DemoIdea(
        key="ondemand",
        department="VBM",
        day=110,
        title="On-Demand-Shuttle für die Außenbezirke",
        summary=(
            "Kleinbusse fahren in den Außenbezirken nach Bedarf statt nach Fahrplan, gebucht "
            "per App oder Telefon."
        ),
        description=(
            "Abends und am Wochenende fahren die Busse in den Außenbezirken fast leer. Ein "
            "On-Demand-Angebot bündelt Fahrtwünsche und bringt Fahrgäste zur nächsten "
            "Stadtbahnhaltestelle."
        ),
        themes=("Mobilität", "ÖPNV"),
        steps=(
            Assess(
                125,
                impact=4,
                effort=5,
                weeks=70,
                rationale=("Guter Nutzen für die Außenbezirke; ohne Förderung nicht finanzierbar."),
            ),
            Park(
                135,
                "Der Förderaufruf des Bundes für On-Demand-Verkehre öffnet erst im nächsten "
                "Jahr; bis dahin zurückgestellt.",
            ),
        ),
    ),
    DemoIdea(
        key="stadtapp",
        department="KUL",
        day=120,
        title="Eigene Stadt-App für alle Dienste der Verwaltung",
        summary="Eine App der Stadt mit Veranstaltungen, Terminen, Meldungen und Nachrichten.",
        description=(
            "Viele Städte haben eine eigene App. Wir möchten Veranstaltungen, Öffnungszeiten "
            "und Nachrichten an einem Ort bündeln."
        ),
        themes=("Kultur", "Bürgerservice"),
        steps=(
            Comment(
                124,
                "dig",
                "Es gibt bereits das Serviceportal und die Stadtwerke-App; eine dritte App "
                "würde die Nutzerinnen und Nutzer aufteilen.",
            ),
            Assess(
                130,
                impact=3,
                effort=5,
                weeks=70,
                rationale="Hoher Entwicklungs- und Pflegeaufwand bei doppeltem Angebot.",
            ),
            Reject(
                136,
                "Eine eigene App würde Serviceportal und Stadtwerke-App doppeln und dauerhaft "
                "Pflegekosten verursachen. Stattdessen werden die Inhalte des Kulturamts in die "
                "bestehenden Kanäle eingebunden.",
            ),
        ),
    ),
    DemoIdea(
        key="brandschau",
        department="FW",
        day=125,
        title="Tablets für die Brandverhütungsschau",
        summary="Mängel bei der Brandverhütungsschau direkt vor Ort auf dem Tablet erfassen.",
        description=(
            "Die Prüferinnen und Prüfer schreiben Mängel heute auf Papier und übertragen sie im "
            "Büro. Ein Tablet mit Formular und Fotofunktion spart Doppelarbeit."
        ),
        themes=("Bevölkerungsschutz", "Verwaltungsdigitalisierung"),
        steps=(
            Assess(
                140,
                impact=3,
                effort=2,
                weeks=10,
                rationale="Kleiner Aufwand, spürbare Entlastung im vorbeugenden Brandschutz.",
            ),
            Withdraw(
                150,
                "Die Tablets werden über das Landesprojekt „Digitale Feuerwehr“ beschafft; eine "
                "eigene Lösung ist nicht mehr nötig.",
            ),
        ),
    ),
    DemoIdea(
        key="ki_chatbot",
        department="BGD",
        day=140,
        title="KI-Assistent für Bürgeranfragen am Telefon und im Chat",
        summary=(
            "Ein KI-Assistent beantwortet Standardfragen zu Öffnungszeiten, Unterlagen und "
            "Gebühren rund um die Uhr."
        ),
        description=(
            "Rund die Hälfte der Anrufe in den Bürgerbüros betrifft Standardfragen. Ein "
            "KI-Assistent könnte sie beantworten und die Mitarbeitenden entlasten."
        ),
        themes=("Bürgerservice", "Künstliche Intelligenz"),
        steps=(
            Comment(
                150,
                "koordination",
                "Bitte die Datenschutz-Folgenabschätzung früh einplanen; das Land verhandelt "
                "gerade einen Rahmenvertrag für KI-Dienste.",
            ),
            Assess(
                155,
                impact=4,
                effort=4,
                weeks=40,
                rationale=(
                    "Großes Entlastungspotenzial, aber offene Fragen zu Datenschutz, Haftung "
                    "und Betrieb."
                ),
            ),
            Park(
                162,
                "Zurückgestellt, bis der Landesrahmenvertrag für KI-Dienste und eine "
                "Datenschutz-Folgenabschätzung vorliegen; Wiedervorlage in zwölf Monaten.",
            ),
        ),
    ),
    DemoIdea(
        key="zwilling",
        department="SPA",
        day=150,
        title="3D-Stadtmodell für die Bauleitplanung",
        summary=(
            "Ein 3D-Stadtmodell, in dem Planungsvarianten, Verschattung und Hitzeinseln "
            "sichtbar werden."
        ),
        description=(
            "Für Bürgerversammlungen und Ausschüsse bauen wir heute Styropormodelle. Ein "
            "3D-Stadtmodell auf Basis der amtlichen Gebäudedaten (LoD2) würde Varianten "
            "vergleichbar machen und könnte später um Sensordaten ergänzt werden."
        ),
        themes=("Bauen", "Geodaten", "Beteiligung"),
        steps=(
            Pledge(154, "UMW", "Wir würden Klimaanalysen (Hitzeinseln, Kaltluft) beisteuern."),
            Revise(
                158,
                {"title": "3D-Stadtmodell als digitaler Zwilling für die Stadtplanung"},
                "Titel geschärft: Das Modell soll nicht nur der Bauleitplanung dienen, sondern "
                "auch Klimaanalysen des Umweltamts aufnehmen.",
            ),
            Comment(
                160,
                "umw",
                "Für die Hitzeinseln können wir die Messreihen der Bodenfeuchtesensoren "
                "einbringen.",
            ),
            Assess(
                175,
                impact=4,
                effort=5,
                weeks=80,
                rationale=(
                    "Langfristig wertvoll, aber großer Aufwand; die Koordination prüft eine "
                    "Kooperation mit dem Vermessungsamt des Kreises."
                ),
            ),
        ),
    ),
    DemoIdea(
        key="parksensoren_alle",
        department="TBA",
        day=160,
        title="Jeden öffentlichen Parkplatz mit einem Bodensensor ausstatten",
        summary="Bodensensoren an allen Stellplätzen im Straßenraum melden, ob der Platz frei ist.",
        description=(
            "Nach dem Erfolg der offenen Parkhausdaten könnten auch die rund 4.000 Stellplätze "
            "im Straßenraum erfasst werden."
        ),
        themes=("Mobilität", "Parken", "Sensorik"),
        steps=(
            Assess(
                170,
                impact=3,
                effort=5,
                weeks=60,
                rationale="Sehr hohe Investition und laufende Kosten für Batterietausch.",
            ),
            Reject(
                178,
                "Rund 4.000 Stellplätze mit Sensoren auszustatten kostet über 500.000 € zuzüglich "
                "Batterietausch; die offenen Parkhausdaten decken den Bedarf in der Innenstadt "
                "bereits weitgehend ab.",
            ),
        ),
    ),
    DemoIdea(
        key="ladesaeulen",
        department="SWM",
        day=165,
        title="Ladesäulen-Belegung live in der Stadtwerke-App",
        summary="Die Stadtwerke-App zeigt, welche der 80 öffentlichen Ladepunkte gerade frei sind.",
        description=(
            "Das Backend der Ladeinfrastruktur kennt den Status jedes Ladepunkts. Eine Anzeige "
            "in der App und als offene Daten erspart Fahrten zu belegten Säulen."
        ),
        themes=("Mobilität", "Energie", "Open Data"),
        lead="swm",
        steps=(
            Pledge(
                168,
                "VBM",
                "Bitte auch als Open Data – dann zeigen wir die Säulen an den Mobilstationen an.",
            ),
            Assess(
                172,
                impact=3,
                effort=2,
                weeks=10,
                rationale="Daten vorhanden, überschaubarer Aufwand.",
            ),
            Assign(176, "mobilitaet"),
            Comment(
                302,
                "vbm",
                "Die Lizenzfrage klären wir mit dem Betreiber bis zur nächsten Sitzung.",
            ),
        ),
    ),
    DemoIdea(
        key="bezahlkarte",
        department="SOZ",
        day=175,
        title="Bezahlkarte statt Barauszahlung im Sozialamt",
        summary="Leistungen werden auf eine Bezahlkarte gebucht statt bar an der Kasse ausgezahlt.",
        description=(
            "An Auszahlungstagen bilden sich lange Schlangen an der Stadtkasse. Eine "
            "Bezahlkarte würde Bargeldtransporte und Wartezeiten vermeiden."
        ),
        themes=("Soziales", "Verwaltungsdigitalisierung"),
        steps=(
            Park(
                185,
                "Die Landesregierung regelt die Bezahlkarte landesweit; eine eigene Lösung wäre "
                "vorher nicht sinnvoll. Wiedervorlage nach Erlass der Landesregelung.",
            ),
        ),
    ),
    DemoIdea(
        key="rauchmelder",
        department="WBG",
        day=180,
        title="Smarte Rauchwarnmelder mit Fernwartung",
        summary="Rauchwarnmelder in 3.200 Wohnungen melden Störungen und Prüfergebnisse per Funk.",
        description=(
            "Die jährliche Sichtprüfung der Rauchwarnmelder erfordert Termine in jeder Wohnung. "
            "Funkmelder mit Ferninspektion ersparen den Mieterinnen und Mietern diese Termine."
        ),
        themes=("Wohnen", "Sensorik"),
        steps=(
            Withdraw(
                195,
                "Die Fernwartung ist im neuen Vertrag mit unserem Messdienstleister bereits "
                "enthalten; eine eigene Maßnahme ist nicht mehr nötig.",
            ),
        ),
    ),
    DemoIdea(
        key="eakte_sozial",
        department="SOZ",
        day=190,
        title="E-Akte im Sozialamt einführen",
        summary=(
            "Die Akten der Grundsicherung und der Hilfe zur Pflege werden elektronisch geführt; "
            "eingehende Post wird zentral gescannt."
        ),
        description=(
            "Das Sozialamt führt rund 4.500 laufende Fallakten auf Papier. Akten wandern "
            "zwischen Sachbearbeitung, Widerspruchsstelle und Rechnungsprüfung hin und her; "
            "mobiles Arbeiten ist kaum möglich. Die E-Akte der Stadt ist in der "
            "Personalabteilung bereits eingeführt und kann mit dem Fachverfahren der "
            "Sozialhilfe verbunden werden."
        ),
        themes=("Verwaltungsdigitalisierung", "E-Akte", "Soziales"),
        lead="dig",
        steps=(
            Pledge(193, "BGD", "Ein Posteingangsscan im Bürgerbüro Mitte ist möglich."),
            Comment(
                195,
                "dig",
                "Das Einführungsvorgehen aus der Personalabteilung können wir übertragen "
                "(Scanrichtlinie, ersetzendes Scannen nach TR-RESISCAN).",
            ),
            Assess(
                205,
                impact=4,
                effort=4,
                weeks=40,
                rationale=(
                    "Deutliche Entlastung und Voraussetzung für mobiles Arbeiten; Aufwand durch "
                    "Scannen und Schulungen."
                ),
            ),
            Assign(210, "verwaltung"),
            Recommend(
                322,
                "accept",
                "Annehmen; mit zwei Teams der Grundsicherung beginnen, ersetzendes Scannen nach "
                "TR-RESISCAN.",
            ),
        ),
    ),
    DemoIdea(
        key="fundbuero",
        department="BGD",
        day=200,
        title="Online-Fundbüro",
        summary=(
            "Fundsachen werden mit Foto und Beschreibung online gestellt; Verlustmeldungen sind "
            "rund um die Uhr möglich."
        ),
        description=(
            "Das Fundbüro verwaltet Fundsachen in einer Tabelle; Verlustmeldungen kommen per "
            "Telefon. Eine Online-Lösung gleicht Fund- und Verlustmeldungen automatisch ab."
        ),
        themes=("Bürgerservice", "Verwaltungsdigitalisierung"),
        lead="bgd",
        steps=(
            Pledge(
                203,
                "VBM",
                "Fundsachen aus Bussen und Bahnen liefern wir täglich; eine gemeinsame "
                "Plattform wäre ideal.",
            ),
            Assess(
                208,
                impact=3,
                effort=2,
                weeks=8,
                rationale="Marktübliche Lösungen vorhanden, kleiner Aufwand.",
            ),
            Assign(212, "verwaltung"),
        ),
    ),
    DemoIdea(
        key="digitallotsen",
        department="DIG",
        day=210,
        title="Digitallotsinnen und -lotsen in allen Fachbereichen",
        summary=(
            "In jedem Fachbereich eine Ansprechperson, die Kolleginnen und Kollegen bei "
            "digitalen Werkzeugen unterstützt und Ideen sammelt."
        ),
        description=(
            "In den Sprechstunden und Stammtischen der Koordination zeigen sich in jedem Amt "
            "Menschen, die gern weiterhelfen. Wir möchten sie als Digitallotsinnen und -lotsen "
            "benennen, schulen und vernetzen."
        ),
        themes=("Kulturwandel", "Qualifizierung"),
        steps=(
            Comment(213, "kul", "Im Kulturamt hätten wir zwei Interessierte."),
            Comment(214, "soz", "Das Sozialamt ist dabei; bitte Zeitanteile verbindlich regeln."),
            Comment(
                216,
                "dig",
                "Vorschlag: 10 % der Arbeitszeit, abgestimmt mit dem Personalrat.",
                reply_to=1,
            ),
            Assess(
                222,
                impact=4,
                effort=1,
                weeks=8,
                rationale="Geringer Aufwand, stärkt die Allianz der Willigen in allen Ämtern.",
            ),
        ),
    ),
    DemoIdea(
        key="beteiligung",
        department="SPA",
        day=230,
        title="Online-Beteiligung für Bebauungspläne",
        summary=(
            "Bebauungsplanentwürfe mit Karte online auslegen und Stellungnahmen digital "
            "entgegennehmen."
        ),
        description=(
            "Die öffentliche Auslegung findet im Rathausflur statt; Stellungnahmen kommen per "
            "Brief. Eine Online-Beteiligung mit Karte erreicht mehr Menschen und spart das "
            "Abtippen."
        ),
        themes=("Beteiligung", "Bauen", "Onlinezugangsgesetz"),
        lead="bgd",
        steps=(
            Pledge(233, "UMW", "Wir können Umweltberichte gleich mit auslegen."),
            Assess(
                240,
                impact=4,
                effort=3,
                weeks=26,
                rationale="Gesetzlich gewünscht, Aufwand abhängig von der Landeslösung.",
            ),
            Assign(246, "verwaltung"),
            Recommend(
                323,
                "park",
                "Zurückstellen, bis das Land DiPlanung für alle Kommunen freigibt; eine eigene "
                "Lösung wäre doppelte Arbeit.",
            ),
        ),
    ),
    DemoIdea(
        key="vertretungsplan",
        department="SVA",
        day=235,
        title="Digitaler Vertretungsplan und Krankmeldung für Schulen",
        summary=(
            "Eltern melden Kinder online krank, Schülerinnen und Schüler sehen den "
            "Vertretungsplan in einer App."
        ),
        description=(
            "Krankmeldungen kommen morgens per Telefon ins Sekretariat, der Vertretungsplan "
            "hängt am schwarzen Brett. Eine Lösung, die mit dem Stundenplanprogramm "
            "zusammenarbeitet, entlastet die Sekretariate."
        ),
        themes=("Bildung", "Verwaltungsdigitalisierung"),
        steps=(
            Assess(
                248,
                impact=3,
                effort=2,
                weeks=12,
                rationale="Lösungen am Markt verfügbar; schnelle Entlastung der Sekretariate.",
            ),
            Assign(255, "schule"),
            Recommend(
                272,
                "accept",
                "Annehmen; Lösung wählen, die mit dem vorhandenen Stundenplanprogramm "
                "zusammenarbeitet.",
            ),
        ),
    ),
    DemoIdea(
        key="freibad",
        department="SWM",
        day=250,
        title="Live-Auslastung der Freibäder online",
        summary="Die Website zeigt, wie voll die beiden Freibäder gerade sind.",
        description=(
            "An heißen Tagen müssen Freibäder zeitweise schließen. Eine Anzeige der Auslastung "
            "aus dem Kassensystem würde Anfahrten zu vollen Bädern vermeiden."
        ),
        themes=("Freizeit", "Open Data"),
        steps=(
            Assess(
                258,
                impact=2,
                effort=2,
                weeks=6,
                rationale="Kleiner Aufwand, aber nur in der Badesaison von Nutzen.",
            ),
            Park(
                264,
                "Das Kassensystem wird im Winter erneuert; die Anzeige wird mit dem neuen System "
                "vor der nächsten Badesaison wieder aufgegriffen.",
            ),
        ),
    ),
    DemoIdea(
        key="heizung",
        department="WBG",
        day=260,
        title="Fernablesbare Heizkostenverteiler und Raumklimasensoren in Bestandswohnungen",
        summary=(
            "Heizkostenverteiler und Raumklimasensoren funken ihre Werte, damit Mieterinnen und "
            "Mieter monatlich ihren Verbrauch sehen."
        ),
        description=(
            "Die Heizkostenverordnung verlangt monatliche Verbrauchsinformationen. Über das "
            "LoRaWAN-Netz der Stadtwerke könnten wir 3.200 Wohnungen ausstatten und zugleich "
            "Schimmelrisiken früh erkennen."
        ),
        themes=("Wohnen", "Energie", "Sensorik", "LoRaWAN"),
        lead="swm",
        steps=(
            Pledge(263, "SWM", "Die Ablesung über unser LoRaWAN-Netz ist möglich."),
            Assess(
                270,
                impact=3,
                effort=3,
                weeks=30,
                rationale="Gesetzliche Pflicht trifft vorhandenes Funknetz; Datenschutz klären.",
            ),
            Assign(278, "klima"),
        ),
    ),
    DemoIdea(
        key="veranstaltungskalender",
        department="KUL",
        day=270,
        title="Veranstaltungskalender als Open Data",
        summary=(
            "Alle städtischen Veranstaltungen als offene Daten, damit Stadtmarketing, Presse "
            "und Apps sie übernehmen können."
        ),
        description=(
            "Veranstaltungen werden heute in drei Systeme eingegeben. Ein offener Datensatz "
            "im Open-Data-Portal macht Mehrfacheingaben überflüssig."
        ),
        themes=("Kultur", "Open Data"),
        steps=(
            Pledge(274, "DIG", "Wir richten den Datensatz im Open-Data-Portal ein."),
            Assess(
                285,
                impact=3,
                effort=1,
                weeks=6,
                rationale="Export ist im Redaktionssystem vorhanden; klarer Quick Win.",
            ),
        ),
    ),
    DemoIdea(
        key="hydrantenkarte",
        department="FW",
        day=280,
        title="Digitale Hydrantenkarte auf den Einsatz-Tablets",
        summary=(
            "Alle Hydranten mit Lage, Leistung und Prüfdatum auf den Tablets der Einsatzfahrzeuge."
        ),
        description=(
            "Die Hydrantenpläne liegen als Papierordner in den Fahrzeugen. Die Stadtwerke "
            "führen die Hydranten bereits digital; eine Übernahme auf die Tablets spart im "
            "Einsatz wertvolle Minuten."
        ),
        themes=("Bevölkerungsschutz", "Geodaten"),
        steps=(
            Pledge(283, "SWM", "Die Hydrantendaten unserer Wasserversorgung liefern wir täglich."),
            Assess(
                292,
                impact=4,
                effort=2,
                weeks=8,
                rationale="Daten vorhanden, Tablets vorhanden; großer Nutzen im Einsatz.",
            ),
        ),
    ),
    DemoIdea(
        key="wohngeld",
        department="SOZ",
        day=285,
        title="Wohngeldantrag online mit Nachweis-Upload",
        summary="Wohngeld online beantragen und Nachweise hochladen statt Papierformular.",
        description=(
            "Seit der Wohngeldreform hat sich die Zahl der Anträge verdoppelt. Der "
            "Online-Antrag des Landes ist verfügbar, aber noch nicht an unser Fachverfahren "
            "angebunden."
        ),
        themes=("Soziales", "Onlinezugangsgesetz"),
        steps=(
            Comment(
                290,
                "bgd",
                "Viele fragen im Bürgerbüro nach dem Antrag; wir könnten beim Hochladen helfen.",
            ),
            Assess(
                300,
                impact=4,
                effort=3,
                weeks=20,
                rationale="Hoher Nutzen, Anbindung an das Fachverfahren nötig.",
            ),
        ),
    ),
    DemoIdea(
        key="schadensmeldung",
        department="WBG",
        day=295,
        title="Digitale Schadensmeldung für Mieterinnen und Mieter",
        summary="Schäden in der Wohnung mit Foto online melden und den Stand der Reparatur sehen.",
        description=(
            "Schadensmeldungen kommen per Telefon und Brief; Rückfragen kosten Zeit. Eine "
            "Online-Meldung mit Foto hilft Handwerksbetrieben, richtig vorbereitet zu kommen."
        ),
        themes=("Wohnen", "Service"),
        steps=(
            Assess(
                310,
                impact=3,
                effort=2,
                weeks=12,
                rationale="Überschaubarer Aufwand, direkter Nutzen für die Mieterschaft.",
            ),
            OverrideQuickWin(
                312,
                False,
                "Die Schadensmeldung setzt das Mieterportal voraus, das noch nicht beschlossen "
                "ist; ein schneller sichtbarer Erfolg ist deshalb nicht zu erwarten.",
            ),
        ),
    ),
    DemoIdea(
        key="winterdienst",
        department="TBA",
        day=300,
        title="Winterdienst live: Streufahrzeuge auf der Karte",
        summary="Eine Karte zeigt, welche Straßen wann geräumt und gestreut wurden.",
        description=(
            "Bei Schnee fragen viele an, wann ihre Straße geräumt wird. Die Fahrzeuge haben "
            "bereits GPS; eine öffentliche Karte beantwortet die Frage selbst."
        ),
        themes=("Infrastruktur", "Open Data"),
        steps=(
            Comment(
                305,
                "ord",
                "Bitte die Einsatzreihenfolge nach Räumplan erklären, sonst kommen Beschwerden.",
            ),
            Assess(
                315,
                impact=3,
                effort=3,
                weeks=16,
                rationale="Nutzen vor allem im Winter; Datenschutz der Fahrer klären.",
            ),
        ),
    ),
    DemoIdea(
        key="bibliothek",
        department="KUL",
        day=305,
        title="Open Library: Stadtbücherei mit Selbstverbuchung und längeren Öffnungszeiten",
        summary=(
            "Die Stadtbücherei öffnet auch ohne Personal – mit Bibliotheksausweis, "
            "Selbstverbuchung und Videoüberwachung des Eingangs."
        ),
        description=(
            "Berufstätige können die Bücherei heute kaum nutzen. Open-Library-Konzepte in "
            "anderen Städten erweitern die Öffnungszeiten um bis zu 40 Stunden pro Woche."
        ),
        themes=("Kultur", "Bildung"),
        steps=(
            Assess(
                318,
                impact=3,
                effort=4,
                weeks=30,
                rationale="Gute Erfahrungen anderer Städte; Umbau des Eingangs nötig.",
            ),
        ),
    ),
    DemoIdea(
        key="baustellen",
        department="TBA",
        day=325,
        title="Baustellen aller Leitungsträger auf einer gemeinsamen Karte",
        summary=(
            "Tiefbauamt, Stadtwerke und Telekommunikationsunternehmen tragen ihre Baustellen in "
            "eine gemeinsame Karte ein, damit Straßen nur einmal aufgerissen werden."
        ),
        description=(
            "Immer wieder wird eine Straße kurz nach der Sanierung für Leitungen wieder "
            "geöffnet. Eine gemeinsame Baustellenkarte mit Planungshorizont von drei Jahren "
            "macht Koordination möglich."
        ),
        themes=("Infrastruktur", "Geodaten", "Mobilität"),
        steps=(
            Pledge(328, "SWM", "Wir tragen die Leitungsbaustellen für Strom, Gas und Wasser ein."),
            Pledge(330, "VBM", "Gleisbaustellen und Umleitungen pflegen wir mit."),
        ),
    ),
    DemoIdea(
        key="fahrtenbuch",
        department="FW",
        day=330,
        title="Digitales Fahrtenbuch und Prüfbuch für Einsatzfahrzeuge",
        summary="Fahrten, Betankungen und Prüfungen der Einsatzfahrzeuge digital erfassen.",
        description=(
            "Fahrtenbücher und Prüfbücher liegen in Papierform in jedem Fahrzeug. Eine digitale "
            "Erfassung erleichtert die Prüfung durch die Werkstatt und den Nachweis gegenüber "
            "Versicherung und Land."
        ),
        themes=("Bevölkerungsschutz", "Verwaltungsdigitalisierung"),
    ),
    DemoIdea(
        key="kita",
        department="SOZ",
        day=334,
        title="Kita-Platzvergabe online",
        summary="Eltern melden ihren Betreuungsbedarf online bei allen Kitas zugleich an.",
        description=(
            "Eltern melden sich heute bei jeder Kita einzeln an; Wartelisten sind doppelt und "
            "dreifach belegt. Eine zentrale Vormerkung schafft Überblick für Eltern und Träger."
        ),
        themes=("Soziales", "Familie", "Onlinezugangsgesetz"),
        steps=(
            Revise(
                338,
                {
                    "title": "Kita-Platzvergabe online (zentrale Vormerkung)",
                    "themes": ["Soziales", "Familie", "Onlinezugangsgesetz", "Kita"],
                },
                "Titel präzisiert: Es geht um die zentrale Vormerkung, nicht um die Vergabe "
                "durch die Stadt allein.",
            ),
            Comment(340, "bgd", "Das würde auch unsere Beratung im Bürgerbüro stark entlasten."),
        ),
    ),
    DemoIdea(
        key="museum",
        department="KUL",
        day=338,
        title="Digitaler Museumsrundgang mit QR-Codes und Audioguide",
        summary=(
            "QR-Codes an den Exponaten führen zu Audiotexten in Deutsch, Englisch und Leichter "
            "Sprache."
        ),
        description=(
            "Der Audioguide des Stadtmuseums ist veraltet. QR-Codes mit Texten und Audios im "
            "Browser ersetzen Leihgeräte und erreichen mehr Besucherinnen und Besucher."
        ),
        themes=("Kultur", "Barrierefreiheit"),
    ),
    DemoIdea(
        key="glascontainer",
        department="SWM",
        day=342,
        title="Füllstandssensoren in Altglascontainern",
        summary="Sensoren melden volle Container; die Leerung richtet sich nach dem Füllstand.",
        description=(
            "Die Altglascontainer werden nach festem Plan geleert, manche halbvoll, manche "
            "quellen über. Füllstandssensoren über LoRaWAN ermöglichen bedarfsgerechte Touren."
        ),
        themes=("Umwelt", "Sensorik", "LoRaWAN"),
        steps=(
            Pledge(346, "UMW", "Beschwerden über Glasscherben an Containern gehen bei uns ein."),
        ),
    ),
    DemoIdea(
        key="bewohnerparken",
        department="ORD",
        day=348,
        title="Bewohnerparkausweis online beantragen und digital kontrollieren",
        summary=(
            "Bewohnerparkausweise online beantragen und bezahlen; die Kontrolle erfolgt über "
            "das Kennzeichen statt über den Papierausweis."
        ),
        description=(
            "Rund 6.000 Bewohnerparkausweise werden jährlich im Bürgerbüro ausgestellt. Ein "
            "Online-Antrag mit digitaler Kontrolle spart Wege und Papier."
        ),
        themes=("Mobilität", "Parken", "Onlinezugangsgesetz"),
        steps=(
            Comment(
                352,
                "bgd",
                "Gern – die Ausweise machen im Bürgerbüro Mitte fast 10 % der Termine aus.",
            ),
        ),
    ),
    DemoIdea(
        key="mieterportal",
        department="WBG",
        day=352,
        title="Mieterportal mit digitalem Postfach",
        summary=(
            "Mieterinnen und Mieter erhalten Nebenkostenabrechnung, Verbrauchsinformationen und "
            "Schriftverkehr in einem Online-Postfach."
        ),
        description=(
            "Wir versenden jedes Jahr über 20.000 Briefe. Ein Mieterportal spart Porto, "
            "erfüllt die monatliche Verbrauchsinformation und ist Grundlage für die digitale "
            "Schadensmeldung."
        ),
        themes=("Wohnen", "Service"),
        steps=(
            Comment(
                356,
                "koordination",
                "Bitte zusammen mit der Idee „Digitale Schadensmeldung“ betrachten; beide "
                "bauen aufeinander auf.",
            ),
        ),
    ),
)
