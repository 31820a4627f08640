# Na de terugkeer: opvolging, de Reintegration Sustainability Survey, afsluiten met een uitkomst.
monitoring-link = Opvolging
monitoring-title = Opvolging na de terugkeer
monitoring-schedule = Opvolgingsschema
monitoring-due-on = Gepland op
monitoring-state = Stand
monitoring-visits = Bezoeken
monitoring-record = Opvolging registreren
monitoring-save = Opvolging opslaan
monitoring-closed-with = Dossier afgesloten: { $value }
field-followup = Opvolging
field-visited-on = Datum van het bezoek
field-visit-mode = Hoe u elkaar sprak
field-met = Wie u sprak
field-observed = Wat u vaststelde
field-services-in-progress = Diensten die nog lopen
followup-baseline = Nulmeting (eerste maand)
followup-month_6 = Na 6 maanden
followup-month_12 = Na 12 maanden
followup-other = Ander bezoek (zonder vragenlijst)
followup-state-done = Gedaan
followup-state-upcoming = Gepland
followup-state-due = Nu te doen
followup-state-overdue = Te laat
visit-mode-home_visit = Huisbezoek
visit-mode-office = Op kantoor
visit-mode-phone = Telefonisch
visit-mode-video = Via videogesprek
visit-met-with = gesproken met { $value }
survey-title = Vragenlijst duurzame re-integratie (RSS)
survey-hint = Beantwoord bij een geplande opvolging elke vraag samen met de teruggekeerde persoon. Laat de vragen open bij een ander bezoek.
survey-scores = Scores door de tijd
survey-weights-provisional = De gewichten zijn voorlopig (gelijke gewichten) tot de officiële tabel geladen is; de scores worden dan herberekend.
survey-chart-title = Re-integratiescores per opvolging, van 0 tot 1
survey-chart-summary = { $count ->
    [one] Eén vragenlijst: de totaalscore en de score van elke dimensie. De tabel hieronder bevat dezelfde cijfers.
   *[other] { $count } vragenlijsten: de totaalscore en de score van elke dimensie door de tijd. De tabel hieronder bevat dezelfde cijfers.
}
survey-scores-table = Scores per vragenlijst (0 tot 1)
survey-answered-on = Beantwoord op
survey-composite = Totaalscore
survey-band = Niveau
survey-earlier-scores = vroegere scores, vervangen op { $date }
band-low = laag
band-medium = middel
band-high = hoog
field-closing-outcome = Uitkomst
field-outcome-note = Wat er gebeurde
outcome-note-hint = Verplicht bij "andere"; anders vrij te laten.
closing-outcome-choose = Kies de uitkomst
closing-outcome-completed = Re-integratie voltooid
closing-outcome-dropped_out = Afgehaakt
closing-outcome-re_migrated = Opnieuw gemigreerd
closing-outcome-unreachable = Onbereikbaar
closing-outcome-deceased = Overleden
closing-outcome-other = Andere
task-followup_due = Een opvolgingsbezoek moet gebeuren
task-case_quiet = Al maanden geen opvolging geregistreerd: neem contact op
cli-instrument-ok = { $value }: de vragenlijst is geldig.
cli-instrument-loaded = Vragenlijst { $value } opgeslagen.
cli-instrument-problems = { $value } bevat fouten:
cli-instrument-rescored = { $count ->
    [one] Eén vragenlijst herberekend, { $value } waren al bij.
   *[other] { $count } vragenlijsten herberekend, { $value } waren al bij.
}
cli-instrument-refused = { $count } vragenlijsten konden niet herberekend worden (hun antwoorden staan niet in de nieuwe versie):
cli-export-format = Onbekend exportformaat { $value }: gebruik csv.
cli-surveys-exported = { $count ->
    [one] Eén vragenlijst geëxporteerd.
   *[other] { $count } vragenlijsten geëxporteerd.
}
tasks-record-followup = Opvolging registreren
