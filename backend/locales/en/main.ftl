## Layout
nav-skip = Skip to content
nav-label = Main
nav-profile = My profile
nav-admin = Admin
nav-sign-in = Sign in
nav-sign-up = Create account
nav-sign-out = Sign out
footer-language = Language
footer-language-apply = Change
footer-tagline = Lantern — keep learning, keep caring. Open source, built for phones and slow connections.
greeting = Hello, { $name }
choose = Choose…
save = Save
remove = Remove
form-has-errors = Please correct the following:

## Home
home-title = Learning that travels with you
home-lead = Short, practical courses for nurses, midwives, doctors and community health workers — on any phone, even on a slow or patchy connection. Earn CPD credits your council recognises.
home-cta = Create a free account
home-signed-in-lead = Keep your profile up to date so that your learning, credits and mentors fit your work.
home-profile-cta = Open my profile
home-profile-title = Your professional profile
home-profile-text = Record your profession, where you work and the languages you learn in, so that courses and mentors fit your practice.
home-licences-title = Your licences in one place
home-licences-text = Add your licence numbers once; your regulator confirms them and, with your consent, receives your CPD credits.
home-orgs-title = For associations and regulators
home-orgs-text = Invite authors, reviewers and officers to your organisation and work together on curricula and CPD rules.
home-phone-title = Made for phones and slow links
home-phone-text = Every page works without apps or scripts, in English or French, on a cheap phone over 2G or 3G.

## Sign-up and sign-in
sign-up-title = Create your account
sign-up-lead = It takes one minute. We will send you an email to confirm your address.
sign-up-submit = Create account
sign-up-have-account = Already have an account?
sign-in-title = Sign in
sign-in-submit = Sign in
sign-in-forgot = Forgot your password?
sign-in-wrong = The email or password is not right. Check them and try again.
sign-in-no-account = New to Lantern?
sign-in-link-title = Sign in with an email link
sign-in-link-lead = No password to type: we email you a link that signs you in once.
sign-in-link-cta = Email me a sign-in link
sign-in-link-submit = Send the link
sign-in-link-confirm-title = Sign in to Lantern
forgot-title = Reset your password
forgot-lead = Enter the email address of your account and we will send you a link to choose a new password.
forgot-submit = Send reset link
link-sent = If an account uses that address, an email with a link is on its way. It may take a few minutes; check your spam folder too.
link-back-to-sign-in = Back to sign in
link-confirm-as = Continue as { $name }?
verify-title = Confirm your email address
verify-submit = Confirm my address
reset-title = Choose a new password
reset-submit = Save new password
field-name = Full name
field-email = Email address
field-password = Password
field-new-password = New password
field-current-password = Current password
password-hint = At least 10 characters. A short sentence you can remember works well; avoid common passwords and your own name.

## Field problems
name-required = Enter a name.
name-too-long = The name is too long (120 characters at most).
email-invalid = Enter an email address like name@example.org.
email-taken = An account already uses this email address. Sign in, or reset your password.
password-too-short = The password is too short: use at least 10 characters.
password-too-long = The password is too long (1,024 characters at most).
password-too-weak = This password is too easy to guess. Try a longer phrase of a few unrelated words.
password-current-wrong = The current password is not right.
profession-invalid = Choose a profession from the list.
country-invalid = Enter a two-letter country code, such as KE, NG or SN.
region-too-long = The region is too long (100 characters at most).
setting-invalid = Choose rural or urban.
languages-invalid = Use language codes separated by commas, such as sw, en.
languages-too-many = List at most 8 languages.
locale-invalid = Choose English or French.
regulator-invalid = Choose a regulator from the list.
licence-number-invalid = Enter the licence number as printed (letters, digits, -, / and . only).
licence-duplicate = You already have a licence with this regulator.
slug-invalid = Use 2 to 60 lower-case letters, digits and hyphens.
slug-taken = Another organisation already uses this short name.
kind-invalid = Choose association or regulator.
role-invalid = Choose a role this organisation offers.

