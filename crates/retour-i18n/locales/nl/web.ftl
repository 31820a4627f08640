# Kader
skip-to-content = Naar de inhoud
nav-label = Hoofdmenu
nav-home = Start
nav-search = Dossier zoeken
nav-new-case = Nieuw dossier
nav-users = Gebruikers
sign-out = Afmelden
language = Taal
footer-text = Retour — dossierbeheer voor vrijwillige terugkeer en re-integratie. Persoonsgegevens worden uitsluitend verwerkt voor de terugkeer en re-integratie van de betrokken personen.
error-title = Hier liep iets mis
error-status = Foutcode { $value }
back-home = Terug naar de startpagina
error-csrf = Dit formulier is verlopen of komt niet van Retour. Laad de pagina opnieuw en probeer het nog eens.
error-search-too-short = Typ minstens { $value } tekens.
error-search-birth-year = “{ $value }” is geen geboortejaar: typ het zoals 1985.
error-search-page = Deze pagina met resultaten is niet meer geldig. Zoek opnieuw.
error-limit-out-of-range = Vraag tussen 1 en { $value } resultaten.
yes = ja
no = nee
next-page = Volgende pagina

# Aanmelden
login-title = Aanmelden
login-intro = Meld u aan met uw personeelsaccount voor Retour.
field-email = E-mailadres
field-password = Wachtwoord
sign-in = Aanmelden
login-refused = Het e-mailadres of het wachtwoord is niet juist.
login-throttled = Te veel mislukte pogingen voor dit adres. Wacht 15 minuten en probeer het opnieuw.

# Startpagina
home-title = Mijn werk
home-counts = Dossiers per status
home-no-cases = Er zijn nog geen dossiers.
home-my-cases = Mijn dossiers
home-no-my-cases = Er zijn u nog geen dossiers toegewezen.
col-status = Status
col-count = Dossiers
col-total = Totaal
col-reference = Dossiernummer
col-principal = Hoofdaanvrager
col-destination = Land van terugkeer

# Zoeken
search-title = Dossier zoeken
search-intro = Zoek op dossiernummer (R-2026-000123) of op een naam, in eender welke schrijfwijze. Geboortejaar en nationaliteit verfijnen het resultaat.
search-q = Dossiernummer of naam
search-birth-year = Geboortejaar
search-nationality = Nationaliteit
search-button = Zoeken
search-results-caption = Huishoudens die aan de zoekopdracht voldoen, beste overeenkomst eerst
search-truncated = Er voldoen meer personen dan er op één pagina passen. Voeg een geboortejaar of nationaliteit toe om de zoekopdracht te verfijnen, of ga naar de volgende pagina.
search-households-page = Pagina { $page }: { $count ->
    [one] één huishouden
   *[other] { $count } huishoudens
}
search-next-page = Volgende pagina
search-none = Niemand voldoet. Controleer de schrijfwijze of zoek op dossiernummer.
col-name = Naam
col-relationship = Verwantschap
col-birth = Geboren

# Dossierpagina
case-title = Dossier
form-has-errors = Verbeter het volgende:
case-household = Gezin
field-destination-country = Land van terugkeer
field-destination-place = Plaats van terugkeer
field-location = Huidige verblijfplaats
field-location-name = Opvangcentrum of adres
field-office = Kantoor
field-application-date = Datum van aanvraag
field-planned-departure = Geplande vertrekdatum
case-departure = Vertrek
case-edit = Gezin bewerken
case-members = Gezinsleden
case-ages-on = Leeftijden op { $date } (gepland vertrek, of vandaag)
col-age = Leeftijd
col-sex = Geslacht
col-nationalities = Nationaliteiten
col-languages = Talen
col-other-names = Andere schrijfwijzen
case-asylum = Asielvoorgeschiedenis
case-lifecycle = Status
case-no-transitions = U kunt de status momenteel niet wijzigen.
case-move-to = Naar status: { $to }
field-reason = Reden
field-departure-date = Vertrekdatum
field-transport = Vervoer
field-travel-document = Reisdocument
case-history = Geschiedenis
col-when = Wanneer
col-from = Van
col-to = Naar
case-notes = Notities
case-no-notes = Nog geen notities.
withheld = Afgeschermd: uw rol mag deze informatie niet inzien (categorie: { $class }).
field-note = Nieuwe notitie
field-sensitivity = Soort informatie
case-add-note = Notitie toevoegen

