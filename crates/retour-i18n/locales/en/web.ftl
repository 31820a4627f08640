# Frame
skip-to-content = Skip to content
nav-label = Main menu
nav-home = Home
nav-search = Find a case
nav-new-case = New case
nav-users = Users
sign-out = Sign out
language = Language
footer-text = Retour — case management for voluntary return and reintegration. Personal data is processed only for the return and reintegration of the persons concerned.
error-title = Something stopped here
error-status = Error code { $value }
back-home = Back to the home page
error-csrf = This form has expired or did not come from Retour. Reload the page and try again.
error-search-too-short = Type at least { $value } characters.
error-search-birth-year = “{ $value }” is not a birth year: type it like 1985.
error-search-page = This page of results is no longer valid. Search again.
error-limit-out-of-range = Ask for between 1 and { $value } results.
yes = Yes
no = No
next-page = Next page

# Sign-in
login-title = Sign in
login-intro = Sign in with your Retour staff account.
field-email = E-mail address
field-password = Password
sign-in = Sign in
login-refused = The e-mail address or password is not correct.
login-throttled = Too many failed attempts for this address. Wait 15 minutes and try again.

# Home
home-title = My work
home-counts = Cases per status
home-no-cases = There are no cases yet.
home-my-cases = My cases
home-no-my-cases = No cases are assigned to you yet.
col-status = Status
col-count = Cases
col-total = Total
col-reference = Reference
col-principal = Principal applicant
col-destination = Country of return

# Search
search-title = Find a case
search-intro = Search by case reference (R-2026-000123) or by a name in any spelling. Birth year and nationality narrow the result.
search-q = Reference or name
search-birth-year = Birth year
search-nationality = Nationality
search-button = Search
search-results-caption = Households matching the search, best match first
search-truncated = More persons match than fit on one page. Add a birth year or nationality to narrow the search, or read the next page.
search-households-page = Page { $page }: { $count ->
    [one] one household
   *[other] { $count } households
}
search-next-page = Next page
search-none = Nobody matches. Check the spelling, or search by reference.
col-name = Name
col-relationship = Relationship
col-birth = Born

# Case page
case-title = Case
form-has-errors = Please correct the following:
case-household = Household
field-destination-country = Country of return
field-destination-place = Place of return
field-location = Current location
field-location-name = Reception centre or address
field-office = Office
field-application-date = Application date
field-planned-departure = Planned departure date
case-departure = Departure
case-edit = Edit household
case-members = Members
case-ages-on = Ages on { $date } (planned departure, or today)
col-age = Age
col-sex = Sex
col-nationalities = Nationalities
col-languages = Languages
col-other-names = Other spellings
case-asylum = Asylum history
case-lifecycle = Status
case-no-transitions = No status change is available to you now.
case-move-to = Move to: { $to }
field-reason = Reason
field-departure-date = Departure date
field-transport = Transport
field-travel-document = Travel document
case-history = History
col-when = When
col-from = From
col-to = To
case-notes = Notes
case-no-notes = No notes yet.
withheld = Withheld: { $class } information that your role may not see.
field-note = New note
field-sensitivity = Kind of information
case-add-note = Add note

# Household form
form-new-title = Register a household
form-edit-title = Edit household
hint-country = Two-letter code, e.g. XK for Kosovo, GN for Guinea.
hint-members = Exactly one principal applicant. Leave a row empty to skip it.
form-member = Member { $value }
field-family-name = Family name
field-given-names = Given names
field-other-names = Other spellings
hint-list = Separate several with commas.
field-birth-date = Birth date
hint-birth-date = Like 12/03/1985, or 03/1985 or 1985 when only that is known.
hint-nationalities = Two-letter codes, separated by commas.
form-remove-member = Remove this member
form-add-member = Add a member
form-save = Save

# Users
users-title = Users
users-created = Account { $value } created.
users-new = New account
users-create = Create account
field-display-name = Name
field-role = Role
field-partner-org = Partner organisation
field-active = Active

