error-unknown-country = « { $value } » n’est pas un code de pays connu (ISO 3166-1 alpha-2, le Kosovo est XK).
error-bad-date = « { $value } » n’est pas une date : écrivez-la comme 20/04/2026 (une date de naissance peut aussi être 04/1985 ou 1985).
error-birth-date-in-future = La date de naissance { $value } est dans le futur.
error-required = Ce champ est obligatoire.
error-too-long = C’est trop long ({ $max } au maximum).
error-no-principal = Le ménage doit avoir exactement un demandeur principal ; aucun n’a été indiqué.
error-several-principals = Le ménage doit avoir exactement un demandeur principal ; plusieurs ont été indiqués.
error-duplicate-member = { $name } fait déjà partie de ce ménage.
error-bad-reference = « { $value } » n’est pas une référence de dossier (comme R-2026-000123).
error-unknown-value = « { $value } » ne fait pas partie des valeurs permises.
error-illegal-transition = Un dossier ne peut pas passer de « { $from } » à « { $to } ».
error-date-order = La date { $later } ne peut pas précéder le { $earlier }.
error-bad-email = « { $value } » n’est pas une adresse e-mail.
error-password-too-short = Le mot de passe doit compter au moins { $value } caractères.
error-medical-need-amount = Indiquez pour « { $value } » un montant mensuel ou un montant unique, pas les deux ni aucun.
error-bad-amount = « { $value } » n’est pas un montant : écrivez-le comme { $example }.
error-negative-amount = Le montant { $value } ne peut pas être négatif.
error-too-many-decimals = « { $value } » a plus de décimales que ce montant ne peut en avoir : écrivez-le comme { $example }.
error-generic = La saisie a été refusée ({ $value }).
error-field = { $field } : { $message }
error-not-found = Introuvable, ou pas accessible pour vous.
error-forbidden = Vous n’êtes pas autorisé à faire ceci.
error-conflict = Quelqu’un d’autre a modifié ce dossier entre-temps. Rechargez-le et refaites votre modification.
error-duplicate = Cela existe déjà.
error-unauthenticated = Veuillez vous connecter.
error-internal = Un problème est survenu de notre côté. Rien n’a été enregistré. Veuillez réessayer.
error-busy = Beaucoup de personnes enregistrent en ce moment. Rien n’a été enregistré : réessayez dans quelques secondes.
error-invalid = La saisie a été refusée.
error-bad-json = La demande n’a pas pu être lue : { $detail }
cli-database-unavailable = La base de données ne peut pas être ouverte
cli-migrated = La base de données est à jour.
cli-cannot-bind = Impossible d’écouter sur
cli-listening = Retour fonctionne. Ouvrez { $url } dans votre navigateur (Ctrl+C l’arrête).
cli-password-prompt = Mot de passe (au moins 12 caractères) :
cli-user-added = Compte { $value } ajouté.
cli-token-created = Jeton { $value } créé. Il est affiché une seule fois, ci-dessous ; gardez-le secret.
cli-token-revoked = Le jeton est révoqué.
cli-demo-loaded = Données de démonstration chargées. Connexions de démonstration (nouveaux mots de passe à chaque chargement) :
cli-demo-no-mfa = Démo : chaque compte se connecte avec son seul mot de passe. Hors démo, les conseillers médicaux, responsables de programme, auditeurs, délégués à la protection des données et administrateurs ont aussi besoin d’un code d’une application d’authentification (paramètre mfa_roles).
cli-mfa-reset = La connexion en deux étapes de { $value } a été réinitialisée ; ses sessions ont pris fin.
cli-generated = { $count } ménages générés en { $seconds } s ({ $rate } par seconde).
error-no-policy = Aucune politique n’est en vigueur le { $value } : chargez-en une avec `retour policy load`.
cli-policy-ok = { $value } : la politique est valable.
cli-policy-loaded = Politique { $value } enregistrée.
cli-policy-problems = { $value } contient des erreurs :
error-entitlement-frozen = Le droit à l’aide du dossier { $value } a été figé à l’approbation du plan ; il ne peut plus changer.
error-entitlement-incomplete = Le droit à l’aide du dossier { $value } ne peut pas encore être calculé : la date de la demande et la date de départ prévue sont nécessaires.
error-premium-above-entitlement = La prime versée ne peut pas dépasser la prime de réinstallation de { $value }.
sim-households = Ménages
sim-before = Avant
sim-after = Après (projet)
sim-difference = Différence
sim-skipped = { $count } dossiers n’ont pas été comptés : la date de la demande ou de départ prévue manque.
error-amount-too-large = « { $value } » est trop grand pour un montant.
error-too-many = { $value } éléments au maximum, s’il vous plaît.
error-control-character = Ce texte contient un caractère de contrôle invisible (à la position { $value }) : supprimez-le.
error-birth-date-too-old = « { $value } » remonte à plus de 120 ans : vérifiez l’année.
error-too-large = Ce qui a été envoyé est trop volumineux pour être accepté.
error-bad-request = La demande n’a pas pu être lue.
error-method-not-allowed = Cette adresse n’accepte pas cette méthode.
error-travel-document-not-ready = Le document de voyage est « { $value } » : la personne ne peut pas partir avant qu’il soit valide ou délivré. Enregistrez à nouveau la réservation avec le statut du document.
error-arrival-recorded = L’arrivée du dossier { $value } est déjà enregistrée.
error-not-departed = Le dossier { $value } n’est pas encore parti : confirmez d’abord le départ.
cli-import-invalid = { $count ->
    [one] Une ligne est invalide
   *[other] { $count } lignes sont invalides
  } : rien n’a été enregistré (utilisez --skip-invalid pour enregistrer les autres).
