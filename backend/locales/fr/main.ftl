## Mise en page
nav-skip = Aller au contenu
nav-label = Principal
nav-profile = Mon profil
nav-admin = Administration
nav-sign-in = Se connecter
nav-sign-up = Créer un compte
nav-sign-out = Se déconnecter
footer-language = Langue
footer-language-apply = Changer
footer-tagline = Lantern — continuer d’apprendre, continuer de soigner. Logiciel libre, conçu pour les téléphones et les connexions lentes.
greeting = Bonjour, { $name }
choose = Choisir…
save = Enregistrer
remove = Supprimer
form-has-errors = Veuillez corriger les points suivants :

## Accueil
home-title = Une formation qui vous suit partout
home-lead = Des formations courtes et pratiques pour les infirmiers et infirmières, les sages-femmes, les médecins et les agents de santé communautaires — sur n’importe quel téléphone, même avec une connexion lente ou instable. Obtenez des crédits de DPC (développement professionnel continu) reconnus par votre ordre professionnel.
home-cta = Créer un compte gratuit
home-signed-in-lead = Tenez votre profil à jour pour que vos formations, vos crédits et vos mentors correspondent à votre travail.
home-profile-cta = Ouvrir mon profil
home-profile-title = Votre profil professionnel
home-profile-text = Indiquez votre profession, votre lieu d’exercice et les langues dans lesquelles vous apprenez, pour que les cours et les mentors correspondent à votre pratique.
home-licences-title = Vos licences au même endroit
home-licences-text = Ajoutez une fois vos numéros de licence ; votre ordre professionnel les confirme et, avec votre accord, reçoit vos crédits de DPC.
home-orgs-title = Pour les associations et les ordres professionnels
home-orgs-text = Invitez auteurs, relecteurs et agents dans votre organisation pour travailler ensemble sur les programmes et les règles de DPC.
home-phone-title = Conçu pour les téléphones et les connexions lentes
home-phone-text = Chaque page fonctionne sans application ni script, en français ou en anglais, sur un téléphone simple en 2G ou 3G.

## Inscription et connexion
sign-up-title = Créez votre compte
sign-up-lead = Cela ne prend qu’une minute. Nous vous enverrons un e-mail pour confirmer votre adresse.
sign-up-submit = Créer le compte
sign-up-have-account = Vous avez déjà un compte ?
sign-in-title = Connexion
sign-in-submit = Se connecter
sign-in-forgot = Mot de passe oublié ?
sign-in-wrong = L’adresse e-mail ou le mot de passe est incorrect. Vérifiez-les et réessayez.
sign-in-no-account = Vous découvrez Lantern ?
sign-in-link-title = Se connecter avec un lien reçu par e-mail
sign-in-link-lead = Aucun mot de passe à saisir : nous vous envoyons par e-mail un lien qui vous connecte une seule fois.
sign-in-link-cta = Recevoir un lien de connexion par e-mail
sign-in-link-submit = Envoyer le lien
sign-in-link-confirm-title = Connexion à Lantern
forgot-title = Réinitialiser votre mot de passe
forgot-lead = Saisissez l’adresse e-mail de votre compte et nous vous enverrons un lien pour choisir un nouveau mot de passe.
forgot-submit = Envoyer le lien de réinitialisation
link-sent = Si un compte utilise cette adresse, un e-mail contenant un lien est en route. Cela peut prendre quelques minutes ; pensez aussi à vérifier votre dossier de courrier indésirable (spam).
link-back-to-sign-in = Retour à la connexion
link-confirm-as = Continuer en tant que { $name } ?
verify-title = Confirmez votre adresse e-mail
verify-submit = Confirmer mon adresse
reset-title = Choisissez un nouveau mot de passe
reset-submit = Enregistrer le nouveau mot de passe
field-name = Nom complet
field-email = Adresse e-mail
field-password = Mot de passe
field-new-password = Nouveau mot de passe
field-current-password = Mot de passe actuel
password-hint = Au moins 10 caractères. Une courte phrase facile à retenir fonctionne bien ; évitez les mots de passe courants et votre propre nom.

## Problèmes dans les champs
name-required = Saisissez un nom.
name-too-long = Le nom est trop long (120 caractères au maximum).
email-invalid = Saisissez une adresse e-mail du type nom@exemple.org.
email-taken = Un compte utilise déjà cette adresse e-mail. Connectez-vous ou réinitialisez votre mot de passe.
password-too-short = Le mot de passe est trop court : utilisez au moins 10 caractères.
password-too-long = Le mot de passe est trop long (1 024 caractères au maximum).
password-too-weak = Ce mot de passe est trop facile à deviner. Essayez une phrase plus longue, composée de quelques mots sans rapport entre eux.
password-current-wrong = Le mot de passe actuel est incorrect.
profession-invalid = Choisissez une profession dans la liste.
country-invalid = Saisissez un code pays à deux lettres, par exemple SN, CI ou CM.
region-too-long = La région est trop longue (100 caractères au maximum).
setting-invalid = Choisissez « Rural » ou « Urbain ».
languages-invalid = Utilisez des codes de langue séparés par des virgules, par exemple fr, en.
languages-too-many = Indiquez 8 langues au maximum.
locale-invalid = Choisissez l’anglais ou le français.
regulator-invalid = Choisissez un ordre professionnel dans la liste.
licence-number-invalid = Saisissez le numéro de licence tel qu’il est imprimé (lettres, chiffres, -, / et . uniquement).
licence-duplicate = Vous avez déjà une licence auprès de cet ordre professionnel.
slug-invalid = Utilisez de 2 à 60 caractères : lettres minuscules, chiffres et traits d’union.
slug-taken = Une autre organisation utilise déjà ce nom court.
kind-invalid = Choisissez « Association professionnelle » ou « Ordre professionnel ».
role-invalid = Choisissez un rôle proposé par cette organisation.

## Profil
profile-title = Mon profil
profile-details = À propos de vous
profile-organisations = Vos organisations
email-verified = vérifiée
email-unverified = pas encore vérifiée
verify-prompt = Veuillez confirmer votre adresse e-mail grâce au lien que nous vous avons envoyé.
verify-resend = Renvoyer le lien
field-profession = Profession
field-country = Pays
country-hint = Code à deux lettres, par exemple SN pour le Sénégal ou CI pour la Côte d’Ivoire.
field-region = Région ou district
field-setting = Où travaillez-vous principalement ?
setting-rural = Rural
setting-urban = Urbain
field-languages = Langues dans lesquelles vous pouvez suivre des formations et un mentorat
languages-hint = Codes séparés par des virgules, par ordre de préférence : par exemple fr, en.
field-locale = Langue des pages de Lantern
field-data-saver = Économie de données : n’afficher les images que lorsque je les touche
profession-nurse = Infirmier / infirmière
profession-midwife = Sage-femme
profession-medical-doctor = Médecin
profession-clinical-officer = Officier de santé (clinical officer)
profession-community-health-worker = Agent de santé communautaire
profession-pharmacist = Pharmacien / pharmacienne
profession-other = Autre
licences-title = Licences d’exercice
licences-lead = Ajoutez vos numéros de licence pour que votre ordre professionnel puisse les confirmer et recevoir vos crédits de DPC lorsque vous l’acceptez.
licences-none = Aucune licence ajoutée pour l’instant.
field-regulator = Ordre professionnel
field-licence-number = Numéro de licence
licence-add = Ajouter la licence
licence-unverified = en attente de confirmation
licence-verified = confirmée
licence-rejected = non confirmée
password-title = Mot de passe
password-change = Changer le mot de passe
password-ends-sessions = Changer votre mot de passe vous déconnecte de tous vos autres appareils.
sessions-title = Appareils sur lesquels vous êtes connecté
sessions-this-one = cet appareil
sessions-since = Connexion le { $date }
sessions-unknown-device = Appareil inconnu
sessions-end-all = Se déconnecter de tous les appareils

