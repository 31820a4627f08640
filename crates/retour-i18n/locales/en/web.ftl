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
search-nationality = Nationality (code)
search-button = Search
search-results = { $count ->
    [one] One person found
   *[other] { $count } persons found
}
search-results-caption = Persons matching the search, best match first
search-truncated = More persons match than are shown. Add a birth year or nationality to narrow the search.
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
hint-birth-date = YYYY-MM-DD, or YYYY-MM or YYYY when only that is known.
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
role-admin = Administrator
users-actions = Actions
users-deactivate = Deactivate { $value }
users-activate = Reactivate { $value }
