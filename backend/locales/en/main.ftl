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
role-member = Member
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
course-pack-download = Download for sharing (SD card, Bluetooth)
course-pack-hint = A zip of this course that opens in any phone browser, with no connection: unzip it and open index.html.
pack-offline-note = This copy of the course works without a connection. Quizzes here are for checking yourself: to record your progress and earn credits, take the course on Lantern.
pack-start = Start reading
pack-version = { $number }, published { $date }
pack-back = Back to the contents
pack-quiz-intro = Answer each question for yourself, then open “Show the answer” to check.
pack-show-answer = Show the answer
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

## Competencies emails
email-lapsing-subject = Your competency evidence is about to lapse
email-lapsing-intro = Evidence for { $codes } stops counting from { $date }. Renew it with a course, a quiz or an observation of your practice to keep the level you hold.
email-lapsing-action = See your competencies
email-lapsing-note = You receive this message once for each piece of evidence.

## Competencies
frameworks-title = Competency frameworks
frameworks-intro = What health workers are expected to know and do, level by level, as associations define it.
frameworks-count = { $count } competencies
framework-levels = Levels
framework-level = level
framework-roles = Role profiles
framework-version = Version { $number }
framework-validity = Evidence counts for { $months } months.
framework-find-courses = Courses that teach it
framework-import = Import a framework
framework-import-help = Paste a framework in the CSV or JSON format of content/README.md. It is saved as a draft; a reviewer publishes it.
framework-edit = Edit framework
framework-edit-help = Edit the framework as CSV: one row per setting, level, domain, competency, role and requirement. Saving checks every row and keeps nothing if a row is wrong.
framework-text = Framework (CSV or JSON)
framework-save-draft = Save draft
framework-publish = Publish version { $number }
framework-draft-preview = The draft as it will be published
competencies-title = My competencies
profile-rule = The level you hold is the highest that unexpired evidence shows: a completed course, a quiz or an observation of your practice that you co-signed. Your self-assessment is shown beside it but does not count.
profile-held = Level held
profile-self-rated = you rate yourself
profile-set-by = Set by
profile-lapses = lapses on
profile-expired = expired
profile-evidence-count = { $count } pieces of evidence
evidence-course = Course
evidence-quiz = Quiz
evidence-observation = Observed practice
evidence-self = Self-assessment
gaps-title = Gaps
gaps-against = Compare with
gaps-summary = { $met } of { $total } requirements met
gaps-none = You meet every requirement of this role.
gaps-required = Required
gaps-courses = Courses
gaps-mentor = Find a mentor for it
gaps-mentor-all = Ask for a mentor for these gaps
self-title = Rate yourself
self-competency = Competency
self-level = Level
self-submit = Save my rating
evidence-file = Attached file
evidence-file-label = Attach a file (optional)
evidence-file-hint = A scan or photo: PDF, JPEG, PNG or WebP, up to 10 MB.
share-title = Who can see my competencies
share-intro = A mentor or supervisor can see your profile only if you add them here. You can remove them at any time.
share-email = Their email address
share-submit = Share
share-revoke = Stop sharing
observation-title = Observations of practice
observation-intro = Record what you saw a colleague do. It counts as evidence once they co-sign it.
observation-learner = Email of the person observed
observation-level = Level shown
observation-checklist = Checklist
observation-item-consent = Explained the procedure and obtained consent
observation-item-preparation = Prepared the person, equipment and place
observation-item-technique = Performed the technique safely and correctly
observation-item-asepsis = Kept to infection prevention and asepsis
observation-item-communication = Communicated with the person and the team
observation-item-documentation = Documented and handed over
observation-date = Date observed
observation-setting = Where (ward, clinic, community)
observation-notes = Feedback
observation-submit = Record observation
observation-recorded = Observations you recorded
observation-to-sign = Observations to co-sign
observation-by = Observed by
observation-of = of
observation-sign = Co-sign
observation-decline = Decline
observation-signed = Co-signed: it counts as evidence.
observation-declined = Declined.
observation-waiting = Waiting for the co-signature.
observation-record-link = Record an observation of a colleague
workforce-title = Workforce competency gaps
workforce-min-cell = groups of fewer than { $min } members are not shown
workforce-empty = No group is large enough to show.
workforce-members = { $count } members
workforce-no-region = Region not given
workforce-competency = Competency (required level)
workforce-with-gap = Below the level
workforce-suppressed = { $cells } smaller groups ({ $members } members) are not shown.
notice-shared = Your profile is shared.
notice-unshared = Sharing stopped.
notice-observation-recorded = Observation recorded. It counts once your colleague co-signs it.
notice-observation-signed = Co-signed: the observation now counts as evidence.
notice-observation-declined = Observation declined.
notice-framework-published = Framework published.

