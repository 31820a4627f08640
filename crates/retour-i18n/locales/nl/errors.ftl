error-unknown-country = “{ $value }” is geen gekende landcode (ISO 3166-1 alpha-2, Kosovo is XK).
error-bad-date = “{ $value }” is geen datum: schrijf ze zoals 20-04-2026 (een geboortedatum mag ook 04-1985 of 1985 zijn).
error-birth-date-in-future = De geboortedatum { $value } ligt in de toekomst.
error-required = Dit veld is verplicht.
error-too-long = Dit is te lang (hoogstens { $max }).
error-no-principal = Het gezin heeft precies één hoofdaanvrager nodig; er is er geen opgegeven.
error-several-principals = Het gezin heeft precies één hoofdaanvrager nodig; er zijn er meerdere opgegeven.
error-duplicate-member = { $name } is al lid van dit gezin.
error-bad-reference = “{ $value }” is geen dossiernummer (zoals R-2026-000123).
error-unknown-value = “{ $value }” is geen toegelaten waarde.
error-illegal-transition = Een dossier kan niet van “{ $from }” naar “{ $to }” gaan.
error-date-order = De datum { $later } kan niet vóór { $earlier } liggen.
error-bad-email = “{ $value }” is geen e-mailadres.
error-password-too-short = Het wachtwoord moet minstens { $value } tekens lang zijn.
error-medical-need-amount = Geef voor “{ $value }” een maandelijks óf een eenmalig bedrag, niet beide of geen.
error-bad-amount = “{ $value }” is geen bedrag: schrijf het zoals { $example }.
error-negative-amount = Het bedrag { $value } kan niet negatief zijn.
error-too-many-decimals = “{ $value }” heeft meer decimalen dan dit bedrag kan hebben: schrijf het zoals { $example }.
error-generic = De invoer werd geweigerd ({ $value }).
error-field = { $field }: { $message }
error-not-found = Niet gevonden, of niet voor u bestemd.
error-forbidden = U mag dit niet doen.
error-conflict = Iemand anders heeft dit dossier intussen gewijzigd. Laad het opnieuw en breng uw wijziging opnieuw aan.
error-duplicate = Dit bestaat al.
error-unauthenticated = Meld u aan.
error-internal = Er ging bij ons iets mis. Er werd niets opgeslagen. Probeer het opnieuw.
error-busy = Er wordt op dit moment veel tegelijk opgeslagen. Er werd niets opgeslagen: probeer het over enkele seconden opnieuw.
error-invalid = De invoer werd geweigerd.
error-bad-json = Het verzoek kon niet gelezen worden: { $detail }
cli-database-unavailable = De databank kan niet geopend worden
cli-migrated = De databank is bijgewerkt.
cli-cannot-bind = Kan niet luisteren op
cli-listening = Retour draait. Open { $url } in uw browser (Ctrl+C stopt het).
cli-password-prompt = Wachtwoord (minstens 12 tekens):
cli-user-added = Account { $value } toegevoegd.
cli-token-created = Token { $value } aangemaakt. Het wordt hieronder één keer getoond; houd het geheim.
cli-token-revoked = Het token is ingetrokken.
cli-demo-loaded = Demogegevens geladen. Demo-aanmeldingen (nieuwe wachtwoorden bij elke lading):
cli-demo-no-mfa = Demo: elk account meldt zich aan met alleen zijn wachtwoord. Buiten de demo hebben medisch adviseurs, programmaverantwoordelijken, auditors, functionarissen voor gegevensbescherming en beheerders ook een code uit een authenticator-app nodig (instelling mfa_roles).
cli-mfa-reset = Aanmelden in twee stappen van { $value } werd opnieuw ingesteld; de sessies zijn beëindigd.
cli-generated = { $count } gezinnen aangemaakt in { $seconds } s ({ $rate } per seconde).
error-no-policy = Er is geen beleid van kracht op { $value }: laad er een met `retour policy load`.
cli-policy-ok = { $value }: het beleid is geldig.
cli-policy-loaded = Beleid { $value } opgeslagen.
cli-policy-problems = { $value } bevat fouten:
error-entitlement-frozen = Het recht op steun van dossier { $value } werd vastgelegd bij de goedkeuring van het plan; het kan niet meer wijzigen.
error-entitlement-incomplete = Het recht op steun van dossier { $value } kan nog niet berekend worden: de aanvraagdatum en de geplande vertrekdatum zijn nodig.
error-premium-above-entitlement = De uitbetaalde premie kan niet hoger zijn dan de terugkeerpremie van { $value }.
sim-households = Gezinnen
sim-before = Vóór
sim-after = Na (ontwerp)
sim-difference = Verschil
sim-skipped = { $count } dossiers werden niet meegeteld: de aanvraagdatum of geplande vertrekdatum ontbreekt.
error-amount-too-large = “{ $value }” is te groot voor een bedrag.
error-too-many = Ten hoogste { $value } items, alstublieft.
error-control-character = Deze tekst bevat een onzichtbaar stuurteken (op positie { $value }): verwijder het.
error-birth-date-too-old = “{ $value }” ligt meer dan 120 jaar terug: controleer het jaar.
error-too-large = Wat u verstuurde is te groot om aan te nemen.
error-bad-request = Het verzoek kon niet gelezen worden.
error-method-not-allowed = Dit adres aanvaardt die methode niet.
error-travel-document-not-ready = Het reisdocument is “{ $value }”: de terugkeerder kan niet vertrekken voor het geldig of uitgereikt is. Registreer de boeking opnieuw met de status van het document.
error-arrival-recorded = De aankomst van dossier { $value } is al geregistreerd.
error-not-departed = Dossier { $value } is nog niet vertrokken: bevestig eerst het vertrek.
cli-import-invalid = { $count ->
    [one] Eén regel is ongeldig
   *[other] { $count } regels zijn ongeldig
  }: niets opgeslagen (gebruik --skip-invalid om de andere op te slaan).
