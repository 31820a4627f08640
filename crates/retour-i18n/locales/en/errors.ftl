error-unknown-country = “{ $value }” is not a known country code (ISO 3166-1 alpha-2, Kosovo is XK).
error-bad-date = “{ $value }” is not a date: write it like 20/04/2026 (a birth date may also be 04/1985 or 1985).
error-birth-date-in-future = The birth date { $value } lies in the future.
error-required = This field is required.
error-too-long = This is too long (at most { $max }).
error-no-principal = The household needs exactly one principal applicant; none was given.
error-several-principals = The household needs exactly one principal applicant; several were given.
error-duplicate-member = { $name } is already a member of this household.
error-bad-reference = “{ $value }” is not a case reference (like R-2026-000123).
error-unknown-value = “{ $value }” is not one of the allowed values.
error-illegal-transition = A case cannot move from “{ $from }” to “{ $to }”.
error-date-order = The date { $later } cannot be before { $earlier }.
error-bad-email = “{ $value }” is not an e-mail address.
error-password-too-short = The password must be at least { $value } characters long.
error-medical-need-amount = Give either a monthly or a one-off amount for “{ $value }”, not both or neither.
error-bad-amount = “{ $value }” is not an amount: write it like { $example }.
error-negative-amount = The amount { $value } cannot be negative.
error-too-many-decimals = “{ $value }” has more decimals than this amount can have: write it like { $example }.
error-generic = The input was refused ({ $value }).
error-field = { $field }: { $message }
error-not-found = Not found, or not yours to see.
error-forbidden = You are not allowed to do this.
error-conflict = Someone else changed this case in the meantime. Reload it and make your change again.
error-duplicate = This already exists.
error-unauthenticated = Please sign in.
error-internal = Something went wrong on our side. Nothing was saved. Please try again.
error-busy = Many people are saving at this moment. Nothing was saved: please try again in a few seconds.
error-invalid = The input was refused.
error-bad-json = The request could not be read: { $detail }
cli-database-unavailable = The database cannot be opened
cli-migrated = The database is up to date.
cli-cannot-bind = Cannot listen on
cli-listening = Retour is running. Open { $url } in your browser (Ctrl+C stops it).
cli-password-prompt = Password (at least 12 characters):
cli-user-added = Account { $value } added.
cli-token-created = Token { $value } created. It is shown once, below; keep it secret.
cli-token-revoked = The token is revoked.
cli-demo-loaded = Demo data loaded. Demo sign-ins (new passwords at every load):
cli-demo-no-mfa = Demo: every account signs in with its password alone. Outside the demo, medical advisors, programme managers, auditors, data-protection officers and admins also need a code from an authenticator app (setting mfa_roles).
cli-mfa-reset = Two-step sign-in of { $value } was reset; its sessions have ended.
cli-generated = { $count } households generated in { $seconds } s ({ $rate } per second).
error-no-policy = No policy is in force on { $value }: load one with `retour policy load`.
cli-policy-ok = { $value }: the policy is valid.
cli-policy-loaded = Policy { $value } stored.
cli-policy-problems = { $value } has problems:
error-entitlement-frozen = The entitlement of case { $value } was frozen when its plan was approved; it can no longer change.
error-entitlement-incomplete = The entitlement of case { $value } cannot be computed yet: it needs the application date and the planned departure date.
error-premium-above-entitlement = The premium paid cannot be more than the departure premium of { $value }.
sim-households = Households
sim-before = Before
sim-after = After (draft)
sim-difference = Difference
sim-skipped = { $count } cases were left out: they lack the application or planned departure date.
error-amount-too-large = “{ $value }” is too large for an amount.
error-too-many = At most { $value } entries, please.
error-control-character = This text contains an invisible control character (at position { $value }): remove it.
error-birth-date-too-old = “{ $value }” is more than 120 years ago: check the year.
error-too-large = What was sent is too large to be taken.
error-bad-request = The request could not be read.
error-method-not-allowed = This address does not take that method.
error-travel-document-not-ready = The travel document is “{ $value }”: the returnee cannot leave before it is valid or issued. Record the booking again with the document’s status.
error-arrival-recorded = The arrival of case { $value } is already recorded.
error-not-departed = Case { $value } has not departed yet: confirm the departure first.
cli-import-invalid = { $count ->
    [one] One line is invalid
   *[other] { $count } lines are invalid
  }: nothing was stored (use --skip-invalid to store the others).
cli-import-duplicate = { $name } may be the person of case { $reference } (score { $value })
cli-import-prior = { $name } may have received support in case { $reference } (score { $value }): the exclusion will be proposed
cli-import-done = { $count ->
    [one] One household
   *[other] { $count } households
  } registered, { $value ->
    [one] one line
   *[other] { $value } lines
  } skipped.
cli-import-dry = Dry run: nothing stored; { $value } lines would be skipped.
error-password-mismatch = The two new passwords are not the same.
error-password-wrong = This is not your current password.
error-born-after-departure = This birth date is after the planned departure date ({ $value }): a child born while the family waits is counted up to the day they leave.
error-task-needs-decision = This task ends when a programme manager confirms or keeps the entitlement of case { $value }.
error-followup-recorded = This follow-up was already recorded, perhaps by a colleague just now. The page shows it.
error-not-followed-up = Case { $value } is not being followed up: follow-ups are recorded after arrival, until the case is closed.
error-survey-without-followup = A survey belongs to a scheduled follow-up: choose the follow-up, or leave the questions unanswered.
error-task-needs-followup = This task ends when the follow-up of case { $value } is recorded.
error-instrument-not-loaded = The survey instrument { $value } is not loaded: an administrator loads it with retour instrument load.
error-break-glass-reason-short = Say what happened, in at least { $value } characters.
error-break-glass-no-case = No case has the reference “{ $value }”.
error-break-glass-already = You can already read this on case { $value }: open the case.
error-break-glass-closed = Case { $value } cannot be opened with break-glass access. Ask its counsellor or a programme manager.
error-proof-erased = This proof was deleted on { $value }, at the end of its retention period; the payment and its amount stay.
cli-retention-due = Due now (nothing erased): notes of { $notes } cases, names of { $identities } cases, proofs of { $proofs } cases.
cli-retention-done = Erased: notes of { $notes } cases; pseudonymised: names of { $identities } cases; deleted: proofs of { $proofs } cases.