## Mentoring
mentoring-title = Mentoring
mentoring-intro = A mentor who has what you are growing into, matched on your assessed gaps — or mentor someone yourself.
mentoring-pairs = Your mentorships
mentoring-you-mentor = You mentor { $name }
mentoring-mentored-by = Mentored by { $name }
mentoring-requests = Your requests for a mentor
mentoring-no-requests = You have not asked for a mentor yet.
mentorship-status-proposed = proposed
mentorship-status-offered = waiting for both to accept
mentorship-status-active = active
mentorship-status-declined = declined
mentorship-status-withdrawn = withdrawn
mentorship-status-closed = closed
request-status-open = open
request-status-matched = matched
request-status-withdrawn = withdrawn
request-withdraw = Withdraw
request-now = Find a mentor now
request-new = Ask for a mentor
request-title = Ask for a mentor
request-intro = Choose what you want to grow in. Your association matches mentors to everyone's requests at once, fairly, and tells you why a mentor was chosen.
request-no-programme = None of your associations runs a mentoring programme yet.
request-programme = Programme
request-wanted = Competencies you want to grow in
request-suggested = From your gaps:
request-mentors-offer = { $count ->
    [one] 1 mentor offers it
   *[other] { $count } mentors offer it
}
request-more = Other competencies
request-goals = Your goals
request-languages = Languages you can be mentored in
request-preferences = Preferences
request-remote-ok = Remote mentoring is fine
request-same-profession = Only a mentor of my profession
request-same-country = Only a mentor in my country
request-submit = Send my request
mentor-title = Mentoring others
mentor-intro = Offer what you know. Levels your competency profile shows are marked verified and count more in matching.
mentor-active = You are open to mentoring: { $taken } of { $capacity } places taken.
mentor-inactive = You are not taking mentees now.
mentor-none = You have not offered to mentor yet.
mentor-edit = Mentor profile
mentor-opt-in = I am open to mentoring (matching sees my profile)
mentor-capacity = Most mentees at a time
mentor-languages = Languages you mentor in
mentor-languages-hint = Language codes separated by commas, such as en, sw, fr.
mentor-professions = Professions you mentor
mentor-time-zone = Your time zone
mentor-how = How you mentor
mentor-remote = Remotely (phone, video, messages)
mentor-in-person = In person, in my region
mentor-availability = When you are available
mentor-availability-hint = For example: weekday evenings.
mentor-about = About you
mentor-offers = Competencies you offer
mentor-offers-intro = Choose a level for each competency you can mentor; leave the others empty.
mentor-verified-at = your profile: level { $level }
mentor-save = Save
reason-covers = Covers { $covered } of the { $wanted } competencies asked for{ $verified ->
    [0] {""}
   *[other] , { $verified } verified by the mentor's profile
}
reason-language = Both speak { $language }
reason-profession = Mentors your profession ({ $profession })
reason-in-person = Can meet in person in { $region }
reason-hours = { $hours ->
    [0] Same time zone
    [one] 1 hour time difference
   *[other] { $hours } hours time difference
}
reason-rural = Priority for a rural health worker
pair-title = Mentorship
pair-your-mentor = Your mentor
pair-your-mentee = Your mentee
pair-why = Why this match
pair-wanted = Competencies asked for
pair-contact = Contact
pair-contact-hidden = Contact details appear here once you both accept.
pair-waiting-other = You accepted. Waiting for the other person.
pair-accept = Accept
pair-decline = Decline
pair-decline-reason = Why not? (helps the next match)
pair-cpd = Report these { $hours } hours as CPD credits
pair-cpd-title = Mentoring with { $name }
pair-sessions = Sessions
pair-hours = { $minutes } minutes of mentoring logged.
session-date = Date
session-minutes = Minutes
session-topics = Topics
session-notes = Notes
session-notes-hint = Private to the two of you: your association never sees them.
session-log = Log the session
pair-observe = Record an observation of their practice
pair-end = End the mentorship
pair-end-reason = Reason (optional)
pair-feedback = Your feedback
pair-feedback-submit = Send feedback
pair-concern = Report a concern
pair-concern-label = What worries you?
pair-concern-hint = Your association sees this report and who the pair is, never your session notes.
pair-concern-submit = Send the report
programmes-title = Mentoring programmes
programme-new = Start a programme
programme-title = Title
programme-description = Description
programme-deadline = Requests close on
programme-instant = Members may ask for one mentor at once, outside rounds
programme-create = Create the programme
programme-counts = { $requests ->
    [one] 1 open request
   *[other] { $requests } open requests
} · { $mentors ->
    [one] 1 mentor open to mentoring
   *[other] { $mentors } mentors open to mentoring
}
programme-pairs = Pairs
programme-concerns = Concerns
programme-no-concerns = No concern has been reported.
round-run = Run a matching round
round-summary = Last round: { $matched } of { $mentees } mentees matched, total score { $total } (greedy matching would reach { $greedy }), solved in { $ms } ms.
round-proposals = Proposals to review
round-reassign = Mentor
round-reassign-submit = Change
round-publish = Publish: offer every proposal to both people
notice-requested = Your request is sent. You will hear by email when a mentor is proposed.
notice-request-withdrawn = Request withdrawn.
notice-no-mentor = No mentor fits your request yet; it stays open for the next round.
notice-pair-declined = Declined. If another mentor fits, they are proposed at once.
notice-round-published = Published: both people of every pair have been asked.
email-proposal-subject = A mentoring match for you
email-proposal-mentor = You are proposed as the mentor of { $name }. Why: { $reasons }.
email-proposal-mentee = { $name } is proposed as your mentor. Why: { $reasons }.
email-proposal-action = See the match and answer
email-proposal-note = Contact details are shared once you both accept.
email-active-subject = Your mentorship has started
email-active-intro = You both accepted. You can reach { $name } at { $email }.
email-active-action = Open the mentorship
email-active-note = Log your sessions on the mentorship page; notes stay private to the two of you.
email-ended-subject = A mentorship has ended
email-ended-intro = { $name } ended your mentorship.
email-ended-action = Leave feedback
email-ended-note = Thank you for the time you gave.
email-session-reminder-subject = Time for a mentoring session?
email-session-reminder-intro = You and { $name } have not logged a session for a month.
email-session-reminder-action = Open the mentorship
email-session-reminder-note = You receive this at most once a month.

