"""Texts for the real-producer corpus: invented people, invented CPR numbers,
sensitive sentences per category and harmless business texts.

No number here belongs to a real person. Numbers that pass modulus 11 carry
birth dates in 2037-2057 (7th digit 5-8), so nobody alive has them; numbers
that fail modulus 11 have past birth dates that are not 1 January (the CPR
office has only issued numbers failing modulus 11 for 1 January births).
"""

import random

WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)

NAMES = [
    "Mette Kjærgaard Holm", "Jens Peter Villadsen", "Sofie Brandt", "Ahmad Rasouli",
    "Karen Lykke Damgaard", "Thomas Vestergaard", "Line Aagaard", "Niels Birk Sørensen",
    "Emma Juhl", "Mikkel Østergaard", "Hanne Frost", "Peter Lund Kragh",
]
EN_NAMES = ["Laura Bennett", "David Okafor", "Sarah Whitfield", "Tom Harrington", "Anna Kowalski"]


def mod11(digits):
    return sum(int(d) * w for d, w in zip(digits, WEIGHTS)) % 11 == 0


def _date(rng, lowday):
    day = rng.randint(2, 9) if lowday else rng.randint(10, 28)
    return day, rng.randint(1, 12)


def cpr(seed, mod11_pass, lowday=False):
    """An invented CPR number (10 digits, no separator)."""
    rng = random.Random(seed)
    while True:
        day, month = _date(rng, lowday)
        if mod11_pass:
            yy, d7 = rng.randint(37, 57), rng.randint(5, 8)  # born 2037-2057
        else:
            yy, d7 = rng.randint(45, 99), rng.randint(0, 3)  # born 1945-1999
        if month == 1 and day == 1:
            continue
        rest = "%d%02d" % (d7, rng.randint(0, 99))
        for last in range(10):
            s = "%02d%02d%02d%s%d" % (day, month, yy, rest, last)
            if mod11(s) == mod11_pass:
                return s


def check_invented(s):
    """Refuse a number that could belong to a living person."""
    assert len(s) == 10 and s.isdigit(), s
    day, month, yy, d7 = int(s[0:2]), int(s[2:4]), int(s[4:6]), int(s[6])
    if mod11(s):
        assert 5 <= d7 <= 8 and 37 <= yy <= 57, "mod-11 number with a past birth date: " + s
    else:
        assert not (day == 1 and month == 1), "1 January number failing mod 11: " + s


def fmt(s, style):
    """style: dash, space, bare"""
    check_invented(s)
    if style == "dash":
        return s[:6] + "-" + s[6:]
    if style == "space":
        return s[:6] + " " + s[6:]
    return s


