# Publieke pagina's (zonder aanmelden)
nav-public-label = Informatie
nav-public-about = Vrijwillige terugkeer
nav-public-estimate = Raming
nav-public-order = Doeboek bestellen
nav-staff-sign-in = Aanmelden personeel

public-title = Vrijwillige terugkeer en re-integratie
public-intro = Het programma vrijwillige terugkeer helpt mensen die willen terugkeren naar hun land van herkomst, of naar een land waar ze toegelaten zijn, om waardig terug te keren en er een nieuw leven op te bouwen. Terugkeer is altijd vrijwillig: u kunt van gedachten veranderen tot de dag van vertrek.
public-offer-title = Wat het programma biedt
public-offer-travel = Voorbereiding van de reis: reisdocumenten, het ticket en hulp op de luchthaven.
public-offer-premium = Een terugkeerpremie, contant uitbetaald bij vertrek.
public-offer-reintegration = Re-integratiesteun na aankomst, nooit in contanten: huisvesting, meubels, medische zorg, onderwijs, opleiding of het opstarten van een kleine onderneming, rechtstreeks betaald aan de leveranciers.
public-offer-partner = Een partnerorganisatie in het land van terugkeer (zoals IOM of Caritas) begeleidt u na aankomst en volgt op hoe het met u gaat.
public-estimate-link = Raming van wat een gezin zou kunnen krijgen (niet bindend)
public-who-title = Wie kan een aanvraag doen
public-who-text = Iedereen die in België verblijft en vrijwillig wil terugkeren: asielzoekers, mensen van wie de aanvraag werd geweigerd en mensen zonder verblijfsvergunning. Vraag het aan een terugkeerloket of in uw opvangcentrum.
public-who-excluded = Burgers van de vroegere EU-15-lidstaten en mensen die de voorbije vijf jaar al steun voor vrijwillige terugkeer kregen, kunnen geen aanvraag doen. De re-integratiesteun hangt af van het land van terugkeer.
public-vulnerable-title = Steun voor kwetsbare groepen
public-vulnerable-intro = Mensen in een zeer kwetsbare situatie krijgen re-integratiesteun op maat van hun noden.
public-medical-title = Medische problematiek (AMAAR)
public-medical-text = Mensen met een complex medisch dossier, voor wie het algemene programma niet volstaat, kunnen aangepaste medische ondersteuning na terugkeer krijgen (AMAAR). Die wordt berekend op basis van de reële medische kosten in het land van terugkeer en loopt 6 maanden.
public-trafficking-title = Slachtoffers van mensenhandel
public-trafficking-text = Slachtoffers van mensenhandel krijgen extra re-integratiesteun en begeleiding, met bijzondere aandacht voor hun veiligheid.
public-minors-title = Niet-begeleide minderjarigen
public-minors-text = (Ex-)niet-begeleide minderjarigen krijgen extra steun. Een kind keert pas terug na een beoordeling van zijn hoger belang, met betrokkenheid van een voogd, en nadat is nagegaan dat een familielid, een voogd of een opvangvoorziening het kind in het land van terugkeer opwacht.
public-families-title = Gezinnen met kinderen
public-families-text = Gezinnen met kinderen krijgen aanvullende re-integratiesteun en aangepaste begeleiding voor de kinderen. Als de ouders akkoord gaan, geeft de maatschappelijk werker kinderen van 6 tot 12 jaar een doeboek, om zich België, hun school en vriendjes te herinneren en zich voor te bereiden op het vertrek en de aankomst.
public-order-link = Organisaties: het doeboek bestellen
public-contact-title = Contact opnemen
public-contact-text = Spreek de maatschappelijk werker van uw opvangcentrum aan, of ga naar een terugkeerloket in uw regio. Het gesprek is gratis en vertrouwelijk, en verplicht u tot niets.
public-contact-voluntary = Terugkeer blijft vrijwillig tot het einde: u beslist.

# Raming
estimate-title = Raming van de steun voor een gezin
estimate-non-binding = Dit is een niet-bindende raming. De werkelijke steun wordt bepaald bij de beoordeling van uw dossier, volgens de regels die dan gelden. Niets wat u hier invult, wordt bewaard.
estimate-intro = Geef het land van terugkeer, de geplande vertrekdatum en de samenstelling van het gezin.
estimate-destination = Land van terugkeer (code van twee letters)
estimate-destination-hint = De landcode van twee letters, bijvoorbeeld GN voor Guinee, XK voor Kosovo, AF voor Afghanistan.
estimate-departure = Geplande vertrekdatum (niet verplicht)
estimate-adults = Volwassenen in het gezin
estimate-children = Kinderen
estimate-children-hint = Geboortedatum van elk kind (JJJJ-MM-DD, of alleen het jaar), ook van een baby die geboren is terwijl u op het vertrek wacht. Laat de andere regels leeg.
estimate-child-birth = Geboortedatum van kind { $count }
estimate-button = Raming maken
estimate-result = Raming
estimate-ineligible = Met deze nationaliteit kan het programma geen steun bieden.
estimate-lines = Wat het gezin zou kunnen krijgen, en de regel achter elk bedrag
estimate-needs-approval = vraagt de goedkeuring van de programmabeheerder
estimate-in-kind = Re-integratiesteun (in natura)
estimate-total = Totaal, niet bindend
estimate-vulnerable = Medische ondersteuning (AMAAR) en steun voor slachtoffers van mensenhandel of niet-begeleide minderjarigen worden individueel beoordeeld en zijn hier niet meegerekend.
estimate-adult = Volwassene { $count }
estimate-child = Kind { $count }

# Bestelling doeboek
order-title = Het doeboek voor kinderen bestellen
order-intro = Organisaties die gezinnen met kinderen begeleiden bij vrijwillige terugkeer, kunnen het doeboek gratis bestellen, in het Nederlands, Frans of Engels.
field-contact-name = Contactpersoon
order-editions = Exemplaren per taaleditie
order-editions-hint = Van 1 tot 500 exemplaren per editie; laat een editie leeg als u ze niet nodig hebt.
order-button = Bestelling versturen
order-privacy = We gebruiken deze gegevens alleen om uw bestelling te leveren en u erover te contacteren.
order-done-title = Bedankt voor uw bestelling
order-done-number = Uw bestelnummer is { $reference }.
order-done-next = We sturen de doeboeken naar het opgegeven adres en nemen contact op met { $value } als iets onduidelijk is.
order-throttled = Er werden te veel bestellingen verstuurd vanaf uw verbinding. Probeer het over een uur opnieuw.
order-refused = De bestelling kon niet worden aanvaard.