## Profile
profile-title = My profile
profile-details = About you
profile-organisations = Your organisations
email-verified = verified
email-unverified = not verified yet
verify-prompt = Please confirm your email address with the link we sent you.
verify-resend = Send the link again
field-profession = Profession
field-country = Country
country-hint = Two-letter code, for example KE for Kenya or SN for Senegal.
field-region = Region or district
field-setting = Where do you mostly work?
setting-rural = Rural
setting-urban = Urban
field-languages = Languages you can learn and be mentored in
languages-hint = Codes separated by commas, most preferred first: for example sw, en.
field-locale = Language of Lantern's pages
field-data-saver = Data saver: show images only when I tap them
profession-nurse = Nurse
profession-midwife = Midwife
profession-medical-doctor = Medical doctor
profession-clinical-officer = Clinical officer
profession-community-health-worker = Community health worker
profession-pharmacist = Pharmacist
profession-other = Other
licences-title = Licences
licences-lead = Add your licence numbers so that your regulator can confirm them and receive your CPD credits when you agree.
licences-none = No licence added yet.
field-regulator = Regulator
field-licence-number = Licence number
licence-add = Add licence
licence-unverified = awaiting confirmation
licence-verified = confirmed
licence-rejected = not confirmed
password-title = Password
password-change = Change password
password-ends-sessions = Changing your password signs you out everywhere else.
sessions-title = Where you are signed in
sessions-this-one = this device
sessions-since = Signed in on { $date }
sessions-unknown-device = Unknown device
sessions-end-all = Sign out everywhere

## Organisations
organisations-title = Organisations
organisations-none = You do not belong to any organisation yet.
kind-association = Professional association
kind-regulator = Regulator
role-author = Author
role-reviewer = Reviewer
role-admin = Administrator
role-officer = Officer
members-title = Members
members-none = No members yet.
invite-title = Invite a member
field-role = Role
invite-submit = Send invitation
invitations-open = Invitations waiting for an answer
invitation-title = Invitation
invitation-lead = You are invited to join { $organisation } as { $role }.
invitation-accept = Accept the invitation
invitation-other-account = This invitation is for { $email }. Sign out and sign in with that address to accept it.
invitation-sign-in = Sign in (or create an account) with { $email } to accept.

## Platform administration
admin-title = Platform administration
admin-outbox-link = Email outbox
admin-recent-accounts = Newest accounts
organisation-new = New organisation
organisation-create = Create organisation
field-organisation-name = Name
field-slug = Short name (used in addresses)
slug-hint = Lower-case letters, digits and hyphens, for example eanma.
field-kind = Kind
account-disable = Disable
account-disabled = disabled
outbox-title = Email outbox
outbox-pending = Waiting
outbox-sending = Being sent
outbox-sent = Sent
outbox-failed = Failed
outbox-none-failed = No message has failed.
outbox-attempts = { $count ->
    [one] 1 attempt
   *[other] { $count } attempts
}
outbox-retry = Try again

## Notices after an action
notice-welcome = Welcome to Lantern! We have sent you an email to confirm your address.
notice-saved = Your changes are saved.
notice-signed-out = You are signed out.
notice-signed-out-everywhere = You are signed out on every device.
notice-email-verified = Thank you: your email address is confirmed.
notice-verification-sent = We have sent a new confirmation link.
notice-password-changed = Your password is changed. Other devices are signed out.
notice-licence-added = Licence added. Your regulator will confirm it.
notice-licence-removed = Licence removed.
notice-invitation-sent = Invitation sent.
notice-member-removed = Member removed.
notice-joined = You have joined the organisation.
notice-organisation-created = Organisation created.
notice-account-disabled = The account is disabled and signed out.
notice-retry-queued = The message is queued again.

## Emails
email-greeting = Hello { $name },
email-verify-subject = Confirm your email address for Lantern
email-verify-intro = Thank you for joining Lantern. Please confirm that this is your email address.
email-verify-action = Confirm my address
email-link-expiry = The link works once and expires in { $hours } hours. If you did not create an account, ignore this email.
email-link-expiry-minutes = The link works once and expires in { $minutes } minutes. If you did not ask for it, ignore this email: nothing changes.
email-reset-subject = Reset your Lantern password
email-reset-intro = Someone (we hope you) asked to reset the password of your Lantern account.
email-reset-action = Choose a new password
email-sign-in-subject = Your Lantern sign-in link
email-sign-in-intro = Use this link to sign in to Lantern without typing your password.
email-sign-in-action = Sign in to Lantern
email-invitation-subject = You are invited to join { $organisation } on Lantern
email-invitation-intro = { $inviter } invites you to join { $organisation } on Lantern as { $role }.
email-invitation-action = See the invitation
email-invitation-expiry = The invitation expires in { $days } days. Sign in or create an account with this email address to accept it.