# Formulier gezin
form-new-title = Gezin registreren
form-edit-title = Gezin bewerken
hint-country = Code van twee letters, bv. XK voor Kosovo, GN voor Guinee.
hint-members = Precies één hoofdaanvrager. Laat een rij leeg om ze over te slaan.
form-member = Gezinslid { $value }
field-family-name = Familienaam
field-given-names = Voornamen
field-other-names = Andere schrijfwijzen
hint-list = Scheid meerdere waarden met komma’s.
field-birth-date = Geboortedatum
hint-birth-date = Zoals 12-03-1985, of 03-1985 of 1985 als alleen dat gekend is.
hint-nationalities = Codes van twee letters, gescheiden door komma’s.
form-remove-member = Dit gezinslid verwijderen
form-add-member = Gezinslid toevoegen
form-save = Opslaan

# Gebruikers
users-title = Gebruikers
users-created = Account { $value } aangemaakt.
users-new = Nieuwe account
users-create = Account aanmaken
field-display-name = Naam
field-role = Rol
field-partner-org = Partnerorganisatie
field-active = Actief

# Waarden
status-intake = Intake
status-assessed = Beoordeeld
status-plan_approved = Plan goedgekeurd
status-departure_booked = Vertrek geboekt
status-departed = Vertrokken
status-arrived = Aangekomen
status-in_reintegration = In re-integratie
status-monitoring = Opvolging
status-closed = Afgesloten
status-withdrawn = Ingetrokken
status-no_show = Niet opgedaagd
action-intake = Intake heropenen
action-assessed = Markeren als beoordeeld
action-plan_approved = Plan goedkeuren
action-departure_booked = Vertrek boeken
action-departed = Vertrek bevestigen
action-arrived = Aankomst bevestigen
action-in_reintegration = Re-integratie starten
action-monitoring = Opvolging starten
action-closed = Dossier afsluiten
action-withdrawn = Intrekken (de betrokkene ziet af van de terugkeer)
action-no_show = Registreren als niet opgedaagd
relationship-principal = Hoofdaanvrager
relationship-partner = Partner
relationship-child = Kind
relationship-other = Andere
sex-female = Vrouw
sex-male = Man
sex-other = Andere
sex-unknown = Onbekend
location-reception_centre = Opvangcentrum
location-private_address = Privéadres
location-other = Andere
transport-plane = Vliegtuig
transport-bus = Bus
transport-train = Trein
transport-car = Auto
travel-document-valid = Geldig document
travel-document-requested = Aangevraagd
travel-document-issued = Uitgereikt
travel-document-missing = Ontbreekt
outcome-pending = In behandeling
outcome-granted = Toegekend
outcome-subsidiary_protection = Subsidiaire bescherming
outcome-rejected = Geweigerd
outcome-withdrawn = Ingetrokken
sensitivity-general = Algemeen
sensitivity-medical = Medisch
sensitivity-trafficking = Mensenhandel
sensitivity-minor_welfare = Welzijn van een minderjarige
role-counsellor = Terugkeerbegeleider
role-medical_advisor = Medisch adviseur
role-programme_manager = Programmabeheerder
role-partner_caseworker = Medewerker partnerorganisatie
role-auditor = Auditor
role-data_protection_officer = Functionaris voor gegevensbescherming
role-admin = Beheerder
users-actions = Acties
users-deactivate = { $value } deactiveren
users-activate = { $value } opnieuw activeren
case-travel-document-hint = De terugkeerder kan enkel vertrekken met een geldig reisdocument, of een dat voor de reis werd uitgereikt.
field-on-departed = Dag van vertrek
field-on-arrived = Dag van aankomst
case-waiting-for = Volgende stap: { $to }, door { $roles }.
reason-registered = Geregistreerd
reason-plan-approved = Re-integratieplan goedgekeurd
reason-arrival-confirmed = Aankomst bevestigd
form-choose = Kies…
hint-pick-several = Houd Ctrl (of ⌘) ingedrukt om er meer dan één te kiezen.
queue-plans-to-approve = Plannen die op uw goedkeuring wachten
queue-medical-to-price = Medische dossiers die op een prijs wachten
queue-entitlement-changes = Gezinnen die veranderden na de goedkeuring: recht op steun bevestigen of behouden
queue-arrivals-to-confirm = Aankomsten te bevestigen
queue-visits-due = Bezoeken deze week
queue-empty = Er wacht niets.
queue-all = Alles tonen
queue-detail = Bedrag of dag
home-sensitive-reads = Laatst gelezen bijzondere persoonsgegevens
queue-status = Dossiers: { $status }

