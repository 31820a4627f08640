# Pages publiques (sans connexion)
nav-public-label = Informations
nav-public-about = Retour volontaire
nav-public-estimate = Estimation
nav-public-order = Commander le cahier d’activités
nav-staff-sign-in = Connexion du personnel

public-title = Retour volontaire et réintégration
public-intro = Le programme de retour volontaire aide les personnes qui souhaitent rentrer dans leur pays d’origine, ou dans un pays où elles sont admises, à rentrer dans la dignité et à y construire une nouvelle vie. Le retour est toujours volontaire : vous pouvez changer d’avis jusqu’au jour du départ.
public-offer-title = Ce que le programme offre
public-offer-travel = La préparation du voyage : documents de voyage, billet et aide à l’aéroport.
public-offer-premium = Une prime de réinstallation, versée en espèces au départ.
public-offer-reintegration = Une aide à la réintégration après l’arrivée, jamais en espèces : logement, mobilier, soins médicaux, scolarité, formation ou création d’une petite entreprise, payés directement aux fournisseurs.
public-offer-partner = Une organisation partenaire dans le pays de retour (comme l’OIM ou Caritas) vous accompagne après l’arrivée et suit votre situation.
public-estimate-link = Estimer ce qu’une famille pourrait recevoir (sans engagement)
public-who-title = Qui peut introduire une demande
public-who-text = Toute personne qui séjourne en Belgique et souhaite rentrer volontairement : demandeurs d’asile, personnes dont la demande a été refusée et personnes sans titre de séjour. Renseignez-vous auprès d’un guichet retour ou de votre centre d’accueil.
public-who-excluded = Les citoyens des anciens États membres de l’UE-15 et les personnes qui ont déjà reçu une aide au retour volontaire au cours des cinq dernières années ne peuvent pas introduire de demande. L’aide à la réintégration dépend du pays de retour.
public-vulnerable-title = Soutien aux groupes vulnérables
public-vulnerable-intro = Les personnes en situation de grande vulnérabilité reçoivent une aide à la réintégration adaptée à leurs besoins.
public-medical-title = Situations médicales (AMAAR)
public-medical-text = Les personnes ayant un dossier médical complexe, pour qui le programme général ne suffit pas, peuvent recevoir une assistance médicale adaptée après le retour (AMAAR). Elle est calculée sur la base des coûts médicaux réels dans le pays de retour et dure 6 mois.
public-trafficking-title = Victimes de la traite des êtres humains
public-trafficking-text = Les victimes de la traite des êtres humains reçoivent une aide à la réintégration et un accompagnement supplémentaires, avec une attention particulière à leur sécurité.
public-minors-title = Mineurs non accompagnés
public-minors-text = Les (anciens) mineurs non accompagnés reçoivent un soutien supplémentaire. Un enfant ne rentre qu’après une évaluation de son intérêt supérieur, avec l’implication d’un tuteur, et après avoir vérifié qu’un membre de la famille, un tuteur ou une structure d’accueil l’attend dans le pays de retour.
public-families-title = Familles avec enfants
public-families-text = Les familles avec enfants reçoivent une aide à la réintégration complémentaire et un accompagnement adapté pour les enfants. Si les parents sont d’accord, l’assistant social remet aux enfants de 6 à 12 ans un cahier d’activités, pour se souvenir de la Belgique, de leur école et de leurs amis, et pour se préparer au départ et à l’arrivée.
public-order-link = Organisations : commander le cahier d’activités
public-contact-title = Nous contacter
public-contact-text = Parlez-en à l’assistant social de votre centre d’accueil, ou rendez-vous à un guichet retour de votre région. L’entretien est gratuit et confidentiel, et ne vous engage à rien.
public-contact-voluntary = Le retour reste volontaire jusqu’au bout : c’est vous qui décidez.

# Estimation
estimate-title = Estimer l’aide pour une famille
estimate-non-binding = Ceci est une estimation sans engagement. L’aide réelle est décidée lors de l’examen de votre dossier, selon les règles en vigueur à ce moment. Rien de ce que vous saisissez ici n’est conservé.
estimate-intro = Indiquez le pays de retour, la date de départ prévue et la composition de la famille.
estimate-destination = Pays de retour (code à deux lettres)
estimate-destination-hint = Le code pays à deux lettres, par exemple GN pour la Guinée, XK pour le Kosovo, AF pour l’Afghanistan.
estimate-departure = Date de départ prévue (facultative)
estimate-adults = Adultes dans la famille
estimate-children = Enfants
estimate-children-hint = Date de naissance de chaque enfant (AAAA-MM-JJ, ou seulement l’année), y compris un bébé né pendant que vous attendez le départ. Laissez les autres lignes vides.
estimate-child-birth = Date de naissance de l’enfant { $count }
estimate-button = Estimer
estimate-result = Estimation
estimate-ineligible = Avec cette nationalité, le programme ne peut pas offrir d’aide.
estimate-lines = Ce que la famille pourrait recevoir, et la règle derrière chaque montant
estimate-needs-approval = soumis à l’approbation du gestionnaire de programme
estimate-in-kind = Aide à la réintégration (en nature)
estimate-total = Total, sans engagement
estimate-vulnerable = L’assistance médicale (AMAAR) et l’aide aux victimes de la traite ou aux mineurs non accompagnés sont évaluées individuellement et ne sont pas comprises.
estimate-adult = Adulte { $count }
estimate-child = Enfant { $count }

# Commande du cahier d’activités
order-title = Commander le cahier d’activités pour enfants
order-intro = Les organisations qui accompagnent des familles avec enfants vers un retour volontaire peuvent commander gratuitement le cahier d’activités, en néerlandais, en français ou en anglais.
field-contact-name = Personne de contact
order-editions = Exemplaires par édition linguistique
order-editions-hint = De 1 à 500 exemplaires par édition ; laissez vide une édition dont vous n’avez pas besoin.
order-button = Envoyer la commande
order-privacy = Nous n’utilisons ces données que pour livrer votre commande et vous contacter à son sujet.
order-done-title = Merci pour votre commande
order-done-number = Votre numéro de commande est { $reference }.
order-done-next = Nous enverrons les cahiers d’activités à l’adresse indiquée et contacterons { $value } si quelque chose n’est pas clair.
order-throttled = Trop de commandes ont été envoyées depuis votre connexion. Veuillez réessayer dans une heure.
order-refused = La commande n’a pas pu être acceptée.
