# Après le retour : suivi, la Reintegration Sustainability Survey, clôture avec une issue.
monitoring-link = Suivi
monitoring-title = Suivi après le retour
monitoring-schedule = Calendrier du suivi
monitoring-due-on = Prévu le
monitoring-state = État
monitoring-visits = Visites
monitoring-record = Enregistrer un suivi
monitoring-save = Enregistrer le suivi
monitoring-closed-with = Dossier clôturé : { $value }
field-followup = Suivi
field-visited-on = Date de la visite
field-visit-mode = Comment vous vous êtes vus
field-met = Personnes rencontrées
field-observed = Ce que vous avez constaté
field-services-in-progress = Services encore en cours
followup-baseline = Situation de départ (premier mois)
followup-month_6 = Après 6 mois
followup-month_12 = Après 12 mois
followup-other = Autre visite (sans questionnaire)
followup-state-done = Fait
followup-state-upcoming = À venir
followup-state-due = À faire
followup-state-overdue = En retard
visit-mode-home_visit = Visite à domicile
visit-mode-office = Au bureau
visit-mode-phone = Par téléphone
visit-mode-video = Par appel vidéo
visit-met-with = rencontré : { $value }
survey-title = Questionnaire de durabilité de la réintégration (RSS)
survey-hint = Pour un suivi prévu, répondez à chaque question avec la personne revenue. Pour une autre visite, laissez les questions sans réponse.
survey-scores = Scores dans le temps
survey-weights-provisional = Les pondérations sont provisoires (pondérations égales) jusqu’au chargement de la table officielle ; les scores seront alors recalculés.
survey-chart-title = Scores de réintégration par suivi, de 0 à 1
survey-chart-summary = { $count ->
    [one] Un questionnaire : le score global et le score de chaque dimension. Le tableau ci-dessous reprend les mêmes chiffres.
   *[other] { $count } questionnaires : le score global et le score de chaque dimension dans le temps. Le tableau ci-dessous reprend les mêmes chiffres.
}
survey-scores-table = Scores par questionnaire (de 0 à 1)
survey-answered-on = Répondu le
survey-composite = Score global
survey-band = Niveau
survey-earlier-scores = scores antérieurs, remplacés le { $date }
band-low = faible
band-medium = moyen
band-high = élevé
field-closing-outcome = Issue
field-outcome-note = Ce qui s’est passé
outcome-note-hint = Obligatoire pour « autre » ; facultatif sinon.
closing-outcome-choose = Choisissez l’issue
closing-outcome-completed = Réintégration achevée
closing-outcome-dropped_out = Abandon
closing-outcome-re_migrated = Nouvelle migration
closing-outcome-unreachable = Injoignable
closing-outcome-deceased = Décédé·e
closing-outcome-other = Autre
task-followup_due = Une visite de suivi est à faire
task-case_quiet = Aucun suivi enregistré depuis des mois : prenez contact
cli-instrument-ok = { $value } : le questionnaire est valide.
cli-instrument-loaded = Questionnaire { $value } enregistré.
cli-instrument-problems = { $value } contient des erreurs :
cli-instrument-rescored = { $count ->
    [one] Un questionnaire recalculé, { $value } déjà à jour.
   *[other] { $count } questionnaires recalculés, { $value } déjà à jour.
}
cli-instrument-refused = { $count } questionnaires n’ont pas pu être recalculés (leurs réponses ne figurent pas dans la nouvelle version) :
cli-export-format = Format d’export inconnu { $value } : utilisez csv.
cli-surveys-exported = { $count ->
    [one] Un questionnaire exporté.
   *[other] { $count } questionnaires exportés.
}
tasks-record-followup = Enregistrer le suivi