## Organisations
organisations-title = Organisations
organisations-none = Vous n’appartenez encore à aucune organisation.
kind-association = Association professionnelle
kind-regulator = Ordre professionnel
role-member = Membre
role-author = Auteur
role-reviewer = Relecteur
role-admin = Administrateur
role-officer = Agent
members-title = Membres
members-none = Aucun membre pour l’instant.
invite-title = Inviter un membre
field-role = Rôle
invite-submit = Envoyer l’invitation
invitations-open = Invitations en attente de réponse
invitation-title = Invitation
invitation-lead = Vous êtes invité à rejoindre { $organisation } avec le rôle : { $role }.
invitation-accept = Accepter l’invitation
invitation-other-account = Cette invitation est destinée à { $email }. Déconnectez-vous, puis connectez-vous avec cette adresse pour l’accepter.
invitation-sign-in = Connectez-vous (ou créez un compte) avec { $email } pour accepter l’invitation.

## Administration de la plateforme
admin-title = Administration de la plateforme
admin-outbox-link = Boîte d’envoi des e-mails
admin-recent-accounts = Comptes les plus récents
organisation-new = Nouvelle organisation
organisation-create = Créer l’organisation
field-organisation-name = Nom
field-slug = Nom court (utilisé dans les adresses web)
slug-hint = Lettres minuscules, chiffres et traits d’union, par exemple eanma.
field-kind = Type
account-disable = Désactiver
account-disabled = désactivé
outbox-title = Boîte d’envoi des e-mails
outbox-pending = En attente
outbox-sending = En cours d’envoi
outbox-sent = Envoyé
outbox-failed = Échec
outbox-none-failed = Aucun message n’a échoué.
outbox-attempts = { $count ->
    [one] { $count } tentative
   *[other] { $count } tentatives
}
outbox-retry = Réessayer

## Messages après une action
notice-welcome = Bienvenue sur Lantern ! Nous vous avons envoyé un e-mail pour confirmer votre adresse.
notice-saved = Vos modifications sont enregistrées.
notice-signed-out = Vous êtes déconnecté.
notice-signed-out-everywhere = Vous êtes déconnecté de tous vos appareils.
notice-email-verified = Merci : votre adresse e-mail est confirmée.
notice-verification-sent = Nous vous avons envoyé un nouveau lien de confirmation.
notice-password-changed = Votre mot de passe a été modifié. Vos autres appareils ont été déconnectés.
notice-licence-added = Licence ajoutée. Votre ordre professionnel va la confirmer.
notice-licence-removed = Licence supprimée.
notice-invitation-sent = Invitation envoyée.
notice-member-removed = Membre retiré.
notice-joined = Vous avez rejoint l’organisation.
notice-organisation-created = Organisation créée.
notice-account-disabled = Le compte est désactivé et toutes ses sessions ont été fermées.
notice-retry-queued = Le message est de nouveau dans la file d’envoi.

## E-mails
email-greeting = Bonjour { $name },
email-verify-subject = Confirmez votre adresse e-mail pour Lantern
email-verify-intro = Merci d’avoir rejoint Lantern. Veuillez confirmer qu’il s’agit bien de votre adresse e-mail.
email-verify-action = Confirmer mon adresse
email-link-expiry = Ce lien ne fonctionne qu’une seule fois et expire dans { $hours } heures. Si vous n’avez pas créé de compte, ignorez cet e-mail.
email-link-expiry-minutes = Ce lien ne fonctionne qu’une seule fois et expire dans { $minutes } minutes. Si vous ne l’avez pas demandé, ignorez cet e-mail : rien ne sera modifié.
email-reset-subject = Réinitialisez votre mot de passe Lantern
email-reset-intro = Quelqu’un (vous, nous l’espérons) a demandé à réinitialiser le mot de passe de votre compte Lantern.
email-reset-action = Choisir un nouveau mot de passe
email-sign-in-subject = Votre lien de connexion à Lantern
email-sign-in-intro = Utilisez ce lien pour vous connecter à Lantern sans saisir votre mot de passe.
email-sign-in-action = Se connecter à Lantern
email-invitation-subject = Invitation à rejoindre { $organisation } sur Lantern
email-invitation-intro = { $inviter } vous invite à rejoindre { $organisation } sur Lantern avec le rôle : { $role }.
email-invitation-action = Voir l’invitation
email-invitation-expiry = L’invitation expire dans { $days } jours. Connectez-vous ou créez un compte avec cette adresse e-mail pour l’accepter.

## Erreurs
error-title = Une erreur s’est produite
error-home = Aller à la page d’accueil
error-request-id = Si vous contactez l’assistance, indiquez cette référence :
error-400-title = Cette demande n’a pas pu être comprise
error-400-text = Un élément du formulaire ne correspond pas à ce qui était attendu. Revenez en arrière et vérifiez ce que vous avez saisi.
error-401-title = Veuillez vous connecter
error-401-text = Vous devez vous connecter pour voir cette page.
error-403-title = Vous n’avez pas accès à cette page
error-403-text = Votre compte n’a pas l’autorisation nécessaire. Si vous pensez qu’il devrait l’avoir, adressez-vous à l’administrateur de votre organisation.
error-404-title = Page introuvable
error-404-text = La page a peut-être été déplacée, ou l’adresse contient une faute de frappe.
error-405-title = Cette action n’est pas autorisée ici
error-409-title = Cela entre en conflit avec un élément qui existe déjà
error-410-title = Ce lien a expiré ou a déjà été utilisé
error-410-text = Pour votre sécurité, les liens envoyés par e-mail ne fonctionnent qu’une seule fois et pendant une durée limitée. Demandez-en un nouveau.
error-413-title = C’est trop volumineux
error-413-text = Le fichier ou le formulaire dépasse la taille acceptée par Lantern.
error-415-title = Ce type de contenu n’est pas accepté ici
error-415-text = Envoyez le formulaire depuis la page de Lantern.
error-422-title = Veuillez vérifier le formulaire
error-429-title = Trop de tentatives
error-429-text = Pour votre sécurité, veuillez patienter une minute avant de réessayer.
error-500-title = Un problème est survenu de notre côté
error-500-text = Le problème a été enregistré. Veuillez réessayer dans un instant.
error-503-title = Lantern est momentanément indisponible
error-503-text = Veuillez réessayer dans quelques secondes.
error-csrf = Ce formulaire a expiré ou ne provient pas de Lantern. Revenez en arrière, rechargez la page et réessayez.