cli-import-duplicate = { $name } is misschien de persoon van dossier { $reference } (score { $value })
cli-import-prior = { $name } kreeg misschien steun in dossier { $reference } (score { $value }): de uitsluiting wordt voorgesteld
cli-import-done = { $count ->
    [one] Eén huishouden
   *[other] { $count } huishoudens
  } geregistreerd, { $value ->
    [one] één regel
   *[other] { $value } regels
  } overgeslagen.
cli-import-dry = Proefdraaien: niets opgeslagen; { $value } regels zouden worden overgeslagen.
error-password-mismatch = De twee nieuwe wachtwoorden zijn niet gelijk.
error-password-wrong = Dit is niet uw huidige wachtwoord.
error-born-after-departure = Deze geboortedatum ligt na de geplande vertrekdatum ({ $value }): een kind dat geboren wordt terwijl het gezin wacht, telt mee tot de dag van vertrek.
error-task-needs-decision = Deze taak eindigt wanneer een programmaverantwoordelijke het recht op steun van dossier { $value } bevestigt of behoudt.
error-followup-recorded = Deze opvolging is al geregistreerd, misschien net door een collega. De pagina toont ze.
error-not-followed-up = Dossier { $value } wordt niet opgevolgd: opvolging wordt geregistreerd na de aankomst, tot het dossier afgesloten is.
error-survey-without-followup = Een vragenlijst hoort bij een geplande opvolging: kies de opvolging, of laat de vragen open.
error-task-needs-followup = Deze taak eindigt wanneer de opvolging van dossier { $value } geregistreerd is.
error-instrument-not-loaded = De vragenlijst { $value } is niet geladen: een beheerder laadt ze met retour instrument load.
error-break-glass-reason-short = Zeg wat er gebeurde, in minstens { $value } tekens.
error-break-glass-no-case = Geen dossier heeft het nummer “{ $value }”.
error-break-glass-already = U kunt dit al lezen in dossier { $value }: open het dossier.
error-break-glass-closed = Dossier { $value } kan niet met noodtoegang geopend worden. Vraag het aan de begeleider of aan een programmaverantwoordelijke.
error-proof-erased = Dit bewijs werd op { $value } verwijderd, op het einde van de bewaartermijn; de betaling en het bedrag blijven.
cli-retention-due = Nu te wissen (niets gewist): notities van { $notes } dossiers, namen van { $identities } dossiers, bewijzen van { $proofs } dossiers.
cli-retention-done = Gewist: notities van { $notes } dossiers; gepseudonimiseerd: namen van { $identities } dossiers; verwijderd: bewijzen van { $proofs } dossiers.