# Values
status-intake = Intake
status-assessed = Assessed
status-plan_approved = Plan approved
status-departure_booked = Departure booked
status-departed = Departed
status-arrived = Arrived
status-in_reintegration = In reintegration
status-monitoring = Monitoring
status-closed = Closed
status-withdrawn = Withdrawn
status-no_show = No-show
action-intake = Reopen intake
action-assessed = Mark as assessed
action-plan_approved = Approve the plan
action-departure_booked = Book the departure
action-departed = Confirm departure
action-arrived = Confirm arrival
action-in_reintegration = Start reintegration
action-monitoring = Start monitoring
action-closed = Close the case
action-withdrawn = Withdraw (the returnee changed their mind)
action-no_show = Record a no-show
relationship-principal = Principal applicant
relationship-partner = Partner
relationship-child = Child
relationship-other = Other
sex-female = Female
sex-male = Male
sex-other = Other
sex-unknown = Unknown
location-reception_centre = Reception centre
location-private_address = Private address
location-other = Other
transport-plane = Plane
transport-bus = Bus
transport-train = Train
transport-car = Car
travel-document-valid = Valid document
travel-document-requested = Requested
travel-document-issued = Issued
travel-document-missing = Missing
outcome-pending = Pending
outcome-granted = Granted
outcome-subsidiary_protection = Subsidiary protection
outcome-rejected = Rejected
outcome-withdrawn = Withdrawn
sensitivity-general = General
sensitivity-medical = Medical
sensitivity-trafficking = Human trafficking
sensitivity-minor_welfare = Welfare of a minor
role-counsellor = Return counsellor
role-medical_advisor = Medical advisor
role-programme_manager = Programme manager
role-partner_caseworker = Partner caseworker
role-auditor = Auditor
role-data_protection_officer = Data-protection officer
role-admin = Administrator
users-actions = Actions
users-deactivate = Deactivate { $value }
users-activate = Reactivate { $value }
case-travel-document-hint = The returnee can only leave with a valid travel document, or one issued for the journey.
field-on-departed = Day of departure
field-on-arrived = Day of arrival
case-waiting-for = Next: { $to }, by { $roles }.
reason-registered = Registered
reason-plan-approved = Reintegration plan approved
reason-arrival-confirmed = Arrival confirmed
form-choose = Choose…
hint-pick-several = Hold Ctrl (or ⌘) to pick more than one.
queue-plans-to-approve = Plans waiting for your approval
queue-medical-to-price = Medical cases waiting for pricing
queue-entitlement-changes = Households changed after approval: confirm or keep the entitlement
queue-arrivals-to-confirm = Arrivals to confirm
queue-visits-due = Visits due this week
queue-empty = Nothing waiting.
queue-all = Show all
queue-detail = Amount or day
home-sensitive-reads = Latest reads of special-category fields
queue-status = Cases: { $status }

match-same-name = Same name
match-name-spelled = Written { $value }
match-same-birth-date = Same birth date
match-same-birth-month = Same birth month
match-same-birth-year = Same birth year
match-birth-date-close = Birth date nearly the same
match-birth-date-differs = Other birth date
match-sex-differs = Other sex
match-same-nationality = Same nationality
col-why = Why found

matches-title = Retour may already know these persons
matches-intro = Check whether a member of this household is a person below before you register it.
matches-other-office = a case of office { $office } (ask that office)
matches-prior-support = Received support on { $date }: the exclusion will be proposed
matches-then = If it is a different person, register anyway: a programme manager will review each possible match; nothing is merged or excluded without their decision.
matches-register-anyway = Different person: register anyway
matches-cancel = Cancel