## Cours
nav-courses = Cours
courses-title = Cours
courses-filter = Filtrer les cours
courses-topic = Thème
courses-language = Langue
courses-count = { $count ->
    [one] { $count } cours
   *[other] { $count } cours
}
courses-minutes = { $minutes } min
courses-credits = { $credits } crédits de DPC
language-en = Anglais
language-fr = Français
language-es = Espagnol
language-pt = Portugais
language-sw = Swahili
course-time = Durée
course-credits = Crédits proposés
course-by = Par
course-version = Version
course-licence = Licence
course-start = Commencer le cours
course-objectives = Ce que vous saurez faire
course-contents = Sommaire
course-quiz-questions = { $count ->
    [one] quiz de { $count } question
   *[other] quiz de { $count } questions
}
lesson-position = Leçon { $number } sur { $total }
lesson-pager = Leçons
lesson-previous = Précédente
lesson-next = Suivante
lesson-back = Retour au cours
nav-learning = Mes formations
course-completed = Vous avez terminé ce cours.
course-progress = { $percent } % lu
course-continue = Continuer
course-enrol = S’inscrire
course-preview = Voir la première leçon
course-sign-in-to-enrol = Se connecter pour s’inscrire
lesson-read = lue
lesson-mark-read = Marquer comme lue et continuer
lesson-read-continue = Lue — continuer
lesson-enrol-to-track = Inscrivez-vous au cours pour suivre votre progression.
quiz-pass-mark = Il faut { $percent } % pour réussir.
quiz-attempts-left = { $count ->
    [one] { $count } tentative restante.
   *[other] { $count } tentatives restantes.
}
quiz-attempts-unlimited = Vous pouvez essayer autant de fois que vous le souhaitez.
quiz-your-attempts = Vos tentatives
quiz-attempt-number = Tentative { $number }
quiz-passed = réussi
quiz-not-passed = non réussi
quiz-in-progress = en cours
quiz-open-attempt = Ouvrir
quiz-resume = Reprendre la tentative
quiz-start = Commencer le quiz
quiz-no-attempts-left = Vous avez utilisé toutes vos tentatives pour ce quiz.
quiz-score = Votre score : { $percent } %.
quiz-passed-message = Bravo : vous avez réussi.
quiz-failed-message = Il faut { $percent } % pour réussir. Lisez les explications, puis réessayez.
quiz-choose-all = Choisissez toutes les bonnes réponses.
quiz-correct = juste
quiz-incorrect = faux
quiz-submit = Envoyer mes réponses
quiz-try-again = Réessayer
learning-title = Mes formations
learning-none = Vous n’êtes inscrit à aucun cours pour le moment.
learning-completed-on = terminé le { $date }
notice-enrolled = Vous êtes inscrit. Votre progression est enregistrée au fil de la lecture.
authoring-title = Cours de l’association
authoring-none = Aucun cours pour le moment.
upload-title = Téléverser un paquet de cours
upload-hint = Un .zip d’un dossier de cours, au format décrit dans le guide des contenus de Lantern. Il devient une version brouillon qu’un relecteur publie.
upload-field = Paquet (.zip)
upload-submit = Téléverser
edit-problems = { $count ->
    [one] Rien n’a été enregistré : 1 problème.
   *[other] Rien n’a été enregistré : { $count } problèmes.
}
editor-problem-at = { $file }, ligne { $line } : { $message }
course-new-title = Créer un cours
course-details-title = Description du cours
editor-back = Retour
editor-save = Enregistrer
editor-cancel = Annuler
editor-preview = Aperçu
editor-preview-note = Aperçu : pas encore enregistré. C’est ainsi que les apprenants verront la leçon.
field-course-slug = Adresse du cours
field-course-slug-hint = 2 à 60 lettres minuscules, chiffres et tirets, p. ex. soins-des-plaies. Elle ne pourra plus changer.
field-course-title = Titre
field-summary = Résumé (affiché dans le catalogue)
field-course-language = Langue du cours
field-professions = Professions concernées
field-topics = Thèmes
field-topics-hint = Séparés par des virgules, en minuscules avec des tirets, p. ex. prevention-infections, sante-maternelle.
field-minutes = Durée estimée (minutes)
field-credits = Crédits DPC proposés
field-credits-hint = Un multiple de 0,25, p. ex. 1,5. L’association les accrédite.
field-licence = Licence
field-objectives = Objectifs d’apprentissage
field-objectives-hint = Un par ligne.
lesson-edit-title = Modifier la leçon
field-lesson-title = Titre de la leçon
field-lesson-address = Adresse de la leçon
field-lesson-address-hint = Lettres minuscules, chiffres et tirets.
field-markdown = Texte (Markdown)
field-markdown-hint = ## pour les titres, - pour les listes, **gras**, > [!NOTE] ou > [!WARNING] pour un encadré. Pas de HTML.
field-markdown-media = Images de ce cours : { $paths } (écrire ![description](chemin)).
field-clinical-change = Modifié pour raisons cliniques
field-clinical-change-hint = Laisser vide sauf si les recommandations ont changé. Les apprenants ayant terminé la version précédente reçoivent cette phrase.
field-competencies = Compétences attestées
field-competencies-hint = CODE:NIVEAU séparés par des virgules, p. ex. IPC.1:2, IPC.3:1.
quiz-edit-title = Modifier le quiz
field-quiz-text = Le quiz
field-quiz-text-hint = Au format quiz.toml du guide de contenu : title, pass_mark (%), max_attempts (0 = illimité), puis [[questions]] de type single, multiple ou true_false, et [[questions.options]] avec text, correct et feedback.
quiz-edit-summary = Seuil de réussite { $pass } % · tentatives : { $attempts ->
    [0] illimitées
   *[other] { $attempts }
}
editor-module = Module { $number }
editor-rename = Renommer
editor-up = Monter
editor-down = Descendre
editor-remove = Supprimer
editor-new-lesson = Nouvelle leçon dans ce module
editor-add-lesson = Ajouter la leçon
editor-edit-quiz = Modifier le quiz
editor-remove-quiz = Supprimer le quiz
editor-add-quiz = Ajouter un quiz à ce module
editor-new-module = Nouveau module
editor-new-module-hint = Il commence par une leçon du même titre.
editor-add-module = Ajouter le module
version-new-draft = Modifier dans un nouveau brouillon
version-new-draft-hint = La version publiée ne change jamais : modifier crée un nouveau brouillon, publié après relecture.
version-event-drafted = nouveau brouillon commencé
version-event-created = cours créé
version-not-draft = Seul un brouillon peut être modifié. Commencez un nouveau brouillon à partir de la version publiée.
draft-changed = Quelqu’un a enregistré ce brouillon après que vous l’avez ouvert. Rechargez la page et refaites votre modification.
notice-created = Cours créé en brouillon. Rédigez ses leçons, puis soumettez-le à la relecture.
notice-drafted = Voici le brouillon à modifier. Les apprenants gardent la version publiée jusqu’à ce qu’un relecteur publie celle-ci.
version-number = Version { $number }
version-status-draft = brouillon
version-status-in_review = en relecture
version-status-approving = en cours de publication
version-status-published = publiée
version-status-retired = retirée
version-submit = Soumettre à la relecture
review-comment = Commentaire pour les auteurs
version-approve = Approuver et publier
version-return = Renvoyer avec un commentaire
version-history = Historique
version-event-uploaded = téléversée
version-event-imported = importée
version-event-submitted = soumise à la relecture
version-event-returned = renvoyée pour modifications
version-event-approved = approuvée
version-event-published = publiée
version-wrong-state = Cette version n’est pas à une étape où cette action est possible. Rechargez la page.
review-comment-required = Écrivez un commentaire pour que les auteurs sachent quoi modifier.
review-own-version = Vous ne pouvez pas approuver une version que vous avez écrite ou soumise : un autre relecteur doit le faire.
notice-uploaded = Le paquet a été vérifié et enregistré comme brouillon.
notice-unchanged = Le paquet est identique à la version publiée : rien n’a changé.
notice-submitted = Soumis à la relecture.
notice-published = Approuvé et publié. Les apprenants qui ont terminé une version précédente sont informés des changements cliniques.
notice-returned = Renvoyé aux auteurs avec votre commentaire.
learning-notices = Changements dans des cours que vous avez terminés
email-clinical-change-subject = Mise à jour clinique de « { $course } »
email-clinical-change-intro = Un cours que vous avez terminé, « { $course } », a une nouvelle version avec des changements faits pour des raisons cliniques :
org-courses-link = Cours de cette association
course-newer-version = Une version plus récente de ce cours est publiée. Votre progression est conservée pour les leçons qui n’ont pas changé.
course-move = Passer à la nouvelle version
course-pack-download = Télécharger pour partager (carte SD, Bluetooth)
course-pack-hint = Un zip de ce cours qui s’ouvre dans le navigateur de tout téléphone, sans connexion : décompressez-le et ouvrez index.html.
pack-offline-note = Cette copie du cours fonctionne sans connexion. Les quiz servent ici à vous tester vous-même : pour enregistrer votre progression et obtenir des crédits, suivez le cours sur Lantern.
pack-start = Commencer la lecture
pack-version = { $number }, publiée le { $date }
pack-back = Retour au sommaire
pack-quiz-intro = Répondez à chaque question pour vous-même, puis ouvrez « Voir la réponse » pour vérifier.
pack-show-answer = Voir la réponse
notice-moved = Vous êtes maintenant sur la version la plus récente.
search-title = Recherche
search-label = Rechercher des cours et des leçons
search-placeholder = p. ex. hygiène des mains, nouveau-né
search-submit = Rechercher
search-count = { $count ->
    [0] Aucun résultat. Essayez moins de mots ou d’autres mots.
    [one] 1 résultat
   *[other] { $count } résultats
}
search-filters = Affiner les résultats
search-facet-kind = Type :
search-facet-profession = Profession :
search-facet-topic = Thème :
search-facet-language = Langue :
search-kind-course = Cours
search-kind-lesson = Leçon
search-kind-competency = Compétence
search-kind-mentor = Mentor
search-pages = Plus de résultats
search-previous = Précédent
search-next = Suivant
nav-search = Recherche

