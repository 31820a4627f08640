# Cadre
skip-to-content = Aller au contenu
nav-label = Menu principal
nav-home = Accueil
nav-search = Rechercher un dossier
nav-new-case = Nouveau dossier
nav-users = Utilisateurs
sign-out = Se déconnecter
language = Langue
footer-text = Retour — gestion des dossiers de retour volontaire et de réintégration. Les données à caractère personnel sont traitées uniquement aux fins du retour et de la réintégration des personnes concernées.
error-title = Un problème est survenu
error-status = Code d’erreur { $value }
back-home = Retour à la page d’accueil
error-csrf = Ce formulaire a expiré ou ne provient pas de Retour. Rechargez la page et réessayez.
error-search-too-short = Saisissez au moins { $value } caractères.
yes = oui
no = non
next-page = Page suivante

# Connexion
login-title = Connexion
login-intro = Connectez-vous avec votre compte du personnel Retour.
field-email = Adresse e-mail
field-password = Mot de passe
sign-in = Se connecter
login-refused = L’adresse e-mail ou le mot de passe est incorrect.
login-throttled = Trop de tentatives échouées pour cette adresse. Attendez 15 minutes et réessayez.

# Accueil
home-title = Mon travail
home-counts = Dossiers par statut
home-no-cases = Il n’y a encore aucun dossier.
home-my-cases = Mes dossiers
home-no-my-cases = Aucun dossier ne vous est encore attribué.
col-status = Statut
col-count = Dossiers
col-total = Total
col-reference = Référence
col-principal = Demandeur principal
col-destination = Pays de retour

# Recherche
search-title = Rechercher un dossier
search-intro = Recherchez par référence de dossier (R-2026-000123) ou par un nom, quelle qu’en soit l’orthographe. L’année de naissance et la nationalité affinent le résultat.
search-q = Référence ou nom
search-birth-year = Année de naissance
search-nationality = Nationalité (code)
search-button = Rechercher
search-results = { $count ->
    [one] Une personne trouvée
   *[other] { $count } personnes trouvées
}
search-results-caption = Personnes correspondant à la recherche, de la plus à la moins pertinente
search-truncated = Plus de personnes correspondent que celles affichées. Ajoutez une année de naissance ou une nationalité pour affiner la recherche.
search-none = Personne ne correspond. Vérifiez l’orthographe ou recherchez par référence.
col-name = Nom
col-relationship = Lien de parenté
col-birth = Naissance

# Page du dossier
case-title = Dossier
form-has-errors = Veuillez corriger les points suivants :
case-household = Ménage
field-destination-country = Pays de retour
field-destination-place = Lieu de retour
field-location = Lieu de séjour actuel
field-location-name = Centre d’accueil ou adresse
field-office = Bureau
field-application-date = Date de la demande
field-planned-departure = Date de départ prévue
case-departure = Départ
case-edit = Modifier le ménage
case-members = Membres
case-ages-on = Âges au { $date } (départ prévu, ou aujourd’hui)
col-age = Âge
col-sex = Sexe
col-nationalities = Nationalités
col-languages = Langues
col-other-names = Autres orthographes
case-asylum = Parcours d’asile
case-lifecycle = Statut
case-no-transitions = Aucun changement de statut ne vous est possible pour le moment.
case-move-to = Passer au statut : { $to }
field-reason = Motif
field-departure-date = Date de départ
field-transport = Transport
field-travel-document = Document de voyage
case-history = Historique
col-when = Quand
col-from = De
col-to = Vers
case-notes = Notes
case-no-notes = Aucune note pour l’instant.
withheld = Masqué : votre rôle ne permet pas de consulter cette information (catégorie : { $class }).
field-note = Nouvelle note
field-sensitivity = Type d’information
case-add-note = Ajouter la note

# Formulaire du ménage
form-new-title = Enregistrer un ménage
form-edit-title = Modifier le ménage
hint-country = Code à deux lettres, p. ex. XK pour le Kosovo, GN pour la Guinée.
hint-members = Exactement un demandeur principal. Laissez une ligne vide pour l’ignorer.
form-member = Membre { $value }
field-family-name = Nom de famille
field-given-names = Prénoms
field-other-names = Autres orthographes
hint-list = Séparez plusieurs valeurs par des virgules.
field-birth-date = Date de naissance
hint-birth-date = AAAA-MM-JJ, ou AAAA-MM ou AAAA si seule cette information est connue.
hint-nationalities = Codes à deux lettres, séparés par des virgules.
form-remove-member = Retirer ce membre
form-add-member = Ajouter un membre
form-save = Enregistrer

# Utilisateurs
users-title = Utilisateurs
users-created = Compte { $value } créé.
users-new = Nouveau compte
users-create = Créer le compte
field-display-name = Nom
field-role = Rôle
field-partner-org = Organisation partenaire
field-active = Actif

# Valeurs
status-intake = Inscription
status-assessed = Évalué
status-plan_approved = Plan approuvé
status-departure_booked = Départ réservé
status-departed = Parti
status-arrived = Arrivé
status-in_reintegration = En réintégration
status-monitoring = Suivi
status-closed = Clôturé
status-withdrawn = Retiré
status-no_show = Absent au départ
action-intake = Rouvrir l’inscription
action-assessed = Marquer comme évalué
action-plan_approved = Approuver le plan
action-departure_booked = Réserver le départ
action-departed = Confirmer le départ
action-arrived = Confirmer l’arrivée
action-in_reintegration = Commencer la réintégration
action-monitoring = Commencer le suivi
action-closed = Clôturer le dossier
action-withdrawn = Retirer (la personne renonce au retour)
action-no_show = Enregistrer une absence au départ
relationship-principal = Demandeur principal
relationship-partner = Partenaire
relationship-child = Enfant
relationship-other = Autre
sex-female = Femme
sex-male = Homme
sex-other = Autre
sex-unknown = Inconnu
location-reception_centre = Centre d’accueil
location-private_address = Adresse privée
location-other = Autre
transport-plane = Avion
transport-bus = Bus
transport-train = Train
transport-car = Voiture
travel-document-valid = Document valable
travel-document-requested = Demandé
travel-document-issued = Délivré
travel-document-missing = Manquant
outcome-pending = En cours
outcome-granted = Accordé
outcome-subsidiary_protection = Protection subsidiaire
outcome-rejected = Refusé
outcome-withdrawn = Retiré
sensitivity-general = Général
sensitivity-medical = Médical
sensitivity-trafficking = Traite des êtres humains
sensitivity-minor_welfare = Bien-être d’un mineur
role-counsellor = Accompagnateur de retour
role-medical_advisor = Conseiller médical
role-programme_manager = Gestionnaire de programme
role-partner_caseworker = Collaborateur de l’organisation partenaire
role-auditor = Auditeur
role-admin = Administrateur
users-actions = Actions
users-deactivate = Désactiver { $value }
users-activate = Réactiver { $value }