nav-reviews = Possible duplicates
reviews-title = Possible duplicates and prior beneficiaries
reviews-intro = Found when a household was registered. Decide each one: nothing is merged or excluded without your decision.
reviews-none = Nothing to decide.
reviews-kind-prior = Prior beneficiary?
reviews-kind-duplicate = The same person twice?
reviews-new = New case
reviews-earlier = Earlier case
reviews-support-on = Last support received
reviews-why = Why found
reviews-reason = Reason for your decision
reviews-confirm = Same person
reviews-confirm-prior = Same person: apply the exclusion
reviews-dismiss = Different person

## Accounts
account-title = My account
account-language = Language of the pages
account-language-save = Save language
account-password = Password
account-password-change = Change password
account-password-changed = Your password has been changed. Your other sessions have been signed out.
account-password-hint = At least { $value } characters.
field-current = Current password
field-new-password = New password
field-password-again = New password again
users-edit-title = Account { $value }
users-save = Save changes
users-saved = Changes saved. The account signs in again to work with them.
users-office-hint = The office whose cases a counsellor sees.
users-partner-hint = The partner organisation of a partner caseworker (for example iom-xk).
users-reset-title = Forgotten password
users-reset-intro = Make a one-time link with which the account holder sets a new password. Hand it over yourself: Retour sends no e-mail.
users-reset-link = Make a reset link for { $value }
users-reset-link-made = Reset link for { $value }:
users-reset-link-hint = The link works once, for { $count } hours. A new link replaces this one.
reset-title = Set a new password
reset-intro = New password for { $value }.
reset-save = Set password
reset-done = Your password has been set. Sign in with it.
reset-invalid = This link no longer works: it has been used, replaced by a newer one, or it has expired. Ask your administrator for a new one.

search-households = { $count ->
    [one] One household found
   *[other] { $count } households found
}
search-any-nationality = Any nationality
col-found-members = Members found

## Offices
nav-offices = Offices
offices-title = Offices
offices-intro = The return desks and reception centres that cases and counsellors belong to. The code is what cases refer to and never changes; the name is what pages show.
offices-name-of = Name of office { $value }
offices-rename = Rename { $value }
offices-new = New office
offices-create = Add office
offices-code-hint = 2 to 40 lower-case letters, digits or hyphens, for example poelkapelle.
field-id = Code
office-none = — none —

# Subject access export
subject-export = Subject access
subject-export-of = Export for { $name }
subject-title = Subject access export
subject-generated = Made on { $date } by { $name }.
subject-intro = Everything Retour holds about this person, as asked under article 15 of the GDPR. The other household members' data is left out; they appear only by their relationship.
subject-download-json = Download as JSON
subject-person = Personal data
subject-family-name = Family name
subject-given-names = Given names
subject-documents = Identity documents
subject-case = Case
subject-departed = Left on
subject-arrived = Arrived on
subject-other-members = Other household members
subject-notes = Notes
subject-none = Nothing recorded.
subject-entitlement = Entitlement and amounts
subject-component = Component
subject-rule = Rule
subject-amount = Amount
subject-premium-paid = Departure premium of { $amount } paid on { $date }.
subject-plan = Reintegration plan and payments
subject-category = Category
subject-description = Description
subject-planned = Planned
subject-approved = Approved
subject-spent = Spent
subject-payments = Payments
subject-paid-on = Paid on
subject-vendor = Supplier
subject-child = As a minor
subject-assessed-on = Best interests assessed on
subject-visits = Follow-up after return
subject-consents = Consents
subject-withdrawn-on = withdrawn on { $date }
subject-accesses = Who read or changed the case
subject-accesses-intro = From the audit trail: every change and every read of sensitive data, newest first.
subject-who = Who
subject-what = What
subject-operator = Operator (command line)

