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
error-search-birth-year = « { $value } » n’est pas une année de naissance : tapez-la comme 1985.
error-search-page = Cette page de résultats n’est plus valable. Relancez la recherche.
error-limit-out-of-range = Demandez entre 1 et { $value } résultats.
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
search-nationality = Nationalité
search-button = Rechercher
search-results-caption = Ménages correspondant à la recherche, du plus au moins pertinent
search-truncated = Plus de personnes correspondent que ce qu’une page peut afficher. Ajoutez une année de naissance ou une nationalité pour affiner la recherche, ou passez à la page suivante.
search-households-page = Page { $page } : { $count ->
    [one] un ménage
   *[other] { $count } ménages
}
search-next-page = Page suivante
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
hint-birth-date = Comme 12/03/1985, ou 03/1985 ou 1985 si seule cette information est connue.
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
role-data_protection_officer = Délégué à la protection des données
role-admin = Administrateur
users-actions = Actions
users-deactivate = Désactiver { $value }
users-activate = Réactiver { $value }
case-travel-document-hint = La personne ne peut partir qu’avec un document de voyage valide, ou délivré pour le voyage.
field-on-departed = Jour du départ
field-on-arrived = Jour de l’arrivée
case-waiting-for = Étape suivante : { $to }, par { $roles }.
reason-registered = Enregistré
reason-plan-approved = Plan de réintégration approuvé
reason-arrival-confirmed = Arrivée confirmée
form-choose = Choisir…
hint-pick-several = Maintenez Ctrl (ou ⌘) pour en choisir plusieurs.
queue-plans-to-approve = Plans en attente de votre approbation
queue-medical-to-price = Dossiers médicaux en attente de chiffrage
queue-entitlement-changes = Ménages modifiés après l’approbation : confirmer ou garder le droit à l’aide
queue-arrivals-to-confirm = Arrivées à confirmer
queue-visits-due = Visites prévues cette semaine
queue-empty = Rien en attente.
queue-all = Tout afficher
queue-detail = Montant ou jour
home-sensitive-reads = Dernières lectures de données sensibles
queue-status = Dossiers : { $status }

match-same-name = Même nom
match-name-spelled = Écrit { $value }
match-same-birth-date = Même date de naissance
match-same-birth-month = Même mois de naissance
match-same-birth-year = Même année de naissance
match-birth-date-close = Date de naissance presque identique
match-birth-date-differs = Autre date de naissance
match-sex-differs = Autre sexe
match-same-nationality = Même nationalité
col-why = Pourquoi trouvé

matches-title = Retour connaît peut-être déjà ces personnes
matches-intro = Vérifiez si un membre de ce ménage est l’une des personnes ci-dessous avant de l’enregistrer.
matches-other-office = un dossier du bureau { $office } (renseignez-vous auprès de ce bureau)
matches-prior-support = A reçu une aide le { $date } : l’exclusion sera proposée
matches-then = S’il s’agit d’une autre personne, enregistrez quand même : un gestionnaire de programme examinera chaque correspondance possible ; rien n’est fusionné ni exclu sans sa décision.
matches-register-anyway = Autre personne : enregistrer quand même
matches-cancel = Annuler

nav-reviews = Doublons possibles
reviews-title = Doublons possibles et bénéficiaires antérieurs
reviews-intro = Trouvés lors de l’enregistrement d’un ménage. Décidez pour chacun : rien n’est fusionné ni exclu sans votre décision.
reviews-none = Rien à décider.
reviews-kind-prior = Bénéficiaire antérieur ?
reviews-kind-duplicate = Deux fois la même personne ?
reviews-new = Nouveau dossier
reviews-earlier = Dossier antérieur
reviews-support-on = Dernière aide reçue
reviews-why = Pourquoi trouvé
reviews-reason = Motif de votre décision
reviews-confirm = Même personne
reviews-confirm-prior = Même personne : appliquer l’exclusion
reviews-dismiss = Autre personne