## Competencies emails
email-lapsing-subject = Vos preuves de compétence vont bientôt expirer
email-lapsing-intro = Les preuves pour { $codes } cessent de compter à partir du { $date }. Renouvelez-les par une formation, un quiz ou une observation de votre pratique pour garder votre niveau.
email-lapsing-action = Voir vos compétences
email-lapsing-note = Vous recevez ce message une fois pour chaque preuve.

## Competencies
frameworks-title = Référentiels de compétences
frameworks-intro = Ce que les soignants doivent savoir et faire, niveau par niveau, tel que les associations le définissent.
frameworks-count = { $count } compétences
framework-levels = Niveaux
framework-level = niveau
framework-roles = Profils de poste
framework-version = Version { $number }
framework-validity = Les preuves comptent pendant { $months } mois.
framework-find-courses = Formations qui l'enseignent
framework-import = Importer un référentiel
framework-import-help = Collez un référentiel au format CSV ou JSON décrit dans content/README.md. Il est enregistré comme brouillon ; un relecteur le publie.
framework-edit = Modifier le référentiel
framework-edit-help = Modifiez le référentiel en CSV : une ligne par paramètre, niveau, domaine, compétence, profil et exigence. L'enregistrement vérifie chaque ligne et ne garde rien si une ligne est fausse.
framework-text = Référentiel (CSV ou JSON)
framework-save-draft = Enregistrer le brouillon
framework-publish = Publier la version { $number }
framework-draft-preview = Le brouillon tel qu'il sera publié
competencies-title = Mes compétences
profile-rule = Votre niveau est le plus élevé que montrent des preuves non expirées : une formation terminée, un quiz ou une observation de votre pratique que vous avez contresignée. Votre auto-évaluation est affichée à côté mais ne compte pas.
profile-held = Niveau atteint
profile-self-rated = auto-évaluation
profile-set-by = Établi par
profile-lapses = expire le
profile-expired = expirée
profile-evidence-count = { $count } preuves
evidence-course = Formation
evidence-quiz = Quiz
evidence-observation = Pratique observée
evidence-self = Auto-évaluation
gaps-title = Écarts
gaps-against = Comparer avec
gaps-summary = { $met } exigences remplies sur { $total }
gaps-none = Vous remplissez toutes les exigences de ce profil.
gaps-required = Requis
gaps-courses = Formations
gaps-mentor = Trouver un mentor
gaps-mentor-all = Demander un mentor pour ces écarts
self-title = Vous évaluer
self-competency = Compétence
self-level = Niveau
self-submit = Enregistrer
evidence-file = Fichier joint
evidence-file-label = Joindre un fichier (facultatif)
evidence-file-hint = Un scan ou une photo : PDF, JPEG, PNG ou WebP, 10 Mo au plus.
share-title = Qui peut voir mes compétences
share-intro = Un mentor ou un superviseur ne voit votre profil que si vous l'ajoutez ici. Vous pouvez le retirer à tout moment.
share-email = Son adresse e-mail
share-submit = Partager
share-revoke = Arrêter le partage
observation-title = Observations de la pratique
observation-intro = Notez ce que vous avez vu faire un collègue. Cela compte comme preuve une fois contresigné.
observation-learner = E-mail de la personne observée
observation-level = Niveau montré
observation-checklist = Liste de contrôle
observation-item-consent = A expliqué le soin et obtenu le consentement
observation-item-preparation = A préparé la personne, le matériel et le lieu
observation-item-technique = A réalisé le geste correctement et sans danger
observation-item-asepsis = A respecté la prévention des infections et l'asepsie
observation-item-communication = A communiqué avec la personne et l'équipe
observation-item-documentation = A documenté et transmis
observation-date = Date de l'observation
observation-setting = Lieu (service, centre, communauté)
observation-notes = Commentaires
observation-submit = Enregistrer l'observation
observation-recorded = Observations que vous avez notées
observation-to-sign = Observations à contresigner
observation-by = Observé par
observation-of = de
observation-sign = Contresigner
observation-decline = Refuser
observation-signed = Contresignée : elle compte comme preuve.
observation-declined = Refusée.
observation-waiting = En attente de contresignature.
observation-record-link = Noter l'observation d'un collègue
workforce-title = Écarts de compétences des membres
workforce-min-cell = les groupes de moins de { $min } membres ne sont pas affichés
workforce-empty = Aucun groupe n'est assez grand pour être affiché.
workforce-members = { $count } membres
workforce-no-region = Région non renseignée
workforce-competency = Compétence (niveau requis)
workforce-with-gap = Sous le niveau
workforce-suppressed = { $cells } groupes plus petits ({ $members } membres) ne sont pas affichés.
notice-shared = Votre profil est partagé.
notice-unshared = Partage arrêté.
notice-observation-recorded = Observation enregistrée. Elle comptera une fois contresignée par votre collègue.
notice-observation-signed = Contresignée : l'observation compte maintenant comme preuve.
notice-observation-declined = Observation refusée.
notice-framework-published = Référentiel publié.