## Errors
error-title = Something went wrong
error-home = Go to the home page
error-request-id = If you contact support, quote this reference:
error-400-title = This request could not be understood
error-400-text = Something in the form was not as expected. Go back and check what you entered.
error-401-title = Please sign in
error-401-text = You need to sign in to see this page.
error-403-title = You do not have access to this page
error-403-text = Your account does not have permission for this. If you think it should, ask your organisation's administrator.
error-404-title = Page not found
error-404-text = The page may have moved, or the address may be mistyped.
error-405-title = This action is not allowed here
error-409-title = This conflicts with something that already exists
error-410-title = This link has expired or has already been used
error-410-text = For your safety, links from emails work once and for a limited time. Ask for a new one.
error-413-title = That is too large
error-413-text = The file or form is larger than Lantern accepts.
error-415-title = This kind of content is not accepted here
error-415-text = Send the form from Lantern's own page.
error-422-title = Please check the form
error-429-title = Too many attempts
error-429-text = For your security, please wait a minute before trying again.
error-500-title = Something went wrong on our side
error-500-text = The problem has been recorded. Please try again in a moment.
error-503-title = Lantern is briefly unavailable
error-503-text = Please try again in a few seconds.
error-csrf = This form has expired or did not come from Lantern. Go back, reload the page and try again.

