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
search-nationality = Nationaliteit (code)
search-button = Zoeken
search-results = { $count ->
    [one] Eén persoon gevonden
   *[other] { $count } personen gevonden
}
search-results-caption = Personen die aan de zoekopdracht voldoen, beste overeenkomst eerst
search-truncated = Er voldoen meer personen dan er getoond worden. Voeg een geboortejaar of nationaliteit toe om de zoekopdracht te verfijnen.
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
hint-birth-date = JJJJ-MM-DD, of JJJJ-MM of JJJJ als alleen dat gekend is.
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
role-admin = Beheerder
users-actions = Acties
users-deactivate = { $value } deactiveren
users-activate = { $value } opnieuw activeren