# Sensitive sentences, written the way case workers and HR staff write.
# {n} is a person's name. Categories follow rules.DefaultTerms.
SENS = {
    "health": {
        "da": ["{n} har været sygemeldt siden uge 9, og lægeerklæringen fra egen læge er nu modtaget.",
               "{n} fik konstateret brystkræft i januar og er i gang med kemoterapi på Herlev.",
               "Vi har aftalt nedsat tid for {n} i tre måneder på grund af hendes depression."],
        "en": ["{n} has been on sick leave since March; her GP's note confirms a herniated disc.",
               "{n} was diagnosed with type 2 diabetes last year and needs breaks for insulin."],
    },
    "union": {
        "da": ["{n} er medlem af HK og ønsker sin tillidsrepræsentant med til samtalen.",
               "{n} har meldt sig ind i 3F og vil have kontingentet trukket via Betalingsservice."],
        "en": ["{n} is a trade union member and asked for the shop steward to attend.",
               "{n} told us she joined Unite last month and wants her union rep present."],
    },
    "criminal": {
        "da": ["Den indhentede straffeattest for {n} viser en dom for vold fra 2019.",
               "{n} blev i 2021 dømt for spirituskørsel og har betinget frakendelse."],
        "en": ["The criminal record check for {n} shows a 2018 conviction for fraud.",
               "{n} was convicted of shoplifting in 2020 and disclosed it at interview."],
    },
    "income": {
        "da": ["{n}s månedsløn stiger pr. 1. april fra 38.500 kr. til 41.200 kr.",
               "Vedlagt lønseddel for {n} for marts, som hun har bedt om til banken."],
        "en": ["{n}'s annual salary will be raised to GBP 48,000 from 1 April.",
               "Attached is the payslip for {n} for February, as requested by her bank."],
    },
    "debt": {
        "da": ["{n} har en restance hos Gældsstyrelsen, og der er varslet lønindeholdelse.",
               "{n} er registreret i RKI og har en inkassosag på 23.000 kr. hos Lowell."],
        "en": ["{n} is in arrears on his rent and a debt collection agency has contacted us.",
               "{n} has asked us to set up an instalment plan for her debts to the council."],
    },
    "employment": {
        "da": ["{n} er afskediget med virkning fra 30. juni efter gentagne advarsler.",
               "Vi har i dag givet {n} en skriftlig advarsel for udeblivelse uden gyldig grund."],
        "en": ["{n} will be dismissed at the end of the month after the disciplinary hearing.",
               "{n}'s employment is terminated with effect from 31 May for gross misconduct."],
    },
    "social": {
        "da": ["{n} modtager kontanthjælp og har fået bevilget et forløb hos jobcentret.",
               "Kommunen har modtaget en underretning om {n}s børn fra skolen i Viby."],
        "en": ["{n} receives housing benefit and the social worker visited on Tuesday.",
               "Children's services opened a child protection case about {n}'s son."],
    },
    "religion": {
        "da": ["{n} er muslim og har bedt om fri til eid i slutningen af måneden.",
               "{n} er medlem af Jehovas Vidner og deltager ikke i julefrokosten af religiøse grunde."],
        "en": ["{n} is a practising Catholic and asked not to work on Good Friday.",
               "{n} converted to Judaism last year and keeps kosher at work events."],
    },
    "ethnicity": {
        "da": ["{n} er af somalisk etnisk oprindelse, fremgår det af sagens akter.",
               "I ansøgningen oplyser {n}, at hun er inuk og har grønlandsk herkomst."],
        "en": ["{n} described her ethnic origin as Roma in the diversity survey.",
               "The form records {n}'s ethnicity as Black Caribbean."],
    },
    "sexlife": {
        "da": ["{n} fortalte i fortrolighed, at han er homoseksuel og ikke er sprunget ud hjemme.",
               "{n} er biseksuel og har bedt os om ikke at nævne det for teamet."],
        "en": ["{n} told her manager in confidence that she is a lesbian.",
               "{n} is transgender and asked HR to update his name and pronouns."],
    },
    "biometric": {
        "da": ["{n}s fingeraftryk er registreret i adgangssystemet til serverrummet.",
               "Ansigtsgenkendelse af {n} blev brugt til at verificere hendes identitet."],
        "en": ["{n}'s fingerprints were enrolled in the door access system on Monday.",
               "A facial recognition template of {n} is stored for the time clock."],
    },
    "genetic": {
        "da": ["{n} har fået foretaget en gentest, som viste en arvelig BRCA1-mutation.",
               "DNA-analysen af {n} viser anlæg for arvelig hjertesygdom."],
        "en": ["Genetic testing of {n} found a hereditary BRCA2 variant.",
               "{n}'s DNA test showed she carries the gene for cystic fibrosis."],
    },
}

CATS = sorted(SENS)

# The word in each sentence that makes it sensitive (for folds placed inside
# it).
TERM_WORDS = ["sygemeldt", "brystkræft", "kemoterapi", "depression", "sick leave", "herniated", "diabetes", "insulin",
              "tillidsrepræsentant", "trade union", "Unite", "union rep", "straffeattest", "dømt", "spirituskørsel",
              "criminal record", "convicted", "conviction", "månedsløn", "lønseddel", "salary", "payslip", "restance",
              "lønindeholdelse", "inkassosag", "arrears", "debt collection", "debts", "afskediget", "advarsel",
              "dismissed", "terminated", "misconduct", "kontanthjælp", "underretning", "housing benefit",
              "child protection", "muslim", "Jehovas Vidner", "religiøse", "Catholic", "Judaism", "kosher", "etnisk",
              "grønlandsk herkomst", "ethnic origin", "ethnicity", "homoseksuel", "biseksuel", "lesbian",
              "transgender", "fingeraftryk", "Ansigtsgenkendelse", "fingerprints", "facial recognition", "gentest",
              "DNA-analysen", "Genetic testing", "DNA test", "HK", "3F"]