## Accounts
account-title = Mon compte
account-language = Langue des pages
account-language-save = Enregistrer la langue
account-password = Mot de passe
account-password-change = Changer le mot de passe
account-password-changed = Votre mot de passe a été changé. Vos autres sessions ont été fermées.
account-password-hint = Au moins { $value } caractères.
field-current = Mot de passe actuel
field-new-password = Nouveau mot de passe
field-password-again = Nouveau mot de passe (confirmation)
users-edit-title = Compte { $value }
users-save = Enregistrer les modifications
users-saved = Modifications enregistrées. L’utilisateur se reconnecte pour en bénéficier.
users-office-hint = Le bureau dont un conseiller en retour voit les dossiers.
users-partner-hint = L’organisation partenaire d’un collaborateur partenaire (par exemple iom-xk).
users-reset-title = Mot de passe oublié
users-reset-intro = Créez un lien à usage unique avec lequel l’utilisateur choisit un nouveau mot de passe. Transmettez-le vous-même : Retour n’envoie pas d’e-mail.
users-reset-link = Créer un lien de réinitialisation pour { $value }
users-reset-link-made = Lien de réinitialisation pour { $value } :
users-reset-link-hint = Le lien fonctionne une seule fois, pendant { $count } heures. Un nouveau lien remplace celui-ci.
reset-title = Choisir un nouveau mot de passe
reset-intro = Nouveau mot de passe pour { $value }.
reset-save = Définir le mot de passe
reset-done = Votre mot de passe a été défini. Connectez-vous avec celui-ci.
reset-invalid = Ce lien ne fonctionne plus : il a déjà été utilisé, remplacé par un lien plus récent ou il a expiré. Demandez-en un nouveau à votre administrateur.

search-households = { $count ->
    [one] Un ménage trouvé
   *[other] { $count } ménages trouvés
}
search-any-nationality = Toute nationalité
col-found-members = Membres trouvés

## Offices
nav-offices = Bureaux
offices-title = Bureaux
offices-intro = Les guichets retour et centres d’accueil auxquels appartiennent les dossiers et les conseillers. Le code est ce à quoi les dossiers renvoient et ne change jamais ; le nom est ce que les pages affichent.
offices-name-of = Nom du bureau { $value }
offices-rename = Renommer { $value }
offices-new = Nouveau bureau
offices-create = Ajouter le bureau
offices-code-hint = 2 à 40 lettres minuscules, chiffres ou traits d’union, par exemple poelkapelle.
field-id = Code
office-none = — aucun —

# Subject access export
subject-export = Accès
subject-export-of = Export d’accès de { $name }
subject-title = Export d’accès aux données
subject-generated = Établi le { $date } par { $name }.
subject-intro = Tout ce que Retour conserve sur cette personne, au titre de l’article 15 du RGPD. Les données des autres membres du ménage n’y figurent pas ; ils ne sont cités que par leur lien de parenté.
subject-download-json = Télécharger en JSON
subject-person = Données personnelles
subject-family-name = Nom de famille
subject-given-names = Prénoms
subject-documents = Documents d’identité
subject-case = Dossier
subject-departed = Parti le
subject-arrived = Arrivé le
subject-other-members = Autres membres du ménage
subject-notes = Notes
subject-none = Rien d’enregistré.
subject-entitlement = Droits et montants
subject-component = Composante
subject-rule = Règle
subject-amount = Montant
subject-premium-paid = Prime de départ de { $amount } payée le { $date }.
subject-plan = Plan de réintégration et paiements
subject-category = Catégorie
subject-description = Description
subject-planned = Prévu
subject-approved = Approuvé
subject-spent = Dépensé
subject-payments = Paiements
subject-paid-on = Payé le
subject-vendor = Fournisseur
subject-child = En tant que mineur
subject-assessed-on = Intérêt supérieur évalué le
subject-visits = Suivi après le retour
subject-consents = Consentements
subject-withdrawn-on = retiré le { $date }
subject-accesses = Qui a lu ou modifié le dossier
subject-accesses-intro = Extrait du journal d’audit : chaque modification et chaque lecture de données sensibles, les plus récentes d’abord.
subject-who = Qui
subject-what = Quoi
subject-operator = Opérateur en ligne de commande