## Credits
credits-title = My CPD credits
credits-total = { $total } credits in total
credits-none = No credits yet. Complete an accredited course or report an activity below.
credits-hint = Such as 2 or 2.5.
credits-category = Category
category-clinical = Clinical
category-ethics = Ethics
category-leadership = Leadership
category-wellbeing = Wellbeing
category-research = Research
activity-course = Accredited course
activity-conference = Conference
activity-workshop = Workshop
activity-journal_club = Journal club
activity-mentoring = Mentoring
activity-supervised_practice = Supervised practice
activity-self_directed = Self-directed learning
activity-correction = Correction
activity-status-pending = waiting for review
activity-status-approved = approved
activity-status-rejected = not approved
activity-title = Activities outside Lantern
activity-intro = Report a conference, workshop, journal club, mentoring hours or supervised practice. A reviewer of the association you choose approves it, and the credits join your ledger.
activity-association = Association that reviews it
activity-kind = Kind of activity
activity-name = Name of the activity
activity-date = Date
activity-credits = Credits
activity-description = What you did and learnt
activity-submit = Send for review
accreditations-title = Accredited courses
accreditation-new = Accredit a course version
accreditation-course = Course
accreditation-version = Version
accreditation-from = Valid from
accreditation-until = Valid until (optional)
accreditation-months = Certificate validity in months (optional)
accreditation-months-hint = Leave empty for certificates that do not expire.
accreditation-submit = Accredit
review-activities-title = Activities to review
review-activities-none = Nothing is waiting for review.
review-approve = Approve
review-reason = Reason (needed to reject)
review-reject = Reject
notice-activity-reported = Sent for review. The credits join your ledger once approved.
notice-accredited = Accredited: completions from the start date earn these credits.
notice-reviewed = Reviewed.
credits-ledger = Ledger
month-01 = January
month-02 = February
month-03 = March
month-04 = April
month-05 = May
month-06 = June
month-07 = July
month-08 = August
month-09 = September
month-10 = October
month-11 = November
month-12 = December