## Mentorat
mentoring-title = Mentorat
mentoring-intro = Un mentor qui a ce que vous apprenez, choisi d'après vos écarts évalués — ou devenez mentor vous-même.
mentoring-pairs = Vos mentorats
mentoring-you-mentor = Vous accompagnez { $name }
mentoring-mentored-by = Accompagné·e par { $name }
mentoring-requests = Vos demandes de mentor
mentoring-no-requests = Vous n'avez pas encore demandé de mentor.
mentorship-status-proposed = proposé
mentorship-status-offered = en attente des deux réponses
mentorship-status-active = actif
mentorship-status-declined = refusé
mentorship-status-withdrawn = retiré
mentorship-status-closed = terminé
request-status-open = ouverte
request-status-matched = pourvue
request-status-withdrawn = retirée
request-withdraw = Retirer
request-now = Trouver un mentor maintenant
request-new = Demander un mentor
request-title = Demander un mentor
request-intro = Choisissez ce que vous voulez développer. Votre association attribue les mentors à toutes les demandes à la fois, équitablement, et vous dit pourquoi.
request-no-programme = Aucune de vos associations n'a encore de programme de mentorat.
request-programme = Programme
request-wanted = Compétences à développer
request-suggested = D'après vos écarts :
request-mentors-offer = { $count ->
    [one] 1 mentor la propose
   *[other] { $count } mentors la proposent
}
request-more = Autres compétences
request-goals = Vos objectifs
request-languages = Langues de mentorat possibles
request-preferences = Préférences
request-remote-ok = Le mentorat à distance me convient
request-same-profession = Seulement un mentor de ma profession
request-same-country = Seulement un mentor de mon pays
request-submit = Envoyer ma demande
mentor-title = Être mentor
mentor-intro = Proposez ce que vous savez. Les niveaux que montre votre profil de compétences sont marqués vérifiés et comptent davantage.
mentor-active = Vous êtes disponible : { $taken } place(s) prise(s) sur { $capacity }.
mentor-inactive = Vous ne prenez pas de mentoré·e en ce moment.
mentor-none = Vous ne vous êtes pas encore proposé·e comme mentor.
mentor-edit = Profil de mentor
mentor-opt-in = Je suis disponible pour le mentorat (l'appariement voit mon profil)
mentor-capacity = Nombre maximal de mentoré·e·s
mentor-languages = Langues de mentorat
mentor-languages-hint = Codes de langue séparés par des virgules, par exemple fr, en, sw.
mentor-professions = Professions accompagnées
mentor-time-zone = Votre fuseau horaire
mentor-how = Comment vous accompagnez
mentor-remote = À distance (téléphone, vidéo, messages)
mentor-in-person = En personne, dans ma région
mentor-availability = Vos disponibilités
mentor-availability-hint = Par exemple : en semaine le soir.
mentor-about = À propos de vous
mentor-offers = Compétences proposées
mentor-offers-intro = Choisissez un niveau pour chaque compétence que vous pouvez accompagner ; laissez les autres vides.
mentor-verified-at = votre profil : niveau { $level }
mentor-save = Enregistrer
reason-covers = Couvre { $covered } des { $wanted } compétences demandées{ $verified ->
    [0] {""}
   *[other] , dont { $verified } vérifiée(s) par le profil du mentor
}
reason-language = Parlent tous deux { $language }
reason-profession = Accompagne la profession { $profession }
reason-in-person = Peuvent se rencontrer à { $region }
reason-hours = { $hours ->
    [0] Même fuseau horaire
    [one] 1 heure de décalage
   *[other] { $hours } heures de décalage
}
reason-rural = Priorité à un·e soignant·e en milieu rural
pair-title = Mentorat
pair-your-mentor = Votre mentor
pair-your-mentee = Votre mentoré·e
pair-why = Pourquoi cet appariement
pair-wanted = Compétences demandées
pair-contact = Contact
pair-contact-hidden = Les coordonnées apparaissent ici quand vous aurez tous deux accepté.
pair-waiting-other = Vous avez accepté. En attente de l'autre personne.
pair-accept = Accepter
pair-decline = Refuser
pair-decline-reason = Pourquoi ? (aide le prochain appariement)
pair-cpd = Déclarer ces { $hours } heures en crédits de DPC
pair-cpd-title = Mentorat avec { $name }
pair-sessions = Séances
pair-hours = { $minutes } minutes de mentorat enregistrées.
session-date = Date
session-minutes = Minutes
session-topics = Sujets
session-notes = Notes
session-notes-hint = Privées entre vous deux : votre association ne les voit jamais.
session-log = Enregistrer la séance
pair-observe = Enregistrer une observation de sa pratique
pair-end = Mettre fin au mentorat
pair-end-reason = Raison (facultatif)
pair-feedback = Votre retour
pair-feedback-submit = Envoyer le retour
pair-concern = Signaler un problème
pair-concern-label = Qu'est-ce qui vous inquiète ?
pair-concern-hint = Votre association voit ce signalement et qui forme le binôme, jamais vos notes de séance.
pair-concern-submit = Envoyer le signalement
programmes-title = Programmes de mentorat
programme-new = Lancer un programme
programme-title = Titre
programme-description = Description
programme-deadline = Demandes jusqu'au
programme-instant = Les membres peuvent demander un mentor immédiatement, hors des tours
programme-create = Créer le programme
programme-counts = { $requests ->
    [one] 1 demande ouverte
   *[other] { $requests } demandes ouvertes
} · { $mentors ->
    [one] 1 mentor disponible
   *[other] { $mentors } mentors disponibles
}
programme-pairs = Binômes
programme-concerns = Signalements
programme-no-concerns = Aucun problème signalé.
round-run = Lancer un tour d'appariement
round-summary = Dernier tour : { $matched } sur { $mentees } mentoré·e·s apparié·e·s, score total { $total } (un appariement glouton atteindrait { $greedy }), résolu en { $ms } ms.
round-proposals = Propositions à relire
round-reassign = Mentor
round-reassign-submit = Changer
round-publish = Publier : proposer chaque binôme aux deux personnes
notice-requested = Demande envoyée. Vous serez prévenu·e par e-mail quand un mentor sera proposé.
notice-request-withdrawn = Demande retirée.
notice-no-mentor = Aucun mentor ne correspond encore ; la demande reste ouverte pour le prochain tour.
notice-pair-declined = Refusé. Si un autre mentor convient, il est proposé aussitôt.
notice-round-published = Publié : les deux personnes de chaque binôme ont été sollicitées.
email-proposal-subject = Une proposition de mentorat pour vous
email-proposal-mentor = Vous êtes proposé·e comme mentor de { $name }. Pourquoi : { $reasons }.
email-proposal-mentee = { $name } vous est proposé·e comme mentor. Pourquoi : { $reasons }.
email-proposal-action = Voir la proposition et répondre
email-proposal-note = Les coordonnées sont partagées quand vous avez tous deux accepté.
email-active-subject = Votre mentorat a commencé
email-active-intro = Vous avez tous deux accepté. Vous pouvez joindre { $name } à { $email }.
email-active-action = Ouvrir le mentorat
email-active-note = Enregistrez vos séances sur la page du mentorat ; les notes restent privées entre vous.
email-ended-subject = Un mentorat a pris fin
email-ended-intro = { $name } a mis fin à votre mentorat.
email-ended-action = Donner votre retour
email-ended-note = Merci pour le temps que vous avez donné.
email-session-reminder-subject = Le moment d'une séance de mentorat ?
email-session-reminder-intro = { $name } et vous n'avez pas enregistré de séance depuis un mois.
email-session-reminder-action = Ouvrir le mentorat
email-session-reminder-note = Vous recevez ce message au plus une fois par mois.

## Crédits
credits-title = Mes crédits de DPC
credits-total = { $total } crédits au total
credits-none = Pas encore de crédits. Terminez un cours accrédité ou déclarez une activité ci-dessous.
credits-hint = Par exemple 2 ou 2,5.
credits-category = Catégorie
category-clinical = Clinique
category-ethics = Éthique
category-leadership = Leadership
category-wellbeing = Bien-être
category-research = Recherche
activity-course = Cours accrédité
activity-conference = Congrès
activity-workshop = Atelier
activity-journal_club = Club de lecture
activity-mentoring = Mentorat
activity-supervised_practice = Pratique supervisée
activity-self_directed = Apprentissage autonome
activity-correction = Correction
activity-status-pending = en attente de relecture
activity-status-approved = approuvée
activity-status-rejected = non approuvée
activity-title = Activités hors de Lantern
activity-intro = Déclarez un congrès, un atelier, un club de lecture, des heures de mentorat ou une pratique supervisée. Un relecteur de l'association choisie l'approuve, et les crédits rejoignent votre registre.
activity-association = Association qui relit
activity-kind = Type d'activité
activity-name = Nom de l'activité
activity-date = Date
activity-credits = Crédits
activity-description = Ce que vous avez fait et appris
activity-submit = Envoyer pour relecture
accreditations-title = Cours accrédités
accreditation-new = Accréditer une version de cours
accreditation-course = Cours
accreditation-version = Version
accreditation-from = Valable à partir du
accreditation-until = Valable jusqu'au (facultatif)
accreditation-months = Validité du certificat en mois (facultatif)
accreditation-months-hint = Laissez vide pour des certificats sans expiration.
accreditation-submit = Accréditer
review-activities-title = Activités à relire
review-activities-none = Rien n'attend de relecture.
review-approve = Approuver
review-reason = Raison (nécessaire pour refuser)
review-reject = Refuser
notice-activity-reported = Envoyée pour relecture. Les crédits rejoignent votre registre une fois approuvée.
notice-accredited = Accrédité : les cours terminés à partir de la date de début rapportent ces crédits.
notice-reviewed = Relu.
credits-ledger = Registre
month-01 = janvier
month-02 = février
month-03 = mars
month-04 = avril
month-05 = mai
month-06 = juin
month-07 = juillet
month-08 = août
month-09 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## Conformité
compliance-title = Licences et exigences de DPC
compliance-no-licence = Ajoutez votre numéro de licence pour que les règles de DPC de votre ordre soient vérifiées sur vos crédits.
compliance-add-licence = Ajouter une licence
compliance-no-rules = Votre ordre n'a pas encore publié de règles de DPC pour votre profession dans Lantern.
compliance-compliant = Conforme
compliance-on-track = En bonne voie
compliance-at-risk = À risque
compliance-non-compliant = Non conforme
compliance-cycle = cycle du { $start } au { $end }, { $counted } crédits comptés
consent-give = Partager mes crédits avec cet ordre
consent-given = Vos crédits sont partagés avec cet ordre.
consent-revoke = Arrêter le partage
explain-missed = Il vous manquait { $amount } crédits à la fin du cycle le { $date }.
explain-missed-in = Il vous manquait { $amount } crédits en { $category } à la fin du cycle le { $date }.
explain-behind = Pour tenir le rythme, il vous faudrait { $expected } crédits à ce jour ; vous en avez { $counted }.
explain-need-more = Il vous faut encore { $amount } crédits d'ici le { $date }.
explain-need-more-in = Il vous faut encore { $amount } crédits en { $category } d'ici le { $date }.
explain-stop = { $count ->
    [one] 1 de vos crédits, valant { $amount }, cesse de compter le { $date }.
   *[other] { $count } de vos crédits, valant { $amount }, cessent de compter à partir du { $date }.
}
explain-met = Vous avez rempli toutes les exigences du cycle se terminant le { $date }.
explain-over-kind = { $amount } crédits de { $kind } dépassent le maximum de { $maximum } et ne comptent pas.
explain-not-accepted = { $count ->
    [one] 1 crédit, valant { $amount }, ne compte pas : son accréditeur n'est pas accepté.
   *[other] { $count } crédits, valant { $amount }, ne comptent pas : leur accréditeur n'est pas accepté.
}
explain-expired = { $count ->
    [one] 1 crédit, valant { $amount }, ne compte plus : il a plus de { $months } mois.
   *[other] { $count } crédits, valant { $amount }, ne comptent plus : ils ont plus de { $months } mois.
}
rules-title = Règles de DPC
rules-summary = { $total } crédits { $years ->
    [one] par an
   *[other] tous les { $years } ans
}
rules-minimums = Minimums par catégorie
rules-minimums-hint = paires catégorie:crédits, par exemple ethics:5, clinical:10
rules-maximums = Maximums par type d'activité
rules-maximums-hint = paires type:crédits, par exemple self_directed:10
rules-rolling = Chaque crédit compte { $months } mois.
rules-rolling-label = Mois pendant lesquels un crédit compte (facultatif)
rules-set = Fixer les règles d'une profession
rules-profession = Profession
rules-cycle-years = Durée du cycle en années
rules-anchor = Début du cycle
rules-anchor-hint = MM-JJ pour une date fixe (par exemple 01-01), ou « renewal » pour la date de renouvellement de chaque licence.
rules-total = Crédits requis par cycle
rules-save = Enregistrer les règles
roster-title = Registre des licences
roster-intro = Téléversez votre registre des licences en CSV (UTF-8) avec ces colonnes. Chaque ligne est vérifiée et affichée avant toute écriture ; les licences déclarées par les apprenants avec le même numéro et le même nom sont alors confirmées.
roster-file = Fichier du registre (.csv)
roster-check = Vérifier le fichier
roster-problems = { $count ->
    [one] Rien n'a été importé : 1 problème
   *[other] Rien n'a été importé : { $count } problèmes
}
roster-preview = { $count ->
    [one] 1 licence prête à importer
   *[other] { $count } licences prêtes à importer
}
roster-import = Importer { $count } licences
dashboard-title = Conformité
dashboard-intro = Les titulaires confirmés qui partagent leurs crédits avec vous, selon les règles de leur profession.
dashboard-csv = Télécharger en CSV
dashboard-licensees = Titulaires

## Certificats
certverify-title = Vérifier un certificat
verify-intro = Collez un certificat (l'attestation) ou son lien de vérification pour voir qui l'a délivré, à qui, et s'il est toujours valable. Les certificats sont signés par l'association qui les délivre ; ses clés publiques sont publiées.
verify-paste = Certificat ou lien de vérification
certverify-submit = Vérifier
verify-keys = Clés publiques des émetteurs (JWKS)
verdict-valid = Valide : authentique, en vigueur et non révoqué.
verdict-revoked = Révoqué par l'émetteur.
verdict-expired = Expiré.
verdict-not-yet-valid = Pas encore valable.
verdict-status-unknown = Authentique, mais sa révocation ne peut pas être vérifiée maintenant.
verdict-not-genuine = Non authentique : il n'a pas été délivré par un émetteur connu, ou il a été modifié.
certificate-title = Certificat de DPC
certificate-recipient = Décerné à
certificate-licence = Licence
certificate-achievement = Pour avoir terminé
certificate-credits = Crédits de DPC
certificate-issuer = Délivré par
certificate-issued = Délivré le
certificate-expires = Valable jusqu'au
certificate-qr = Scannez pour vérifier, même hors ligne.
certificate-download = Télécharger l'attestation
offline-heading = Le code QR, vérifié sur cet appareil
offline-checking = Vérification de la signature sur cet appareil…
offline-unsupported = Ce navigateur ne sait pas vérifier les signatures lui-même ; le verdict ci-dessus est celui du serveur.
offline-no-keys = Cet appareil ne détient encore aucune clé d'émetteur : ouvrez une page de vérification une fois en ligne.
offline-keys-as-of = Clés à jour au
offline-list-as-of = liste de révocation à jour au
offline-no-list = aucune liste de révocation sur cet appareil
certificates-title = Mes certificats
certificates-none = Pas encore de certificat.
certificates-item = Certificat délivré le { $date }
issued-title = Certificats délivrés
revoke-reason = Raison de la révocation
revoke-submit = Révoquer
notice-revoked = Révoqué. Les vérificateurs le voient dès la prochaine liste de révocation.
email-cpd-short-subject = Il vous manque des crédits de DPC pour { $regulator }
email-cpd-short-action = Voir vos crédits
email-cpd-short-note = Vous recevez ce message 90, 30 et 7 jours avant la fin de votre cycle de DPC, tant que des crédits manquent.
home-verify = Vous vérifiez un certificat ? C'est ici, même hors ligne.
rules-accreditors = Accréditeurs acceptés (facultatif)
rules-accreditors-hint = Identifiants d'associations séparés par des virgules, par exemple eanma ; vide accepte tous les accréditeurs.
rules-accepted = { $count ->
    [one] Seuls les crédits accrédités par 1 association comptent.
   *[other] Seuls les crédits accrédités par { $count } associations comptent.
}

## API tokens
tokens-title = Jetons d’API
tokens-lead = Un jeton permet à un programme d’agir pour vous par l’API de Lantern, dans les seules limites que vous choisissez, jusqu’à son expiration ou sa révocation.
tokens-manage = Gérer les jetons d’API
tokens-none = Vous n’avez aucun jeton d’API.
tokens-created = Votre nouveau jeton. Copiez-le maintenant :
tokens-shown-once = Il n’est montré qu’une fois. Lantern n’en garde qu’une empreinte et ne peut plus l’afficher.
tokens-revoked = révoqué
tokens-expired = expiré
tokens-expires = expire le { $date }
tokens-last-used = utilisé le { $date }
tokens-revoke = Révoquer
tokens-new = Nouveau jeton
tokens-name = Nom
tokens-name-hint = À quoi il sert, par exemple « Système des licences ».
tokens-days = Valable (jours)
tokens-scopes = Ce qu’il peut faire
tokens-create = Créer le jeton
tokens-feature-courses = Cours
tokens-feature-competencies = Compétences
tokens-feature-mentoring = Mentorat
tokens-feature-credits = Crédits de DPC et certificats
tokens-feature-search = Recherche
tokens-feature-insights = Indicateurs de l'effectif
tokens-access-read = lecture
tokens-access-write = lecture et écriture
token-name-required = Donnez au jeton un nom de 80 caractères au plus.
token-days-range = Un jeton dure de 1 à 366 jours.
token-scope-unknown = Choisissez les droits dans la liste.
token-scope-required = Choisissez au moins un droit.

## Dashboard filters, bulk verification
dashboard-by-profession = Par profession
dashboard-by-region = Par région
dashboard-any-status = Tous les statuts
dashboard-any-profession = Toutes les professions
dashboard-any-region = Toutes les régions
dashboard-status = Statut
dashboard-filter = Afficher
dashboard-matching = { $count ->
    [one] Un titulaire correspond.
   *[other] { $count } titulaires correspondent.
}
pager = Pages
pager-previous = Précédente
pager-next = Suivante
pager-of = Page { $page } sur { $pages }
bulk-title = Vérification en masse
bulk-intro = Vérifiez de nombreux certificats et licences à la fois : chaque ligne reçoit une réponse, dans un fichier CSV à télécharger. La conformité d’un titulaire n’est montrée que s’il a accepté de partager ses crédits avec vous.
bulk-refused = Le fichier n’a pas pu être lu :
bulk-file = Fichier CSV (100 000 lignes au plus)
bulk-file-hint = Une colonne certificate_id, une colonne licence_number, ou les deux (une seule remplie par ligne).
bulk-check = Vérifier et télécharger les réponses
bulk-api = Par l’API
bulk-api-intro = Vos systèmes peuvent envoyer la même liste en JSON ou en CSV avec un jeton d’API ayant le droit « Crédits de DPC et certificats · lecture ». Les réponses arrivent ligne par ligne.
email-summary-subject = { $regulator } : conformité DPC pour { $month }
email-summary-intro = { $count ->
    [one] Un titulaire partage ses crédits avec vous :
   *[other] { $count } titulaires partagent leurs crédits avec vous :
}
email-summary-action = Ouvrir le tableau de conformité
email-summary-note = Vous recevez ce résumé une fois par mois en tant qu’agent du régulateur sur Lantern.

## Audits
audits-title = Audits
audits-intro = Tirez au sort un échantillon des titulaires qui partagent leurs crédits avec vous, puis examinez les crédits et les preuves de chacun et consignez une conclusion. La même graine et les mêmes titulaires donnent toujours le même échantillon.
audits-none = Aucun audit pour l’instant.
audits-progress = { $decided } sur { $cases } examinés
audits-new = Nouvel audit
audits-name = Nom
audits-as-of = Cycle contenant la date
audits-percent = Part des titulaires (%)
audits-seed = Graine
audits-seed-hint = Laissez vide pour une graine aléatoire. Elle est gardée avec l’audit pour que l’échantillon puisse être tiré de nouveau et vérifié.
audits-start = Tirer l’échantillon
audits-sample = Tiré le { $date } : { $percent } % de { $population } titulaires, graine { $seed }.
audits-cases = Titulaires tirés au sort
audit-outcome-pending = non examiné
audit-outcome-satisfactory = satisfaisant
audit-outcome-follow_up = suivi nécessaire
audit-outcome-unsatisfactory = insatisfaisant
audit-case-standing = Situation dans le cycle audité
audit-case-entries = Écritures du registre
audit-case-activities = Activités externes et preuves
audit-case-certificates = Certificats
audit-case-outcome = Conclusion
audit-case-note = Note
audit-case-note-hint = Obligatoire sauf si satisfaisant : ce qui a été constaté et ce que le titulaire doit faire.
audit-case-save = Consigner la conclusion
audit-case-back = Retour à l’audit

## Transcripts
transcript-title = Relevé de DPC
transcript-open = Relevé de ce cycle
transcript-subtitle = { $name } · { $regulator } · licence { $licence } · cycle du { $start } au { $end }
transcript-counted = { $counted } crédits comptés
transcript-cycles = Cycles
transcript-previous = Cycle précédent
transcript-next = Cycle suivant
transcript-empty = Aucun crédit dans ce cycle.
transcript-pdf = Télécharger le PDF
transcript-csv = Télécharger le CSV
transcript-col-date = Date
transcript-col-activity = Activité
transcript-col-kind = Type
transcript-col-category = Catégorie
transcript-col-credits = Crédits
transcript-col-counted = Comptés
transcript-col-note = Remarque
transcript-before-cycle = avant le cycle
transcript-after-cycle = après le cycle
transcript-not-yet = pas encore acquis
transcript-not-accepted = accréditeur non reconnu
transcript-expired = plus valable
transcript-over-maximum = au-delà du maximum pour ce type
transcript-footer = Établi par Lantern le { $date }. Les certificats se vérifient sur { $url }

certificate-id = Identifiant du certificat
certificate-pdf = Télécharger le PDF
certificate-pdf-title = Certificat de développement professionnel continu
certificate-pdf-hint = Scannez pour vérifier, même hors ligne
audit-case-none = Aucun.

media-add-title = Ajouter une image, un enregistrement ou un PDF
media-add-hint = Il s’ajoute à la fin de la leçon ; déplacez sa ligne dans le texte pour le placer. Les images sont réduites pour les téléphones ; les enregistrements ne se lisent que sur demande. Gardez les fichiers légers : les apprenants paient chaque mégaoctet.
media-file = Fichier (JPEG, PNG, WebP, MP3, Ogg, M4A, MP4, WebM ou PDF)
media-caption = Légende
media-caption-hint = Ce qu’il montre, pour qui ne peut pas le voir ou dont la connexion ne l’a pas chargé.
media-add = Ajouter à la leçon
media-file-missing = Choisissez un fichier.
media-file-too-large = Le fichier est trop lourd : { $megabytes } Mo au plus.
media-caption-missing = Écrivez une légende qui dit ce que montre le fichier.
notice-media-added = Le fichier a été ajouté à la fin de la leçon.
# Courses offline (courses::offline)
offline-course-heading = Enregistrer hors ligne
offline-course-intro = Lisez ce cours et répondez à ses quiz sans réseau. Vos réponses sont envoyées dès que vous êtes de nouveau en ligne.
offline-course-size = Enregistrer ce cours occupe environ { $size } sur ce téléphone.
offline-course-save = Enregistrer hors ligne
offline-course-saving = Enregistrement… { $percent } %
offline-course-saved = Enregistré sur ce téléphone le { $date } ({ $size }).
offline-course-remove = Retirer de ce téléphone
offline-course-failed = L’enregistrement n’a pas abouti. Vérifiez le réseau et réessayez.
offline-course-no-network = Connectez-vous au réseau pour enregistrer ce cours.
offline-course-removed = Retiré de ce téléphone.
offline-saved-heading = Enregistrés hors ligne
offline-saved-none = Aucun cours n’est enregistré sur ce téléphone.
offline-queued-title = Enregistré sur ce téléphone
offline-queued-body = Vos réponses sont enregistrées sur ce téléphone et seront envoyées dès que vous serez de nouveau en ligne.
quiz-key-used = Ces réponses ont déjà été enregistrées pour une autre tentative.

# Insights (aggregate figures about members and licensees)
insights-title = Indicateurs des effectifs
insights-privacy = Les chiffres décrivant moins de { $k } personnes sont masqués (–), ainsi que ceux qui permettraient d'en retrouver un par soustraction des totaux.
insights-hidden = Masqué : moins de { $k } personnes, ou permettrait de retrouver un tel chiffre
insights-empty = Pas encore de chiffres.
insights-gaps-link = Écarts de compétences par région et par profession
insights-counted = Comptés à { $at } ; recomptés toutes les quelques minutes.
insights-csv = Télécharger en CSV
insights-total = Total
insights-not-given = Non renseigné
insights-credits-note = Crédits de DPC obtenus, avec entre parenthèses le nombre de membres qui les ont obtenus.
insights-members = Membres par région et profession
insights-settings = Membres par profession, en milieu rural ou urbain
insights-enrolments = Inscriptions aux cours par mois
insights-completions = Cours terminés par mois
insights-credits = Crédits de DPC obtenus par année
insights-mentoring = Mentorés ayant un mentor actif, en milieu rural et urbain
insights-mentor-with = Avec un mentor actif
insights-mentor-without = Sans
insights-compliance-professions = Conformité des titulaires aujourd'hui, par profession
insights-compliance-regions = Conformité des titulaires aujourd'hui, par région
insights-compliance-trend = Titulaires conformes à la fin de chaque mois
insights-axis-region = Région
insights-axis-profession = Profession
insights-axis-setting = Milieu
insights-axis-month = Mois
insights-axis-year = Année
insights-axis-mentor = Mentor
insights-axis-status = Statut

## The API reference (/api)
api-title = L'API de Lantern
api-lead = Tout ce qu'une page permet de faire, en JSON, pour vos propres outils et les systèmes de votre institution. Cette page est tirée du document OpenAPI 3.1 de l'API.
api-using = Utilisation
api-auth = Appelez-la avec un jeton d'API, envoyé comme « Authorization: Bearer lt_… », limité par fonction à la lecture ou à l'écriture ; ou depuis un navigateur où vous êtes connecté.
api-tokens-link = Créer un jeton
api-limits = Chaque jeton peut faire { $rate } requêtes par minute ; au-delà, la réponse est 429 avec Retry-After.
api-errors = Les erreurs arrivent en application/problem+json : le statut, un titre et un détail qui nomme le champ ou la ligne.
api-pages = Les listes arrivent page par page : donnez le next_cursor d'une page comme cursor pour la suivante, et limit (1 à 100) pour sa taille.
api-etags = Les lectures portent un ETag ; renvoyez-le dans If-None-Match et une réponse inchangée est 304, sans corps.
api-document = Le document OpenAPI (JSON)
api-needs-token = Un jeton avec la portée
api-session-only = Une session connectée seulement : les jetons ne sont pas acceptés ici.
api-public = Ouvert à tous, connecté ou non.
api-parameters = Paramètres
api-required = obligatoire
api-body = Corps
api-responses = Réponses