## Connexion en deux étapes
login-expired = Votre connexion a pris trop de temps ou a été interrompue. Reconnectez-vous avec votre mot de passe.
mfa-code-title = Code de connexion
mfa-code-intro = Saisissez le code à six chiffres que votre application d’authentification affiche pour Retour.
mfa-code-field = Code
mfa-code-hint = Téléphone perdu ? Saisissez plutôt l’un de vos codes de secours (comme abcde-fgh23).
mfa-code-refused = Ce code n’est pas correct ou a déjà été utilisé. Saisissez le code que l’application affiche maintenant.
mfa-start-again = Recommencer avec votre mot de passe
mfa-enrol-title = Activer la connexion en deux étapes
mfa-enrol-intro = Votre compte lit ou approuve des données de catégorie particulière : après votre mot de passe, Retour demande donc aussi un code d’une application d’authentification sur votre téléphone (comme FreeOTP, Aegis, Google Authenticator ou Microsoft Authenticator).
mfa-enrol-scan = Dans l’application, ajoutez un compte et scannez ce code QR.
mfa-enrol-type = Pas d’appareil photo ? Saisissez plutôt cette clé dans l’application :
mfa-enrol-confirm = Saisissez le code à six chiffres que l’application affiche maintenant pour Retour.
mfa-enrol-code-hint = Six chiffres ; un nouveau code toutes les 30 secondes.
mfa-enrol-submit = Confirmer et se connecter
mfa-recovery-title = Vos codes de secours
mfa-recovery-done = La connexion en deux étapes est activée pour votre compte.
mfa-recovery-intro = Si vous perdez votre téléphone, chacun de ces codes vous connecte une fois à la place d’un code de l’application. Notez-les ou imprimez cette page, et conservez-les à l’écart de votre téléphone.
mfa-recovery-once = Ils ne sont affichés que maintenant. Si vous perdez les deux, un administrateur peut réinitialiser votre deuxième étape.
mfa-recovery-continue = Continuer
mfa-account-title = Connexion en deux étapes
mfa-account-on = Activée : après votre mot de passe, Retour demande un code de votre application. { $count ->
    [one] Il reste un code de secours.
   *[other] Il reste { $count } codes de secours.
}
mfa-account-off = Désactivée : votre mot de passe seul vous connecte.
mfa-account-required = Votre rôle l’exige : vous l’activerez à votre prochaine connexion.
mfa-account-setup = Activer la connexion en deux étapes
mfa-admin-on = La connexion en deux étapes est activée. { $count ->
    [one] Il reste un code de secours.
   *[other] Il reste { $count } codes de secours.
}
mfa-admin-off = La connexion en deux étapes est désactivée.
mfa-admin-reset-intro = Téléphone et codes de secours perdus ? La réinitialisation met fin aux sessions du compte ; à sa prochaine connexion, il réactive la deuxième étape si son rôle l’exige.
mfa-admin-reset = Réinitialiser la deuxième étape de { $value }
mfa-admin-reset-done = La deuxième étape a été réinitialisée ; les sessions du compte ont pris fin.

## Accès d’urgence (bris de glace)
bg-title = Accès d’urgence
bg-intro = En cas d’urgence, vous pouvez ouvrir un dossier ou une partie d’un dossier que vous ne pouvez normalement pas lire : le dossier d’un autre bureau, ou ses données médicales, relatives à la traite ou au bien-être des mineurs. L’accès dure { $count ->
    [one] une heure
   *[other] { $count } heures
} et ne permet que la lecture. Il est enregistré avec votre motif ; l’accompagnateur du dossier et les responsables de programme sont prévenus et voient pourquoi. Certains dossiers ne peuvent pas être ouverts ainsi.
bg-reference = Référence du dossier
bg-what = Quoi ouvrir
bg-what-case = Le dossier (d’un autre bureau)
bg-what-medical = Données médicales
bg-what-trafficking = Données relatives à la traite
bg-what-minor_welfare = Bien-être des mineurs
bg-reason-hint = Ce qui s’est passé et pourquoi cela ne peut pas attendre. L’accompagnateur du dossier, les responsables de programme et les auditeurs lisent ce texte.
bg-submit = Ouvrir l’accès maintenant
bg-reading-until = Vous lisez ce dossier par un accès d’urgence, jusqu’au { $value }.
bg-case-link = Accès d’urgence à ce dossier
bg-open-link = Ouvrir un accès d’urgence à ce que vous ne pouvez pas lire ici
bg-case-title = Accès d’urgence à { $value }
bg-all-title = Accès d’urgence, tous les dossiers
bg-back-to-case = Dossier { $value }
bg-list-intro = Qui a ouvert ce qu’il ne pouvait normalement pas lire, quand, pour combien de temps et pourquoi.
bg-none = Personne n’a ouvert d’accès d’urgence.
bg-col-who = Qui
bg-col-opened = Ouvert le
bg-col-until = Jusqu’au
bg-running = encore ouvert
bg-search-hint = Un dossier d’un autre bureau que vous devez voir en urgence ?
task-break_glass = Quelqu’un a ouvert un accès d’urgence : vérifiez qui et pourquoi
bg-col-what = Quoi
proof-erased-short = supprimé (durée de conservation écoulée)
person-pseudonymised = (pseudonymisé : nom effacé après la durée de conservation)
reviews-decided = Décisions récentes
reviews-decided-intro = Une décision était erronée ? Annulez-la : les deux enregistrements n’ont jamais été modifiés, la question est à nouveau ouverte, et l’exclusion d’un ancien bénéficiaire est levée jusqu’à la nouvelle décision.
reviews-was-same = Même personne
reviews-was-different = Personnes différentes
reviews-undo-reason = Pourquoi elle est annulée
reviews-undo = Annuler cette décision