## Compliance
compliance-title = Licences and CPD requirements
compliance-no-licence = Add your licence number so your regulator's CPD rules can be checked against your credits.
compliance-add-licence = Add a licence
compliance-no-rules = Your regulator has not published CPD rules for your profession in Lantern yet.
compliance-compliant = Compliant
compliance-on-track = On track
compliance-at-risk = At risk
compliance-non-compliant = Not compliant
compliance-cycle = cycle { $start } to { $end }, { $counted } credits counted
consent-give = Share my credits with this regulator
consent-given = Your credits are shared with this regulator.
consent-revoke = Stop sharing
explain-missed = You were { $amount } credits short when the cycle ended on { $date }.
explain-missed-in = You were { $amount } { $category } credits short when the cycle ended on { $date }.
explain-behind = To keep pace you should have { $expected } credits by now; you have { $counted }.
explain-need-more = You need { $amount } more credits by { $date }.
explain-need-more-in = You need { $amount } more { $category } credits by { $date }.
explain-stop = { $count ->
    [one] 1 of your credits, worth { $amount }, stops counting on { $date }.
   *[other] { $count } of your credits, worth { $amount }, stop counting from { $date }.
}
explain-met = You have met every requirement of the cycle ending { $date }.
explain-over-kind = { $amount } credits of { $kind } are over the maximum of { $maximum } and do not count.
explain-not-accepted = { $count ->
    [one] 1 credit, worth { $amount }, does not count: its accreditor is not accepted.
   *[other] { $count } credits, worth { $amount }, do not count: their accreditor is not accepted.
}
explain-expired = { $count ->
    [one] 1 credit, worth { $amount }, no longer counts: it is more than { $months } months old.
   *[other] { $count } credits, worth { $amount }, no longer count: they are more than { $months } months old.
}
rules-title = CPD rules
rules-summary = { $total } credits every { $years ->
    [one] year
   *[other] { $years } years
}
rules-minimums = Minimums per category
rules-minimums-hint = category:credits pairs, such as ethics:5, clinical:10
rules-maximums = Maximums per activity kind
rules-maximums-hint = kind:credits pairs, such as self_directed:10
rules-rolling = Each credit counts for { $months } months.
rules-rolling-label = Months a credit counts (optional)
rules-set = Set the rules for a profession
rules-profession = Profession
rules-cycle-years = Cycle length in years
rules-anchor = Cycle start
rules-anchor-hint = MM-DD for a fixed date (such as 01-01), or "renewal" for each licence's renewal date.
rules-total = Credits required per cycle
rules-save = Save the rules
roster-title = Licence roster
roster-intro = Upload your register of licences as CSV (UTF-8) with these columns. Every row is checked and shown before anything is written; learners' claimed licences with the same number and name are then confirmed.
roster-file = Roster file (.csv)
roster-check = Check the file
roster-problems = { $count ->
    [one] Nothing was imported: 1 problem
   *[other] Nothing was imported: { $count } problems
}
roster-preview = { $count ->
    [one] 1 licence ready to import
   *[other] { $count } licences ready to import
}
roster-import = Import { $count } licences
dashboard-title = Compliance
dashboard-intro = Confirmed licensees who share their credits with you, by the rules for their profession.
dashboard-csv = Download as CSV
dashboard-licensees = Licensees