match-same-name = Zelfde naam
match-name-spelled = Geschreven als { $value }
match-same-birth-date = Zelfde geboortedatum
match-same-birth-month = Zelfde geboortemaand
match-same-birth-year = Zelfde geboortejaar
match-birth-date-close = Geboortedatum bijna gelijk
match-birth-date-differs = Andere geboortedatum
match-sex-differs = Ander geslacht
match-same-nationality = Zelfde nationaliteit
col-why = Waarom gevonden

matches-title = Retour kent deze personen misschien al
matches-intro = Ga na of een lid van dit huishouden een van de personen hieronder is voor u het registreert.
matches-other-office = een dossier van kantoor { $office } (vraag het daar na)
matches-prior-support = Kreeg steun op { $date }: de uitsluiting wordt voorgesteld
matches-then = Is het een andere persoon, registreer dan toch: een programmabeheerder bekijkt elke mogelijke overeenkomst; niets wordt samengevoegd of uitgesloten zonder diens beslissing.
matches-register-anyway = Andere persoon: toch registreren
matches-cancel = Annuleren

nav-reviews = Mogelijke dubbels
reviews-title = Mogelijke dubbels en eerdere begunstigden
reviews-intro = Gevonden bij het registreren van een huishouden. Beslis over elk: niets wordt samengevoegd of uitgesloten zonder uw beslissing.
reviews-none = Niets te beslissen.
reviews-kind-prior = Eerdere begunstigde?
reviews-kind-duplicate = Twee keer dezelfde persoon?
reviews-new = Nieuw dossier
reviews-earlier = Eerder dossier
reviews-support-on = Laatste steun ontvangen
reviews-why = Waarom gevonden
reviews-reason = Reden van uw beslissing
reviews-confirm = Dezelfde persoon
reviews-confirm-prior = Dezelfde persoon: uitsluiting toepassen
reviews-dismiss = Andere persoon

## Accounts
account-title = Mijn account
account-language = Taal van de pagina's
account-language-save = Taal bewaren
account-password = Wachtwoord
account-password-change = Wachtwoord wijzigen
account-password-changed = Uw wachtwoord is gewijzigd. Uw andere sessies zijn afgemeld.
account-password-hint = Minstens { $value } tekens.
field-current = Huidig wachtwoord
field-new-password = Nieuw wachtwoord
field-password-again = Nieuw wachtwoord nogmaals
users-edit-title = Account { $value }
users-save = Wijzigingen bewaren
users-saved = Wijzigingen bewaard. De gebruiker meldt zich opnieuw aan om ermee te werken.
users-office-hint = Het kantoor waarvan een terugkeerbegeleider de dossiers ziet.
users-partner-hint = De partnerorganisatie van een partnermedewerker (bijvoorbeeld iom-xk).
users-reset-title = Wachtwoord vergeten
users-reset-intro = Maak een eenmalige link waarmee de gebruiker een nieuw wachtwoord kiest. Geef hem zelf door: Retour verstuurt geen e-mail.
users-reset-link = Herstellink maken voor { $value }
users-reset-link-made = Herstellink voor { $value }:
users-reset-link-hint = De link werkt één keer, { $count } uur lang. Een nieuwe link vervangt deze.
reset-title = Nieuw wachtwoord kiezen
reset-intro = Nieuw wachtwoord voor { $value }.
reset-save = Wachtwoord instellen
reset-done = Uw wachtwoord is ingesteld. Meld u ermee aan.
reset-invalid = Deze link werkt niet meer: hij is al gebruikt, vervangen door een nieuwere of verlopen. Vraag uw beheerder om een nieuwe.