cli-import-duplicate = { $name } est peut-être la personne du dossier { $reference } (score { $value })
cli-import-prior = { $name } a peut-être reçu une aide dans le dossier { $reference } (score { $value }) : l’exclusion sera proposée
cli-import-done = { $count ->
    [one] Un ménage enregistré
   *[other] { $count } ménages enregistrés
  }, { $value ->
    [one] une ligne ignorée
   *[other] { $value } lignes ignorées
  }.
cli-import-dry = Essai : rien n’a été enregistré ; { $value } lignes seraient ignorées.
error-password-mismatch = Les deux nouveaux mots de passe ne sont pas identiques.
error-password-wrong = Ce n’est pas votre mot de passe actuel.
error-born-after-departure = Cette date de naissance est postérieure à la date de départ prévue ({ $value }) : un enfant né pendant que la famille attend compte jusqu’au jour du départ.
error-task-needs-decision = Cette tâche se termine lorsqu’un responsable de programme confirme ou garde le droit à l’aide du dossier { $value }.
error-followup-recorded = Ce suivi est déjà enregistré, peut-être à l’instant par un·e collègue. La page l’affiche.
error-not-followed-up = Le dossier { $value } n’est pas en suivi : le suivi s’enregistre après l’arrivée, jusqu’à la clôture du dossier.
error-survey-without-followup = Un questionnaire appartient à un suivi prévu : choisissez le suivi, ou laissez les questions sans réponse.
error-task-needs-followup = Cette tâche se termine lorsque le suivi du dossier { $value } est enregistré.
error-instrument-not-loaded = Le questionnaire { $value } n’est pas chargé : un·e administrateur·rice le charge avec retour instrument load.
error-break-glass-reason-short = Dites ce qui s’est passé, en au moins { $value } caractères.
error-break-glass-no-case = Aucun dossier ne porte la référence « { $value } ».
error-break-glass-already = Vous pouvez déjà lire ceci dans le dossier { $value } : ouvrez le dossier.
error-break-glass-closed = Le dossier { $value } ne peut pas être ouvert par un accès d’urgence. Adressez-vous à son accompagnateur ou à un responsable de programme.
error-proof-erased = Ce justificatif a été supprimé le { $value }, à la fin de sa durée de conservation ; le paiement et son montant restent.
cli-retention-due = À effacer maintenant (rien n’a été effacé) : notes de { $notes } dossiers, noms de { $identities } dossiers, justificatifs de { $proofs } dossiers.
cli-retention-done = Effacé : notes de { $notes } dossiers ; pseudonymisé : noms de { $identities } dossiers ; supprimé : justificatifs de { $proofs } dossiers.