## Certificates
certverify-title = Verify a certificate
verify-intro = Paste a certificate (the credential) or its verify link to check who issued it, to whom, and whether it still holds. Certificates are signed by the issuing association; its public keys are published.
verify-paste = Certificate or verify link
certverify-submit = Verify
verify-keys = Issuers' public keys (JWKS)
verdict-valid = Valid: genuine, in force and not revoked.
verdict-revoked = Revoked by the issuer.
verdict-expired = Expired.
verdict-not-yet-valid = Not valid yet.
verdict-status-unknown = Genuine, but whether it was revoked cannot be checked now.
verdict-not-genuine = Not genuine: it was not issued by a known issuer, or it was changed.
certificate-title = Certificate of CPD
certificate-recipient = Awarded to
certificate-licence = Licence
certificate-achievement = For completing
certificate-credits = CPD credits
certificate-issuer = Issued by
certificate-issued = Issued on
certificate-expires = Valid until
certificate-qr = Scan to verify, even offline.
certificate-download = Download the credential
offline-heading = The QR code, checked on this device
offline-checking = Checking the signature on this device…
offline-unsupported = This browser cannot check signatures itself; the verdict above is the server's.
offline-no-keys = This device holds no issuers' keys yet: open a verify page once while online.
offline-keys-as-of = Keys as of
offline-list-as-of = revocation list as of
offline-no-list = no revocation list on this device
certificates-title = My certificates
certificates-none = No certificates yet.
certificates-item = Certificate issued on { $date }
issued-title = Certificates issued
revoke-reason = Reason for revoking
revoke-submit = Revoke
notice-revoked = Revoked. Verifiers see it from the next revocation list.
email-cpd-short-subject = You are short of CPD credits for { $regulator }
email-cpd-short-action = See your credits
email-cpd-short-note = You receive this 90, 30 and 7 days before your CPD cycle ends, while credits are missing.
home-verify = Checking a certificate? Verify it here, even offline.
rules-accreditors = Accepted accreditors (optional)
rules-accreditors-hint = Association slugs separated by commas, such as eanma; empty accepts every accreditor.
rules-accepted = { $count ->
    [one] Only credits accredited by 1 association count.
   *[other] Only credits accredited by { $count } associations count.
}

## API tokens
tokens-title = API tokens
tokens-lead = A token lets a program act for you through Lantern's API, only within the scopes you choose, until it expires or you revoke it.
tokens-manage = Manage API tokens
tokens-none = You have no API tokens.
tokens-created = Your new token. Copy it now:
tokens-shown-once = It is shown this once. Lantern keeps only a fingerprint of it and cannot show it again.
tokens-revoked = revoked
tokens-expired = expired
tokens-expires = expires { $date }
tokens-last-used = last used { $date }
tokens-revoke = Revoke
tokens-new = New token
tokens-name = Name
tokens-name-hint = What it is for, such as "Licensing system".
tokens-days = Valid for (days)
tokens-scopes = What it may do
tokens-create = Create token
tokens-feature-courses = Courses
tokens-feature-competencies = Competencies
tokens-feature-mentoring = Mentoring
tokens-feature-credits = CPD credits and certificates
tokens-feature-search = Search
tokens-feature-insights = Workforce insights
tokens-access-read = read
tokens-access-write = read and write
token-name-required = Give the token a name of at most 80 characters.
token-days-range = A token lasts from 1 to 366 days.
token-scope-unknown = Choose scopes from the list.
token-scope-required = Choose at least one scope.