search-households = { $count ->
    [one] Eén huishouden gevonden
   *[other] { $count } huishoudens gevonden
}
search-any-nationality = Elke nationaliteit
col-found-members = Gevonden leden

## Offices
nav-offices = Kantoren
offices-title = Kantoren
offices-intro = De terugkeerloketten en opvangcentra waartoe dossiers en terugkeerbegeleiders behoren. De code is waarnaar dossiers verwijzen en verandert nooit; de naam is wat de pagina's tonen.
offices-name-of = Naam van kantoor { $value }
offices-rename = { $value } hernoemen
offices-new = Nieuw kantoor
offices-create = Kantoor toevoegen
offices-code-hint = 2 tot 40 kleine letters, cijfers of koppeltekens, bijvoorbeeld poelkapelle.
field-id = Code
office-none = — geen —

# Subject access export
subject-export = Inzage
subject-export-of = Inzage-export van { $name }
subject-title = Inzage-export
subject-generated = Opgemaakt op { $date } door { $name }.
subject-intro = Alles wat Retour over deze persoon bewaart, zoals gevraagd onder artikel 15 van de AVG. Gegevens van de andere gezinsleden staan er niet in; zij worden alleen bij hun verwantschap genoemd.
subject-download-json = Download als JSON
subject-person = Persoonsgegevens
subject-family-name = Familienaam
subject-given-names = Voornamen
subject-documents = Identiteitsdocumenten
subject-case = Dossier
subject-departed = Vertrokken op
subject-arrived = Aangekomen op
subject-other-members = Andere gezinsleden
subject-notes = Notities
subject-none = Niets geregistreerd.
subject-entitlement = Rechten en bedragen
subject-component = Onderdeel
subject-rule = Regel
subject-amount = Bedrag
subject-premium-paid = Vertrekpremie van { $amount } betaald op { $date }.
subject-plan = Re-integratieplan en betalingen
subject-category = Categorie
subject-description = Omschrijving
subject-planned = Gepland
subject-approved = Goedgekeurd
subject-spent = Uitgegeven
subject-payments = Betalingen
subject-paid-on = Betaald op
subject-vendor = Leverancier
subject-child = Als minderjarige
subject-assessed-on = Belang van het kind beoordeeld op
subject-visits = Opvolging na terugkeer
subject-consents = Toestemmingen
subject-withdrawn-on = ingetrokken op { $date }
subject-accesses = Wie het dossier las of wijzigde
subject-accesses-intro = Uit het audit-spoor: elke wijziging en elke inzage van gevoelige gegevens, de nieuwste eerst.
subject-who = Wie
subject-what = Wat
subject-operator = Beheerder via de opdrachtregel

