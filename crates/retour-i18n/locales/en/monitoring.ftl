# After return: follow-ups, the Reintegration Sustainability Survey, closing with an outcome.
monitoring-link = Follow-up
monitoring-title = Follow-up after return
monitoring-schedule = Follow-up schedule
monitoring-due-on = Due on
monitoring-state = Status
monitoring-visits = Visits
monitoring-record = Record a follow-up
monitoring-save = Save follow-up
monitoring-closed-with = Case closed: { $value }
field-followup = Follow-up
field-visited-on = Date of the visit
field-visit-mode = How you met
field-met = Who you met
field-observed = What you observed
field-services-in-progress = Services still in progress
followup-baseline = Baseline (first month)
followup-month_6 = After 6 months
followup-month_12 = After 12 months
followup-other = Other visit (no survey)
followup-state-done = Done
followup-state-upcoming = Upcoming
followup-state-due = Due
followup-state-overdue = Overdue
visit-mode-home_visit = Home visit
visit-mode-office = At the office
visit-mode-phone = By phone
visit-mode-video = By video call
visit-met-with = met { $value }
survey-title = Reintegration Sustainability Survey
survey-hint = For a scheduled follow-up, answer every question with the returnee. For another visit, leave the questions unanswered.
survey-scores = Scores over time
survey-weights-provisional = The weights are provisional (equal weights) until the official table is loaded; scores will then be recomputed.
survey-chart-title = Reintegration scores per follow-up, from 0 to 1
survey-chart-summary = { $count ->
    [one] One survey: the composite score and the score of each dimension. The table below holds the same numbers.
   *[other] { $count } surveys: the composite score and the score of each dimension over time. The table below holds the same numbers.
}
survey-scores-table = Scores per survey (0 to 1)
survey-answered-on = Answered on
survey-composite = Composite
survey-band = Level
survey-earlier-scores = earlier scores, replaced on { $date }
band-low = low
band-medium = medium
band-high = high
field-closing-outcome = Outcome
field-outcome-note = What happened
outcome-note-hint = Required for "other"; optional otherwise.
closing-outcome-choose = Choose the outcome
closing-outcome-completed = Reintegration completed
closing-outcome-dropped_out = Dropped out
closing-outcome-re_migrated = Migrated again
closing-outcome-unreachable = Unreachable
closing-outcome-deceased = Deceased
closing-outcome-other = Other
task-followup_due = A follow-up visit is due
task-case_quiet = No follow-up recorded for months: contact the returnee
cli-instrument-ok = { $value }: the instrument is valid.
cli-instrument-loaded = Instrument { $value } stored.
cli-instrument-problems = { $value } has problems:
cli-instrument-rescored = { $count ->
    [one] One survey rescored, { $value } already up to date.
   *[other] { $count } surveys rescored, { $value } already up to date.
}
cli-instrument-refused = { $count } surveys could not be rescored (their answers are not in the new version):
cli-export-format = Unknown export format { $value }: use csv.
cli-surveys-exported = { $count ->
    [one] One survey exported.
   *[other] { $count } surveys exported.
}
tasks-record-followup = Record the follow-up