## Courses
nav-courses = Courses
courses-title = Courses
courses-filter = Filter courses
courses-topic = Topic
courses-language = Language
courses-count = { $count ->
    [one] 1 course
   *[other] { $count } courses
}
courses-minutes = { $minutes } min
courses-credits = { $credits } CPD credits
language-en = English
language-fr = French
language-es = Spanish
language-pt = Portuguese
language-sw = Swahili
course-time = Time
course-credits = Credits proposed
course-by = By
course-version = Version
course-licence = Licence
course-start = Start the course
course-objectives = What you will be able to do
course-contents = Contents
course-quiz-questions = { $count ->
    [one] quiz of 1 question
   *[other] quiz of { $count } questions
}
lesson-position = Lesson { $number } of { $total }
lesson-pager = Lessons
lesson-previous = Previous
lesson-next = Next
lesson-back = Back to the course
nav-learning = My learning
course-completed = You have completed this course.
course-progress = { $percent }% read
course-continue = Continue
course-enrol = Enrol
course-preview = Preview the first lesson
course-sign-in-to-enrol = Sign in to enrol
lesson-read = read
lesson-mark-read = Mark as read and continue
lesson-read-continue = Read — continue
lesson-enrol-to-track = Enrol in the course to keep track of your progress.
quiz-pass-mark = You need { $percent }% to pass.
quiz-attempts-left = { $count ->
    [one] 1 attempt left.
   *[other] { $count } attempts left.
}
quiz-attempts-unlimited = You may try as often as you like.
quiz-your-attempts = Your attempts
quiz-attempt-number = Attempt { $number }
quiz-passed = passed
quiz-not-passed = not passed
quiz-in-progress = in progress
quiz-open-attempt = Open
quiz-resume = Continue the attempt
quiz-start = Start the quiz
quiz-no-attempts-left = You have used every attempt at this quiz.
quiz-score = You scored { $percent }%.
quiz-passed-message = Well done: you passed.
quiz-failed-message = You need { $percent }% to pass. Read the feedback, then try again.
quiz-choose-all = Choose every answer that is right.
quiz-correct = correct
quiz-incorrect = not correct
quiz-submit = Submit answers
quiz-try-again = Try again
learning-title = My learning
learning-none = You have not enrolled in a course yet.
learning-completed-on = completed on { $date }
notice-enrolled = You are enrolled. Your progress is saved as you read.
authoring-title = Courses of the association
authoring-none = No course yet.
upload-title = Upload a course package
upload-hint = A .zip of one course folder, in the format described in Lantern's content guide. It becomes a draft version that a reviewer publishes.
upload-field = Package (.zip)
upload-submit = Upload
edit-problems = { $count ->
    [one] Nothing was saved: 1 problem.
   *[other] Nothing was saved: { $count } problems.
}
editor-problem-at = { $file }, line { $line }: { $message }
course-new-title = Create a course
course-details-title = Course details
editor-back = Back
editor-save = Save
editor-cancel = Cancel
editor-preview = Preview
editor-preview-note = Preview: not saved yet. This is how learners will see the lesson.
field-course-slug = Address of the course
field-course-slug-hint = 2 to 60 lower-case letters, digits and hyphens, e.g. wound-care. It cannot change later.
field-course-title = Title
field-summary = Summary (shown in the catalogue)
field-course-language = Language of the course
field-professions = Professions it serves
field-topics = Topics
field-topics-hint = Separated by commas, in lower-case with hyphens, e.g. infection-prevention, maternal-health.
field-minutes = Estimated minutes
field-credits = CPD credits proposed
field-credits-hint = A multiple of 0.25, e.g. 1.5. The association accredits them.
field-licence = Licence
field-objectives = Learning objectives
field-objectives-hint = One per line.
lesson-edit-title = Edit lesson
field-lesson-title = Title of the lesson
field-lesson-address = Address of the lesson
field-lesson-address-hint = Lower-case letters, digits and hyphens.
field-markdown = Text (Markdown)
field-markdown-hint = ## for headings, - for lists, **bold**, > [!NOTE] or > [!WARNING] for a callout. No HTML.
field-markdown-media = Images of this course: { $paths } (write ![description](path)).
field-clinical-change = Changed for clinical reasons
field-clinical-change-hint = Leave empty unless guidance changed. Learners who completed the previous version are told this sentence.
field-competencies = Competencies evidenced
field-competencies-hint = CODE:LEVEL separated by commas, e.g. IPC.1:2, IPC.3:1.
quiz-edit-title = Edit quiz
field-quiz-text = The quiz
field-quiz-text-hint = In the quiz.toml format of the content guide: title, pass_mark (%), max_attempts (0 = unlimited), then [[questions]] with kind single, multiple or true_false, and [[questions.options]] each with text, correct and feedback.
quiz-edit-summary = Pass mark { $pass }% · attempts allowed: { $attempts ->
    [0] unlimited
   *[other] { $attempts }
}
editor-module = Module { $number }
editor-rename = Rename
editor-up = Move up
editor-down = Move down
editor-remove = Remove
editor-new-lesson = New lesson in this module
editor-add-lesson = Add lesson
editor-edit-quiz = Edit quiz
editor-remove-quiz = Remove quiz
editor-add-quiz = Add a quiz to this module
editor-new-module = New module
editor-new-module-hint = It starts with one lesson of the same title.
editor-add-module = Add module
version-new-draft = Edit in a new draft
version-new-draft-hint = The published version never changes: editing starts a new draft version, published after review.
version-event-drafted = new draft started
version-event-created = course created
version-not-draft = Only a draft can be edited. Start a new draft from the published version.
draft-changed = Someone saved this draft after you opened it. Reload the page and make your change again.
notice-created = Course created as a draft. Write its lessons, then submit it for review.
notice-drafted = This is the draft to edit. Learners keep the published version until a reviewer publishes this one.
version-number = Version { $number }
version-status-draft = draft
version-status-in_review = in review
version-status-approving = being published
version-status-published = published
version-status-retired = retired
version-submit = Submit for review
review-comment = Comment for the authors
version-approve = Approve and publish
version-return = Return with comment
version-history = History
version-event-uploaded = uploaded
version-event-imported = imported
version-event-submitted = submitted for review
version-event-returned = returned for changes
version-event-approved = approved
version-event-published = published
version-wrong-state = This version is not at a step where that can be done. Reload the page.
review-comment-required = Write a comment so the authors know what to change.
review-own-version = You cannot approve a version you wrote or submitted: another reviewer must.
notice-uploaded = The package was checked and stored as a draft.
notice-unchanged = The package is the same as the published version: nothing changed.
notice-submitted = Submitted for review.
notice-published = Approved and published. Learners who completed an earlier version are told of clinical changes.
notice-returned = Returned to the authors with your comment.
learning-notices = Changes to courses you completed
email-clinical-change-subject = Clinical update to "{ $course }"
email-clinical-change-intro = A course you completed, "{ $course }", has a new version with changes made for clinical reasons:
org-courses-link = Courses of this association
course-newer-version = A newer version of this course is published. Your progress carries over for lessons that did not change.
course-move = Move to the newer version
notice-moved = You are on the newest version now.
search-title = Search
search-label = Search courses and lessons
search-placeholder = e.g. hand hygiene, newborn, burnout
search-submit = Search
search-count = { $count ->
    [0] Nothing found. Try fewer or other words.
    [one] 1 result
   *[other] { $count } results
}
search-filters = Narrow the results
search-facet-kind = Kind:
search-facet-profession = Profession:
search-facet-topic = Topic:
search-facet-language = Language:
search-kind-course = Course
search-kind-lesson = Lesson
search-kind-competency = Competency
search-kind-mentor = Mentor
search-pages = More results
search-previous = Previous
search-next = Next
nav-search = Search