def sentence(cat, lang, i):
    names = NAMES if lang == "da" else EN_NAMES
    l = SENS[cat][lang]
    return l[i % len(l)].format(n=names[i % len(names)])


CPR_FORMS = [
    ("da", "Vedr. {n}, CPR-nr. {c}: sagen er oprettet og journaliseret."),
    ("da", "{n} ({c}) er tilmeldt kurset i april."),
    ("da", "Personnummer {c} skal bruges ved tilmeldingen for {n}."),
    ("da", "Ny medarbejder {n}, cpr {c}, starter 1. marts i økonomi."),
    ("en", "Re {n}, CPR number {c}: the file has been registered."),
    ("da", "{c} {n} Vestergade 12, 8000 Aarhus C"),
]

CPR_STYLES = ["dash", "bare", "space", "dash", "bare"]


def cpr_sentence(i, lowday=False):
    lang, form = CPR_FORMS[i % len(CPR_FORMS)]
    names = NAMES if lang == "da" else EN_NAMES
    # Forms, styles and modulus 11 cycle at different rates, so every form
    # meets numbers that pass and numbers that fail modulus 11.
    num = cpr(1000 + i, mod11_pass=(i % 4 < 2), lowday=lowday)
    return form.format(n=names[i % len(names)], c=fmt(num, CPR_STYLES[(i // 2) % len(CPR_STYLES)])), num


# Harmless texts. Traps: 10-digit numbers that are not dates, phone numbers,
# IBAN, IT and street words that contain sensitive stems.
HARMLESS = {
    "invoice": ["Faktura nr. 2024-0417 for levering af 40 kontorstole.",
                "Ordrenr. 4512873390, kundenr. 88213, forfald 15.04.2024.",
                "Beløb i alt 23.480,00 kr. inkl. moms. Betales til reg. 1551 konto 0012345678.",
                "IBAN DK50 0040 0440 1162 43, BIC NDEADKKK. Spørgsmål: tlf. +45 33 12 45 67."],
    "minutes": ["Referat af afdelingsmøde 12. marts 2024 kl. 10.00 i lokale 2.14.",
                "Deltagere: Mette, Jens, Sofie og Ahmad. Afbud: Karen.",
                "1. Budget for Q2 blev godkendt. 2. Flytning af arkivet til kælderen sker i uge 16.",
                "Næste møde: 9. april 2024. Referent: Line."],
    "itchange": ["IT change CHG0031472: TLS certificate renewal on mail relay mx2 on 2024-03-14 22:00.",
                 "The new key fingerprint is SHA256:3f9a1c0b7e5d2a4f8c6e0b9d1a3c5e7f.",
                 "A race condition in the queue manager is fixed in version 3.7.11; restart needed.",
                 "Rollback: restore snapshot 2024-03-14T21:55Z. Contact the service desk on 7020 3040."],
    "facility": ["Kære alle på Hospitalsgade 8: elevatoren i opgang B er ude af drift fra mandag.",
                 "Sundhedsstyrelsens nabokontor på 3. sal får nye nøglekort i uge 12.",
                 "Vinduespudsning sker torsdag 21.03.2024 mellem kl. 7 og 9.",
                 "Henvendelse til ejendomsservice på tlf. 2211 3344."],
    "pricelist": ["Prisliste 2024: kaffe 18,00 kr., te 15,00 kr., sandwich 42,00 kr.",
                  "Varenr. 1090223347 printerpapir A4, 2.500 ark: 189,00 kr.",
                  "Varenr. 7766554433 toner sort: 645,00 kr. Priser ekskl. moms.",
                  "Gældende fra 1. april 2024 til 31. marts 2025."],
    "timetable": ["Køreplan linje 18: afgang 07.12, 07.32, 07.52 fra Rådhuspladsen.",
                  "Weekend: hver 20. minut. Helligdage som søndag.",
                  "Route 18 timetable valid from 2024-04-02. Questions: 7013 1415.",
                  "Stoppestedet ved Kongens Nytorv er flyttet 50 meter."],
    "newsletter": ["Nyhedsbrev marts 2024: kantinen holder åbent til kl. 15 i påskeugen.",
                   "Husk tilmelding til firmaløbet 24. april senest 10. april.",
                   "Our new website goes live on 15 April; the old one stays up until May.",
                   "Sommerfesten holdes 21. juni i gården. Tag familien med."],
    "pressrelease": ["Pressemeddelelse: Sundhedsstyrelsen anbefaler, at alle over 65 år bliver vaccineret mod influenza i år.",
                     "Vaccinationen er gratis og tilbydes hos egen læge og på apoteker fra 1. oktober.",
                     "Sæsonen for luftvejsinfektioner begynder typisk i november.",
                     "Yderligere oplysninger: presse@sst.example, tlf. 7222 7400."],
}
HKINDS = sorted(HARMLESS)


def harmless(kind):
    return HARMLESS[kind]


FILLER_DA = ["Se venligst bilaget.", "Dokumentet er til orientering.", "Giv lyd hvis noget mangler."]


# A second set of harmless texts, for the false-refusal rate to mean
# something: each producer writes some of them. Organisation-level HR and
# health words with no person ("sygefraværspolitik") are harmless to a DPO.
HARMLESS2 = {
    "phonelist": ["Telefonliste Økonomi, marts 2024", "Mette Holm, bogholder, 3312 4567",
                  "Jens Villadsen, controller, 3312 4568", "Sofie Brandt, elev, 3312 4569"],
    "holiday": ["Ferieplan sommer 2024", "Uge 28-30: Mette og Jens.", "Uge 31-32: Sofie og Ahmad.",
                "Telefonen passes af den der er på arbejde; vagtnummer 7020 3040."],
    "canteen": ["Kantinemenu uge 12", "Mandag: boller i karry. Tirsdag: vegetarlasagne.",
                "Onsdag: fiskefilet med remoulade. Torsdag: suppe og brød.", "Pris pr. måltid 38,00 kr."],
    "parking": ["Parkeringsregler fra 1. april 2024", "P-kort skal ligge synligt i forruden.",
                "Gæster parkerer på P2 ved Hospitalsgade og melder sig i receptionen.", "Elbiler lader på plads 40-48."],
    "vpn": ["IT: nyt VPN fra mandag 18. marts", "Installer klienten fra softwarecentret før fredag.",
            "Certifikatets fingerprint vises ved første login; sammenlign det med intranettet.",
            "Support: servicedesk@kommune.example, tlf. 7020 3041."],
    "policy": ["Personalepolitik, afsnit 4: fravær", "Sygefravær meldes til nærmeste leder inden kl. 9 på første fraværsdag.",
               "Politikken gælder alle ansatte og revideres hvert andet år af MED-udvalget.",
               "Spørgsmål om politikken rettes til HR på hr@kommune.example."],
    "board": ["Indkaldelse til bestyrelsesmøde 4. april 2024 kl. 16", "Dagsorden: 1. Godkendelse af referat. 2. Regnskab 2023.",
              "3. Budget 2025. 4. Eventuelt.", "Regnskabet er vedlagt; overskud 112.400 kr."],
    "delivery": ["Leveringsbekræftelse ordre 7766554433", "Leveres tirsdag 19.03.2024 mellem kl. 8 og 12.",
                 "Kolli: 3. Vægt 42 kg. Sporingsnummer 00370730253100104523.", "Kontakt fragtfirmaet på 7010 2030."],
    "course": ["Kursuskatalog forår 2024", "Excel for øvede, 16. april, 3 timer, 900 kr.",
               "Mødeledelse, 23. april, 6 timer, 1.800 kr.", "Tilmelding via intranettet senest 1. april."],
    "english": ["Quarterly update Q1 2024", "Revenue grew 4% year on year; the new ERP went live in February.",
                "The data centre migration is on track; the race condition in the batch job is fixed.",
                "Next town hall: 25 April at 14:00 in the main hall."],
    "survey": ["Trivselsundersøgelse 2024: resultater", "Svarprocent 87. Samlet tilfredshed 4,1 af 5.",
               "Flest ønsker bedre indeklima og færre møder.", "Resultaterne drøftes i MED-udvalget 15. maj."],
    "newsletter2": ["Sundhedsordningen: ny aftale med Falck Healthcare fra 1. maj", "Ordningen dækker fysioterapi og kiropraktor for alle ansatte.",
                    "Læs mere på intranettet under Personale.", "Spørgsmål: hr@kommune.example."],
}
H2KINDS = sorted(HARMLESS2)