## Dashboard filters, bulk verification
dashboard-by-profession = By profession
dashboard-by-region = By region
dashboard-any-status = Any status
dashboard-any-profession = Any profession
dashboard-any-region = Any region
dashboard-status = Status
dashboard-filter = Show
dashboard-matching = { $count ->
    [one] One licensee matches.
   *[other] { $count } licensees match.
}
pager = Pages
pager-previous = Previous
pager-next = Next
pager-of = Page { $page } of { $pages }
bulk-title = Bulk verification
bulk-intro = Check many certificates and licences at once: each row gets an answer, in a CSV file to download. A licensee's compliance is shown only when they agreed to share their credits with you.
bulk-refused = The file could not be read:
bulk-file = CSV file (at most 100,000 rows)
bulk-file-hint = A column certificate_id, a column licence_number, or both (one filled per row).
bulk-check = Check and download answers
bulk-api = Through the API
bulk-api-intro = Your systems can send the same list as JSON or CSV with an API token that has the scope "CPD credits and certificates · read". Answers stream back row by row.
email-summary-subject = { $regulator }: CPD compliance for { $month }
email-summary-intro = { $count ->
    [one] One licensee shares their credits with you:
   *[other] { $count } licensees share their credits with you:
}
email-summary-action = Open the compliance dashboard
email-summary-note = You receive this summary once a month as an officer of the regulator on Lantern.

## Audits
audits-title = Audits
audits-intro = Draw a random sample of the licensees who share their credits with you, then review each one's credits and evidence and record an outcome. The same seed and the same licensees always give the same sample.
audits-none = No audits yet.
audits-progress = { $decided } of { $cases } reviewed
audits-new = New audit
audits-name = Name
audits-as-of = Cycle containing the date
audits-percent = Share of licensees (%)
audits-seed = Seed
audits-seed-hint = Leave empty for a random seed. It is kept with the audit so the sample can be drawn again and checked.
audits-start = Draw the sample
audits-sample = Drawn { $date }: { $percent } % of { $population } licensees, seed { $seed }.
audits-cases = Sampled licensees
audit-outcome-pending = not reviewed
audit-outcome-satisfactory = satisfactory
audit-outcome-follow_up = follow-up needed
audit-outcome-unsatisfactory = unsatisfactory
audit-case-standing = Standing in the audited cycle
audit-case-entries = Ledger entries
audit-case-activities = Outside activities and evidence
audit-case-certificates = Certificates
audit-case-outcome = Outcome
audit-case-note = Note
audit-case-note-hint = Required unless satisfactory: what was found and what the licensee must do.
audit-case-save = Record the outcome
audit-case-back = Back to the audit

## Transcripts
transcript-title = CPD transcript
transcript-open = Transcript of this cycle
transcript-subtitle = { $name } · { $regulator } · licence { $licence } · cycle { $start } – { $end }
transcript-counted = { $counted } credits counted
transcript-cycles = Cycles
transcript-previous = Previous cycle
transcript-next = Next cycle
transcript-empty = No credits in this cycle.
transcript-pdf = Download PDF
transcript-csv = Download CSV
transcript-col-date = Date
transcript-col-activity = Activity
transcript-col-kind = Kind
transcript-col-category = Category
transcript-col-credits = Credits
transcript-col-counted = Counted
transcript-col-note = Note
transcript-before-cycle = before the cycle
transcript-after-cycle = after the cycle
transcript-not-yet = not yet earned
transcript-not-accepted = accreditor not accepted
transcript-expired = no longer valid
transcript-over-maximum = above the maximum for its kind
transcript-footer = Made by Lantern on { $date }. Certificates can be checked at { $url }

certificate-id = Certificate id
certificate-pdf = Download PDF
certificate-pdf-title = Certificate of continuing professional development
certificate-pdf-hint = Scan to verify, even offline
audit-case-none = None.

