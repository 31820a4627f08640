# Public pages (no sign-in)
nav-public-label = Information
nav-public-about = Voluntary return
nav-public-estimate = Estimate
nav-public-order = Order the workbook
nav-staff-sign-in = Staff sign-in

public-title = Voluntary return and reintegration
public-intro = The voluntary return programme helps people who wish to go back to their country of origin, or to a country where they are admitted, to return in dignity and to build a new life there. Returning is always voluntary: you can change your mind until the day of departure.
public-offer-title = What the programme offers
public-offer-travel = Preparation of the journey: travel documents, the ticket and help at the airport.
public-offer-premium = A departure premium, paid in cash at departure.
public-offer-reintegration = Reintegration support after arrival, never in cash: housing, furniture, medical care, schooling, training or starting a small business, paid directly to providers.
public-offer-partner = A partner organisation in the country of return (such as IOM or Caritas) guides you after arrival and follows up how you are doing.
public-estimate-link = Estimate what a family could receive (non-binding)
public-who-title = Who can apply
public-who-text = Anyone who lives in Belgium and wishes to return voluntarily: asylum seekers, people whose application was refused, and people without a residence permit. Ask at a return desk or at your reception centre.
public-who-excluded = Citizens of the former EU-15 member states and people who already received voluntary-return support in the last five years cannot apply. Reintegration support depends on the country of return.
public-vulnerable-title = Support for vulnerable groups
public-vulnerable-intro = People in a very vulnerable situation receive reintegration support tailored to their needs.
public-medical-title = Medical cases (AMAAR)
public-medical-text = People with a complex medical condition, for whom the general programme is not enough, can receive adapted medical assistance after return (AMAAR). It is calculated from the real medical costs in the country of return and runs for 6 months.
public-trafficking-title = Victims of human trafficking
public-trafficking-text = Victims of human trafficking receive additional reintegration support and guidance, with particular attention to their safety.
public-minors-title = Unaccompanied minors
public-minors-text = (Former) unaccompanied minors receive additional support. A child returns only after a best-interests assessment, with a guardian involved, and once it is checked that a family member, guardian or reception facility awaits the child in the country of return.
public-families-title = Families with children
public-families-text = Families with children receive additional reintegration support and adapted guidance for the children. With the parents' agreement, the social worker gives children aged 6 to 12 an activity book, the workbook, to remember Belgium, their school and friends, and to prepare for the departure and the arrival.
public-order-link = Organisations: order the workbook
public-contact-title = How to get in touch
public-contact-text = Talk to the social worker of your reception centre, or go to a return desk in your region. The conversation is free and confidential, and does not commit you to anything.
public-contact-voluntary = Return stays voluntary to the end: you decide.

# Estimate
estimate-title = Estimate the support for a family
estimate-non-binding = This is a non-binding estimate. The real support is decided when your file is assessed, under the rules in force at that time. Nothing you enter here is stored.
estimate-intro = Give the country of return, the planned departure date and the family's composition.
estimate-destination = Country of return (two-letter code)
estimate-destination-hint = The two-letter country code, for example GN for Guinea, XK for Kosovo, AF for Afghanistan.
estimate-departure = Planned departure date (optional)
estimate-adults = Adults in the family
estimate-children = Children
estimate-children-hint = Birth date of each child (YYYY-MM-DD, or only the year), including a baby born while you wait to leave. Leave the other lines empty.
estimate-child-birth = Birth date of child { $count }
estimate-button = Estimate
estimate-result = Estimate
estimate-ineligible = With this nationality, the programme cannot offer support.
estimate-lines = What the family could receive, and the rule behind each amount
estimate-needs-approval = needs the programme manager's approval
estimate-in-kind = Reintegration support (in kind)
estimate-total = Total, non-binding
estimate-vulnerable = Medical support (AMAAR) and support for victims of trafficking or unaccompanied minors are assessed individually and are not included.
estimate-adult = Adult { $count }
estimate-child = Child { $count }

# Workbook order
order-title = Order the children's workbook
order-intro = Organisations that guide families with children towards voluntary return can order the workbook free of charge, in Dutch, French or English.
field-contact-name = Contact person
order-editions = Copies per language edition
order-editions-hint = From 1 to 500 copies per edition; leave an edition empty if you do not need it.
order-button = Send the order
order-privacy = We use these details only to deliver your order and to contact you about it.
order-done-title = Thank you for your order
order-done-number = Your order number is { $reference }.
order-done-next = We will send the workbooks to the address given and contact { $value } if anything is unclear.
order-throttled = Too many orders were sent from your connection. Please try again in an hour.
order-refused = The order could not be accepted.