## Aanmelden in twee stappen
login-expired = Uw aanmelding duurde te lang of werd onderbroken. Meld u opnieuw aan met uw wachtwoord.
mfa-code-title = Aanmeldcode
mfa-code-intro = Vul de code van zes cijfers in die uw authenticator-app voor Retour toont.
mfa-code-field = Code
mfa-code-hint = Telefoon kwijt? Vul dan een van uw herstelcodes in (zoals abcde-fgh23).
mfa-code-refused = Die code klopt niet of werd al gebruikt. Vul de code in die de app nu toont.
mfa-start-again = Opnieuw beginnen met uw wachtwoord
mfa-enrol-title = Aanmelden in twee stappen instellen
mfa-enrol-intro = Uw account leest of keurt bijzondere persoonsgegevens goed. Daarom vraagt Retour na uw wachtwoord ook een code uit een authenticator-app op uw telefoon (zoals FreeOTP, Aegis, Google Authenticator of Microsoft Authenticator).
mfa-enrol-scan = Voeg in de app een account toe en scan deze QR-code.
mfa-enrol-type = Geen camera? Typ dan deze sleutel in de app:
mfa-enrol-confirm = Vul de code van zes cijfers in die de app nu voor Retour toont.
mfa-enrol-code-hint = Zes cijfers; elke 30 seconden een nieuwe code.
mfa-enrol-submit = Bevestigen en aanmelden
mfa-recovery-title = Uw herstelcodes
mfa-recovery-done = Aanmelden in twee stappen staat aan voor uw account.
mfa-recovery-intro = Verliest u uw telefoon, dan meldt elk van deze codes u één keer aan in plaats van een code uit de app. Schrijf ze op of druk deze pagina af, en bewaar ze apart van uw telefoon.
mfa-recovery-once = Ze worden alleen nu getoond. Verliest u beide, dan kan een beheerder uw tweede stap opnieuw instellen.
mfa-recovery-continue = Verder
mfa-account-title = Aanmelden in twee stappen
mfa-account-on = Aan: na uw wachtwoord vraagt Retour een code uit uw app. { $count ->
    [one] Nog één herstelcode.
   *[other] Nog { $count } herstelcodes.
}
mfa-account-off = Uit: uw wachtwoord alleen meldt u aan.
mfa-account-required = Uw rol vereist het: u stelt het in bij uw volgende aanmelding.
mfa-account-setup = Aanmelden in twee stappen instellen
mfa-admin-on = Aanmelden in twee stappen staat aan. { $count ->
    [one] Nog één herstelcode.
   *[other] Nog { $count } herstelcodes.
}
mfa-admin-off = Aanmelden in twee stappen staat uit.
mfa-admin-reset-intro = Telefoon en herstelcodes kwijt? Opnieuw instellen beëindigt de sessies van het account; bij de volgende aanmelding stelt het de tweede stap opnieuw in als de rol dat vereist.
mfa-admin-reset = Tweede stap van { $value } opnieuw instellen
mfa-admin-reset-done = De tweede stap werd opnieuw ingesteld; de sessies van het account zijn beëindigd.

## Noodtoegang (break-glass)
bg-title = Noodtoegang
bg-intro = In een noodgeval kunt u een dossier of een deel ervan openen dat u normaal niet mag lezen: het dossier van een ander kantoor, of de medische gegevens, de gegevens over mensenhandel of over het welzijn van minderjarigen. De toegang duurt { $count ->
    [one] één uur
   *[other] { $count } uur
} en laat alleen lezen toe. Ze wordt met uw reden vastgelegd; de begeleider van het dossier en de programmaverantwoordelijken worden verwittigd en zien waarom. Sommige dossiers kunnen zo niet geopend worden.
bg-reference = Dossiernummer
bg-what = Wat openen
bg-what-case = Het dossier (van een ander kantoor)
bg-what-medical = Medische gegevens
bg-what-trafficking = Gegevens over mensenhandel
bg-what-minor_welfare = Welzijn van minderjarigen
bg-reason-hint = Wat er gebeurde en waarom het niet kan wachten. De begeleider van het dossier, de programmaverantwoordelijken en de auditors lezen dit.
bg-submit = Nu toegang openen
bg-reading-until = U leest dit dossier via noodtoegang, tot { $value }.
bg-case-link = Noodtoegang tot dit dossier
bg-open-link = Noodtoegang openen tot wat u hier niet kunt lezen
bg-case-title = Noodtoegang tot { $value }
bg-all-title = Noodtoegang, alle dossiers
bg-back-to-case = Dossier { $value }
bg-list-intro = Wie opende wat hij normaal niet mocht lezen, wanneer, hoe lang en waarom.
bg-none = Niemand heeft noodtoegang geopend.
bg-col-who = Wie
bg-col-opened = Geopend
bg-col-until = Tot
bg-running = nog open
bg-search-hint = Een dossier van een ander kantoor dat u in een noodgeval moet zien?
task-break_glass = Iemand opende noodtoegang: controleer wie en waarom
bg-col-what = Wat
proof-erased-short = verwijderd (bewaartermijn verstreken)
person-pseudonymised = (gepseudonimiseerd: naam gewist na de bewaartermijn)
reviews-decided = Recent beslist
reviews-decided-intro = Was een beslissing fout? Maak ze ongedaan: beide registraties bleven ongewijzigd, de vraag staat weer open, en de uitsluiting van een eerdere begunstigde vervalt tot er opnieuw beslist is.
reviews-was-same = Dezelfde persoon
reviews-was-different = Verschillende personen
reviews-undo-reason = Waarom het ongedaan wordt gemaakt
reviews-undo = Deze beslissing ongedaan maken