media-add-title = Add an image, a recording or a PDF
media-add-hint = It goes at the end of the lesson; move its line in the text to place it. Images become phone-sized copies; recordings play only when tapped. Keep files small: learners pay for every megabyte.
media-file = File (JPEG, PNG, WebP, MP3, Ogg, M4A, MP4, WebM or PDF)
media-caption = Caption
media-caption-hint = What it shows, for a learner who cannot see it or whose connection did not load it.
media-add = Add to the lesson
media-file-missing = Choose a file.
media-file-too-large = The file is too large: at most { $megabytes } MB.
media-caption-missing = Write a caption that says what the file shows.
notice-media-added = The file was added at the end of the lesson.
# Courses offline (courses::offline)
offline-course-heading = Save for offline
offline-course-intro = Read this course and answer its quizzes with no network. Your answers are sent when you are back online.
offline-course-size = Saving this course keeps about { $size } on this phone.
offline-course-save = Save for offline
offline-course-saving = Saving… { $percent }%
offline-course-saved = Saved on this phone on { $date } ({ $size }).
offline-course-remove = Remove from this phone
offline-course-failed = Saving did not finish. Check the network and try again.
offline-course-no-network = Connect to the network to save this course.
offline-course-removed = Removed from this phone.
offline-saved-heading = Saved for offline
offline-saved-none = No course is saved on this phone.
offline-queued-title = Saved on this phone
offline-queued-body = Your answers are saved on this phone and will be sent when you are back online.
quiz-key-used = These answers were already recorded for another attempt.

# Insights (aggregate figures about members and licensees)
insights-title = Workforce insights
insights-privacy = Figures describing fewer than { $k } people are hidden (–), and so are figures that would reveal a hidden one by subtraction from the totals.
insights-hidden = Hidden: fewer than { $k } people, or would reveal such a figure
insights-empty = No figures yet.
insights-gaps-link = Competency gaps by region and profession
insights-counted = Counted at { $at }; counted again every few minutes.
insights-csv = Download as CSV
insights-total = Total
insights-not-given = Not given
insights-credits-note = CPD credits earned, with the number of members who earned them in brackets.
insights-members = Members by region and profession
insights-settings = Members by profession, rural or urban
insights-enrolments = Course enrolments by month
insights-completions = Course completions by month
insights-credits = CPD credits earned by year
insights-mentoring = Mentees with an active mentor, rural and urban
insights-mentor-with = With an active mentor
insights-mentor-without = Without
insights-compliance-professions = Licensees' compliance today, by profession
insights-compliance-regions = Licensees' compliance today, by region
insights-compliance-trend = Compliant licensees at the end of each month
insights-axis-region = Region
insights-axis-profession = Profession
insights-axis-setting = Setting
insights-axis-month = Month
insights-axis-year = Year
insights-axis-mentor = Mentor
insights-axis-status = Status

## The API reference (/api)
api-title = The Lantern API
api-lead = Everything a page lets you do, as JSON, for your own tools and your institution's systems. This page is drawn from the API's OpenAPI 3.1 document.
api-using = Using it
api-auth = Call it with an API token, sent as "Authorization: Bearer lt_…", scoped per feature to reading or writing; or from a browser where you are signed in.
api-tokens-link = Make a token
api-limits = Each token may make { $rate } requests a minute; beyond that the answer is 429 with Retry-After.
api-errors = Errors come as application/problem+json: the status, a title and a detail naming the field or row.
api-pages = Lists come a page at a time: give the next_cursor of one page as cursor for the next, and limit (1 to 100) for its size.
api-etags = Reads carry an ETag; send it back in If-None-Match and an unchanged answer is 304 with no body.
api-document = The OpenAPI document (JSON)
api-needs-token = A token with the scope
api-session-only = A signed-in session only: tokens are not accepted here.
api-public = Open to anyone, signed in or not.
api-parameters = Parameters
api-required = required
api-body = Body
api-responses = Answers