## Two-step sign-in
login-expired = Your sign-in took too long or was interrupted. Sign in again with your password.
mfa-code-title = Sign-in code
mfa-code-intro = Enter the six-digit code your authenticator app shows for Retour.
mfa-code-field = Code
mfa-code-hint = Lost your phone? Enter one of your recovery codes instead (like abcde-fgh23).
mfa-code-refused = That code is not correct, or was used already. Enter the code the app shows now.
mfa-start-again = Start again with your password
mfa-enrol-title = Set up two-step sign-in
mfa-enrol-intro = Your account reads or approves special-category data, so after your password it also asks for a code from an authenticator app on your phone (such as FreeOTP, Aegis, Google Authenticator or Microsoft Authenticator).
mfa-enrol-scan = In the app, add an account and scan this QR code.
mfa-enrol-type = No camera? Type this key into the app instead:
mfa-enrol-confirm = Enter the six-digit code the app now shows for Retour.
mfa-enrol-code-hint = Six digits; a new code every 30 seconds.
mfa-enrol-submit = Confirm and sign in
mfa-recovery-title = Your recovery codes
mfa-recovery-done = Two-step sign-in is on for your account.
mfa-recovery-intro = If you lose your phone, each of these codes signs you in once instead of a code from the app. Write them down or print this page, and keep them apart from your phone.
mfa-recovery-once = They are shown only now. An administrator can reset your second factor if you lose both.
mfa-recovery-continue = Continue
mfa-account-title = Two-step sign-in
mfa-account-on = On: after your password Retour asks for a code from your app. { $count ->
    [one] One recovery code left.
   *[other] { $count } recovery codes left.
}
mfa-account-off = Off: your password alone signs you in.
mfa-account-required = Your role requires it: you set it up at your next sign-in.
mfa-account-setup = Set up two-step sign-in
mfa-admin-on = Two-step sign-in is on. { $count ->
    [one] One recovery code left.
   *[other] { $count } recovery codes left.
}
mfa-admin-off = Two-step sign-in is off.
mfa-admin-reset-intro = Lost phone and recovery codes? Resetting ends the account's sessions; at its next sign-in it sets up two-step sign-in again if its role requires it.
mfa-admin-reset = Reset two-step sign-in of { $value }
mfa-admin-reset-done = Two-step sign-in was reset; the account's sessions have ended.

## Break-glass access
bg-title = Break-glass access
bg-intro = In an emergency you may open a case or a part of it you cannot normally read: the case of another office, or its medical, trafficking or minors' welfare details. Access lasts { $count ->
    [one] one hour
   *[other] { $count } hours
} and lets you read only. It is recorded with your reason; the case's counsellor and the programme managers are told and see why. Some cases cannot be opened this way.
bg-reference = Case reference
bg-what = What to open
bg-what-case = The case (another office's)
bg-what-medical = Medical details
bg-what-trafficking = Trafficking details
bg-what-minor_welfare = Minors' welfare
bg-reason-hint = What happened and why it cannot wait. The case's counsellor, the programme managers and the auditors read this.
bg-submit = Open access now
bg-reading-until = You are reading this case through break-glass access, until { $value }.
bg-case-link = Break-glass access to this case
bg-open-link = Open break-glass access to what you cannot read here
bg-case-title = Break-glass access to { $value }
bg-all-title = Break-glass access, all cases
bg-back-to-case = Case { $value }
bg-list-intro = Who opened what they could not normally read, when, for how long and why.
bg-none = Nobody has opened break-glass access.
bg-col-who = Who
bg-col-opened = Opened
bg-col-until = Until
bg-running = still open
bg-search-hint = A case of another office you must see in an emergency?
task-break_glass = Someone opened break-glass access: check who and why
bg-col-what = What
proof-erased-short = deleted (retention period over)
person-pseudonymised = (pseudonymised: name erased after the retention period)
reviews-decided = Decided lately
reviews-decided-intro = A decision was wrong? Undo it: the two records were never changed, the question is open again, and a prior beneficiary's exclusion lifts until it is decided anew.
reviews-was-same = Same person
reviews-was-different = Different persons
reviews-undo-reason = Why it is undone
reviews-undo = Undo this decision
