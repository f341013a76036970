//! The authorisation matrix: every registered route × every role → the expected status. A route
//! added to the backend without a row here fails `every_route_has_a_row`. Every refusal (403)
//! leaves an audit event.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::platform::audit::entity as audit;
use lantern_tests::{Browser, TestApp};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// The actors, in the order of each row's statuses.
const ACTORS: [&str; 7] = [
    "anonymous",
    "learner",
    "author",
    "reviewer",
    "other-association-admin",
    "regulator-officer",
    "platform-admin",
];

/// (method, route as registered, concrete path, form fields, statuses per actor)
type Row = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)], [u16; 7]);

const ALL_200: [u16; 7] = [200; 7];
const ALL_410: [u16; 7] = [410; 7];
const SIGNED_IN_200: [u16; 7] = [303, 200, 200, 200, 200, 200, 200];
const PLATFORM_ONLY: [u16; 7] = [303, 403, 403, 403, 403, 403, 200];
const AUTHOR_ONLY_GET: [u16; 7] = [303, 403, 200, 403, 403, 403, 403];
const AUTHOR_ONLY_409: [u16; 7] = [401, 403, 409, 403, 403, 403, 403];

const ROWS: &[Row] = &[
    ("get", "/", "/", &[], ALL_200),
    ("get", "/healthz", "/healthz", &[], ALL_200),
    ("get", "/readyz", "/readyz", &[], ALL_200),
    ("get", "/metrics", "/metrics", &[], ALL_200),
    ("get", "/static/{name}", "/static/style-000000000000.css", &[], [404; 7]),
    ("get", "/sign-up", "/sign-up", &[], [200, 303, 303, 303, 303, 303, 303]),
    ("get", "/sign-in", "/sign-in", &[], [200, 303, 303, 303, 303, 303, 303]),
    ("get", "/sign-in/link", "/sign-in/link", &[], ALL_200),
    ("get", "/forgot-password", "/forgot-password", &[], ALL_200),
    ("get", "/sign-in/link/{token}", "/sign-in/link/bogus", &[], ALL_410),
    ("get", "/reset-password/{token}", "/reset-password/bogus", &[], ALL_410),
    ("get", "/verify-email/{token}", "/verify-email/bogus", &[], ALL_410),
    ("get", "/invitations/{token}", "/invitations/bogus", &[], ALL_410),
    ("get", "/account", "/account", &[], SIGNED_IN_200),
    ("get", "/orgs", "/orgs", &[], SIGNED_IN_200),
    ("get", "/orgs/{slug}", "/orgs/eanma", &[], [303, 403, 200, 200, 403, 403, 200]),
    ("get", "/courses", "/courses", &[], ALL_200),
    ("get", "/search", "/search?q=hygiene", &[], ALL_200),
    ("get", "/api/v1/search", "/api/v1/search?q=hygiene", &[], ALL_200),
    ("get", "/courses/{slug}", "/courses/hand-hygiene", &[], ALL_200),
    ("get", "/courses/{slug}/pack.zip", "/courses/hand-hygiene/pack.zip", &[], ALL_200),
    (
        "get",
        "/courses/{slug}/lessons/{lesson}",
        "/courses/hand-hygiene/lessons/why-hands-matter",
        &[],
        ALL_200,
    ),
    ("get", "/media/{sha256}", "/media/unknown", &[], [404; 7]),
    ("head", "/media/{sha256}", "/media/unknown", &[], [404; 7]),
    ("get", "/media/{sha256}/{variant}", "/media/unknown/360.webp", &[], [404; 7]),
    ("head", "/media/{sha256}/{variant}", "/media/unknown/360.webp", &[], [404; 7]),
    ("get", "/learning", "/learning", &[], SIGNED_IN_200),
    (
        "get",
        "/courses/{slug}/quizzes/{quiz}",
        "/courses/hand-hygiene/quizzes/999999",
        &[],
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "get",
        "/courses/{slug}/attempts/{attempt}",
        "/courses/hand-hygiene/attempts/999999",
        &[],
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/courses/{slug}/move-to-latest",
        "/courses/hand-hygiene/move-to-latest",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/courses/{slug}/enrol",
        "/courses/no-such-course/enrol",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/courses/{slug}/lessons/{lesson}/complete",
        "/courses/hand-hygiene/lessons/why-hands-matter/complete",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/courses/{slug}/quizzes/{quiz}/attempts",
        "/courses/hand-hygiene/quizzes/999999/attempts",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/courses/{slug}/attempts/{attempt}",
        "/courses/hand-hygiene/attempts/999999",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    ("get", "/orgs/{slug}/courses", "/orgs/eanma/courses", &[], [303, 403, 200, 200, 403, 403, 200]),
    ("post", "/orgs/{slug}/courses", "/orgs/eanma/courses", &[], [401, 403, 400, 403, 403, 403, 403]),
    (
        "get",
        "/orgs/{slug}/courses/{course}/versions/{number}",
        "/orgs/eanma/courses/hand-hygiene/versions/1",
        &[],
        [303, 403, 200, 200, 403, 403, 200],
    ),
    (
        "post",
        "/orgs/{slug}/courses/{course}/versions/{number}/submit",
        "/orgs/eanma/courses/hand-hygiene/versions/1/submit",
        &[],
        [401, 403, 409, 403, 403, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/courses/{course}/versions/{number}/approve",
        "/orgs/eanma/courses/hand-hygiene/versions/1/approve",
        &[],
        [401, 403, 403, 409, 403, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/courses/{course}/versions/{number}/return",
        "/orgs/eanma/courses/hand-hygiene/versions/1/return",
        &[],
        [401, 403, 403, 409, 403, 403, 403],
    ),
    ("get", "/orgs/{slug}/courses/new", "/orgs/eanma/courses/new", &[], AUTHOR_ONLY_GET),
    ("post", "/orgs/{slug}/courses/new", "/orgs/eanma/courses/new", &[], [401, 403, 422, 403, 403, 403, 403]),
    // The editor opens drafts only: on a published version an author gets 409.
    (
        "get",
        "/orgs/{slug}/courses/{course}/versions/{number}/details",
        "/orgs/eanma/courses/hand-hygiene/versions/1/details",
        &[],
        [303, 403, 409, 403, 403, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/courses/{course}/versions/{number}/details",
        "/orgs/eanma/courses/hand-hygiene/versions/1/details",
        &[],
        AUTHOR_ONLY_409,
    ),
    (
        "post",
        "/orgs/{slug}/courses/{course}/versions/{number}/outline",
        "/orgs/eanma/courses/hand-hygiene/versions/1/outline",
        &[("op", "add-module"), ("title", "Extra")],
        AUTHOR_ONLY_409,
    ),
    (
        "get",
        "/orgs/{slug}/courses/{course}/versions/{number}/lessons/{lesson}",
        "/orgs/eanma/courses/hand-hygiene/versions/1/lessons/why-hands-matter",
        &[],
        [303, 403, 409, 403, 403, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/courses/{course}/versions/{number}/lessons/{lesson}",
        "/orgs/eanma/courses/hand-hygiene/versions/1/lessons/why-hands-matter",
        &[],
        AUTHOR_ONLY_409,
    ),
    (
        "post",
        "/orgs/{slug}/courses/{course}/versions/{number}/lessons/{lesson}/media",
        "/orgs/eanma/courses/hand-hygiene/versions/1/lessons/why-hands-matter/media",
        &[("caption", "A photo")],
        AUTHOR_ONLY_409,
    ),
    (
        "get",
        "/orgs/{slug}/courses/{course}/versions/{number}/modules/{module}/quiz",
        "/orgs/eanma/courses/hand-hygiene/versions/1/modules/0/quiz",
        &[],
        [303, 403, 409, 403, 403, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/courses/{course}/versions/{number}/modules/{module}/quiz",
        "/orgs/eanma/courses/hand-hygiene/versions/1/modules/0/quiz",
        &[],
        AUTHOR_ONLY_409,
    ),
    // Competencies.
    ("get", "/frameworks", "/frameworks", &[], ALL_200),
    ("get", "/frameworks/{slug}", "/frameworks/primary-care-nursing-midwifery", &[], ALL_200),
    ("get", "/api/v1/frameworks", "/api/v1/frameworks", &[], ALL_200),
    ("get", "/api/v1/frameworks/{slug}", "/api/v1/frameworks/primary-care-nursing-midwifery", &[], ALL_200),
    ("get", "/me/competencies", "/me/competencies", &[], SIGNED_IN_200),
    ("get", "/me/competencies/gaps", "/me/competencies/gaps?role=rural-midwife", &[], SIGNED_IN_200),
    // The API answers 401 where pages send to the sign-in form.
    ("get", "/api/v1/me/competencies", "/api/v1/me/competencies", &[], [401, 200, 200, 200, 200, 200, 200]),
    (
        "get",
        "/api/v1/me/gaps",
        "/api/v1/me/gaps?role=rural-midwife",
        &[],
        [401, 200, 200, 200, 200, 200, 200],
    ),
    (
        "post",
        "/me/competencies/self",
        "/me/competencies/self",
        &[("code", "IPC.1"), ("level", "2")],
        [401, 303, 303, 303, 303, 303, 303],
    ),
    (
        "post",
        "/me/competencies/shares",
        "/me/competencies/shares",
        &[("email", "nobody@example.org")],
        [401, 422, 422, 422, 422, 422, 422],
    ),
    (
        "post",
        "/me/competencies/shares/{id}/revoke",
        "/me/competencies/shares/999999/revoke",
        &[],
        [401, 303, 303, 303, 303, 303, 303],
    ),
    // Someone else's profile is hidden unless shared: not found, to say nothing.
    (
        "get",
        "/people/{id}/competencies",
        "/people/999999/competencies",
        &[],
        [303, 404, 404, 404, 404, 404, 404],
    ),
    ("get", "/observations", "/observations", &[], SIGNED_IN_200),
    ("post", "/observations", "/observations", &[], [401, 422, 422, 422, 422, 422, 422]),
    (
        "post",
        "/observations/{id}/sign",
        "/observations/999999/sign",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/observations/{id}/decline",
        "/observations/999999/decline",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    // Files of evidence: for the learner, the observer, and whom the learner shares with.
    ("get", "/observations/{id}/file", "/observations/999999/file", &[], [303, 404, 404, 404, 404, 404, 404]),
    ("get", "/evidence/{id}/file", "/evidence/999999/file", &[], [303, 404, 404, 404, 404, 404, 404]),
    ("get", "/orgs/{slug}/frameworks", "/orgs/eanma/frameworks", &[], AUTHOR_ONLY_GET),
    ("post", "/orgs/{slug}/frameworks", "/orgs/eanma/frameworks", &[], [401, 403, 422, 403, 403, 403, 403]),
    (
        "get",
        "/orgs/{slug}/frameworks/{framework}/draft",
        "/orgs/eanma/frameworks/primary-care-nursing-midwifery/draft",
        &[],
        AUTHOR_ONLY_GET,
    ),
    (
        "post",
        "/orgs/{slug}/frameworks/{framework}/draft",
        "/orgs/eanma/frameworks/primary-care-nursing-midwifery/draft",
        &[],
        [401, 403, 422, 403, 403, 403, 403],
    ),
    // Publishing needs a reviewer, and a draft (there is none: 409).
    (
        "post",
        "/orgs/{slug}/frameworks/{framework}/publish",
        "/orgs/eanma/frameworks/primary-care-nursing-midwifery/publish",
        &[],
        [401, 403, 403, 409, 403, 403, 403],
    ),
    // Aggregates for the association's staff only; platform admins are not its staff.
    (
        "get",
        "/orgs/{slug}/workforce",
        "/orgs/eanma/workforce?role=rural-midwife",
        &[],
        [303, 403, 200, 200, 403, 403, 403],
    ),
    // Insights: an association's staff see its members' figures, a regulator's officers its
    // licensees'; nobody else, platform admins included.
    ("get", "/orgs/{slug}/insights", "/orgs/eanma/insights", &[], [303, 403, 200, 200, 403, 403, 403]),
    ("get", "/orgs/{slug}/insights", "/orgs/dnmc/insights", &[], [303, 403, 403, 403, 403, 200, 403]),
    (
        "get",
        "/orgs/{slug}/insights/{file}",
        "/orgs/eanma/insights/members.csv",
        &[],
        [303, 403, 200, 200, 403, 403, 403],
    ),
    (
        "get",
        "/orgs/{slug}/insights/{file}",
        "/orgs/dnmc/insights/compliance-regions.csv",
        &[],
        [303, 403, 403, 403, 403, 200, 403],
    ),
    (
        "get",
        "/api/v1/orgs/{slug}/insights",
        "/api/v1/orgs/eanma/insights",
        &[],
        [401, 403, 200, 200, 403, 403, 403],
    ),
    (
        "get",
        "/api/v1/orgs/{slug}/insights",
        "/api/v1/orgs/dnmc/insights",
        &[],
        [401, 403, 403, 403, 403, 200, 403],
    ),
    // The API's document and reference, and its courses: the catalogue is public, learning is
    // anyone's own.
    ("get", "/api", "/api", &[], ALL_200),
    ("get", "/api/v1/openapi.json", "/api/v1/openapi.json", &[], ALL_200),
    ("get", "/api/v1/courses", "/api/v1/courses", &[], ALL_200),
    ("get", "/api/v1/courses/{slug}", "/api/v1/courses/hand-hygiene", &[], ALL_200),
    (
        "post",
        "/api/v1/courses/{slug}/enrolment",
        "/api/v1/courses/newborn-first-hour/enrolment",
        &[],
        [401, 201, 201, 201, 201, 201, 201],
    ),
    (
        "post",
        "/api/v1/courses/{slug}/lessons/{lesson}/read",
        "/api/v1/courses/safe-medication/lessons/nosuch/read",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/api/v1/courses/{slug}/quizzes/{quiz}/attempts",
        "/api/v1/courses/safe-medication/quizzes/999999/attempts",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "get",
        "/api/v1/courses/{slug}/attempts/{attempt}",
        "/api/v1/courses/safe-medication/attempts/999999",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    // A form where JSON is wanted: refused as such once the caller is known.
    (
        "post",
        "/api/v1/courses/{slug}/attempts/{attempt}",
        "/api/v1/courses/safe-medication/attempts/999999",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    ("get", "/api/v1/me/courses", "/api/v1/me/courses", &[], [401, 200, 200, 200, 200, 200, 200]),
    (
        "post",
        "/api/v1/courses/{slug}/enrolment/latest",
        "/api/v1/courses/safe-medication/enrolment/latest",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/mentoring",
        "/api/v1/orgs/ainfao/mentoring",
        &[],
        [401, 403, 403, 403, 415, 403, 403],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/mentoring/{programme}/pairs/{pair}/reassign",
        "/api/v1/orgs/ainfao/mentoring/none/pairs/1/reassign",
        &[],
        [401, 403, 403, 403, 415, 403, 403],
    ),
    (
        "post",
        "/api/v1/me/mentoring/requests/{id}/match",
        "/api/v1/me/mentoring/requests/999999/match",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "get",
        "/api/v1/orgs/{slug}/certificates",
        "/api/v1/orgs/eanma/certificates",
        &[],
        [401, 403, 403, 200, 403, 403, 403],
    ),
    // The API for an association's courses: its staff read them; authors upload and submit
    // (version 1 is published already: 409), reviewers approve and return (with a JSON comment,
    // so the form this test sends is refused as such: 415).
    (
        "get",
        "/api/v1/orgs/{slug}/courses",
        "/api/v1/orgs/eanma/courses",
        &[],
        [401, 403, 200, 200, 403, 403, 200],
    ),
    // A form where a zip is wanted: refused as such once the author is known.
    (
        "post",
        "/api/v1/orgs/{slug}/courses",
        "/api/v1/orgs/eanma/courses",
        &[],
        [401, 403, 415, 403, 403, 403, 403],
    ),
    (
        "get",
        "/api/v1/orgs/{slug}/courses/{course}/versions/{number}",
        "/api/v1/orgs/eanma/courses/hand-hygiene/versions/1",
        &[],
        [401, 403, 200, 200, 403, 403, 200],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/courses/{course}/versions/{number}/submit",
        "/api/v1/orgs/eanma/courses/hand-hygiene/versions/1/submit",
        &[],
        [401, 403, 409, 403, 403, 403, 403],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/courses/{course}/versions/{number}/approve",
        "/api/v1/orgs/eanma/courses/hand-hygiene/versions/1/approve",
        &[],
        [401, 403, 403, 415, 403, 403, 403],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/courses/{course}/versions/{number}/return",
        "/api/v1/orgs/eanma/courses/hand-hygiene/versions/1/return",
        &[],
        [401, 403, 403, 415, 403, 403, 403],
    ),
    // Mentoring programmes: the association's admins only.
    (
        "get",
        "/api/v1/orgs/{slug}/mentoring",
        "/api/v1/orgs/ainfao/mentoring",
        &[],
        [401, 403, 403, 403, 200, 403, 403],
    ),
    (
        "get",
        "/api/v1/orgs/{slug}/mentoring/{programme}",
        "/api/v1/orgs/ainfao/mentoring/none",
        &[],
        [401, 403, 403, 403, 404, 403, 403],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/mentoring/{programme}/rounds",
        "/api/v1/orgs/ainfao/mentoring/none/rounds",
        &[],
        [401, 403, 403, 403, 404, 403, 403],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/mentoring/{programme}/rounds/{round}/publish",
        "/api/v1/orgs/ainfao/mentoring/none/rounds/999999/publish",
        &[],
        [401, 403, 403, 403, 404, 403, 403],
    ),
    ("get", "/api/v1/me/mentoring", "/api/v1/me/mentoring", &[], [401, 200, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/me/certificates", "/api/v1/me/certificates", &[], [401, 200, 200, 200, 200, 200, 200]),
    (
        "post",
        "/api/v1/me/credits/consent/{regulator}",
        "/api/v1/me/credits/consent/dnmc",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    (
        "post",
        "/api/v1/me/competencies/self",
        "/api/v1/me/competencies/self",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    // An association's CPD through the API: its reviewers only.
    (
        "get",
        "/api/v1/orgs/{slug}/accreditations",
        "/api/v1/orgs/eanma/accreditations",
        &[],
        [401, 403, 403, 200, 403, 403, 403],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/accreditations",
        "/api/v1/orgs/eanma/accreditations",
        &[],
        [401, 403, 403, 415, 403, 403, 403],
    ),
    (
        "get",
        "/api/v1/orgs/{slug}/activities",
        "/api/v1/orgs/eanma/activities",
        &[],
        [401, 403, 403, 200, 403, 403, 403],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/activities/{id}/decision",
        "/api/v1/orgs/eanma/activities/999999/decision",
        &[],
        [401, 403, 403, 415, 403, 403, 403],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/certificates/{id}/revoke",
        "/api/v1/orgs/eanma/certificates/nosuch/revoke",
        &[],
        [401, 403, 403, 415, 403, 403, 403],
    ),
    (
        "post",
        "/api/v1/me/credits/activities",
        "/api/v1/me/credits/activities",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    // The caller's own mentoring through the API; a pair is its two people's (else 404).
    (
        "post",
        "/api/v1/me/mentoring/mentor",
        "/api/v1/me/mentoring/mentor",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    (
        "post",
        "/api/v1/me/mentoring/requests",
        "/api/v1/me/mentoring/requests",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    (
        "post",
        "/api/v1/me/mentoring/requests/{id}/withdraw",
        "/api/v1/me/mentoring/requests/999999/withdraw",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/api/v1/mentorships/{id}/accept",
        "/api/v1/mentorships/999999/accept",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/api/v1/mentorships/{id}/decline",
        "/api/v1/mentorships/999999/decline",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    (
        "post",
        "/api/v1/mentorships/{id}/sessions",
        "/api/v1/mentorships/999999/sessions",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    (
        "post",
        "/api/v1/mentorships/{id}/end",
        "/api/v1/mentorships/999999/end",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    (
        "post",
        "/api/v1/mentorships/{id}/feedback",
        "/api/v1/mentorships/999999/feedback",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    (
        "post",
        "/api/v1/mentorships/{id}/concern",
        "/api/v1/mentorships/999999/concern",
        &[],
        [401, 415, 415, 415, 415, 415, 415],
    ),
    // Observations: only the learner observed answers (else 404).
    (
        "post",
        "/api/v1/me/competencies/observations/{id}/sign",
        "/api/v1/me/competencies/observations/999999/sign",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/api/v1/me/competencies/observations/{id}/decline",
        "/api/v1/me/competencies/observations/999999/decline",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    // Frameworks: authors import, reviewers publish.
    (
        "post",
        "/api/v1/orgs/{slug}/frameworks",
        "/api/v1/orgs/eanma/frameworks",
        &[],
        [401, 403, 415, 403, 403, 403, 403],
    ),
    (
        "post",
        "/api/v1/orgs/{slug}/frameworks/{framework}/publish",
        "/api/v1/orgs/eanma/frameworks/nosuch/publish",
        &[],
        [401, 403, 403, 404, 403, 403, 403],
    ),
    (
        "post",
        "/api/v1/regulators/{slug}/rules",
        "/api/v1/regulators/dnmc/rules",
        &[],
        [401, 403, 403, 403, 403, 415, 403],
    ),
    (
        "get",
        "/api/v1/regulators/{slug}/audits/{audit}",
        "/api/v1/regulators/dnmc/audits/999999",
        &[],
        [401, 403, 403, 403, 403, 404, 403],
    ),
    (
        "post",
        "/api/v1/regulators/{slug}/audits/{audit}/cases/{case}",
        "/api/v1/regulators/dnmc/audits/999999/cases/1",
        &[],
        [401, 403, 403, 403, 403, 415, 403],
    ),
    // A regulator's rules, roster, compliance and audits: its officers only.
    (
        "get",
        "/api/v1/regulators/{slug}/rules",
        "/api/v1/regulators/dnmc/rules",
        &[],
        [401, 403, 403, 403, 403, 200, 403],
    ),
    (
        "post",
        "/api/v1/regulators/{slug}/roster",
        "/api/v1/regulators/dnmc/roster",
        &[],
        [401, 403, 403, 403, 403, 415, 403],
    ),
    (
        "get",
        "/api/v1/regulators/{slug}/compliance",
        "/api/v1/regulators/dnmc/compliance",
        &[],
        [401, 403, 403, 403, 403, 200, 403],
    ),
    (
        "get",
        "/api/v1/regulators/{slug}/audits",
        "/api/v1/regulators/dnmc/audits",
        &[],
        [401, 403, 403, 403, 403, 200, 403],
    ),
    (
        "post",
        "/api/v1/regulators/{slug}/audits",
        "/api/v1/regulators/dnmc/audits",
        &[],
        [401, 403, 403, 403, 403, 415, 403],
    ),
    ("get", "/api/v1/me/credits", "/api/v1/me/credits", &[], [401, 200, 200, 200, 200, 200, 200]),
    // Starts draft version 2 for the author: after the rows that expect version 1 alone.
    (
        "post",
        "/orgs/{slug}/courses/{course}/versions/{number}/draft",
        "/orgs/eanma/courses/hand-hygiene/versions/1/draft",
        &[],
        [401, 403, 303, 403, 403, 403, 403],
    ),
    // Mentoring: a learner's own pages; a pair's pages for the two of them only (else 404);
    // programmes for the association's admins only (platform admins are not its admins).
    ("get", "/me/mentoring", "/me/mentoring", &[], SIGNED_IN_200),
    ("get", "/me/mentoring/mentor", "/me/mentoring/mentor", &[], SIGNED_IN_200),
    ("post", "/me/mentoring/mentor", "/me/mentoring/mentor", &[], [401, 422, 422, 422, 422, 422, 422]),
    ("get", "/me/mentoring/request", "/me/mentoring/request", &[], SIGNED_IN_200),
    ("post", "/me/mentoring/request", "/me/mentoring/request", &[], [401, 422, 422, 422, 422, 422, 422]),
    (
        "post",
        "/me/mentoring/requests/{id}/withdraw",
        "/me/mentoring/requests/999999/withdraw",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/me/mentoring/requests/{id}/now",
        "/me/mentoring/requests/999999/now",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    ("get", "/mentorships/{id}", "/mentorships/999999", &[], [303, 404, 404, 404, 404, 404, 404]),
    (
        "post",
        "/mentorships/{id}/accept",
        "/mentorships/999999/accept",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/mentorships/{id}/decline",
        "/mentorships/999999/decline",
        &[("reason", "Too far")],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/mentorships/{id}/sessions",
        "/mentorships/999999/sessions",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    ("post", "/mentorships/{id}/end", "/mentorships/999999/end", &[], [401, 404, 404, 404, 404, 404, 404]),
    (
        "post",
        "/mentorships/{id}/feedback",
        "/mentorships/999999/feedback",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    (
        "post",
        "/mentorships/{id}/concern",
        "/mentorships/999999/concern",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    ("get", "/orgs/{slug}/mentoring", "/orgs/ainfao/mentoring", &[], [303, 403, 403, 403, 200, 403, 403]),
    ("post", "/orgs/{slug}/mentoring", "/orgs/ainfao/mentoring", &[], [401, 403, 403, 403, 422, 403, 403]),
    (
        "get",
        "/orgs/{slug}/mentoring/{programme}",
        "/orgs/ainfao/mentoring/none",
        &[],
        [303, 403, 403, 403, 404, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/mentoring/{programme}/rounds",
        "/orgs/ainfao/mentoring/none/rounds",
        &[],
        [401, 403, 403, 403, 404, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/mentoring/{programme}/rounds/{id}/publish",
        "/orgs/eanma/mentoring/none/rounds/1/publish",
        &[],
        [401, 403, 403, 403, 403, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/mentoring/{programme}/pairs/{id}/reassign",
        "/orgs/ainfao/mentoring/none/pairs/1/reassign",
        &[],
        [401, 403, 403, 403, 404, 403, 403],
    ),
    // Credits: a learner's own ledger; accreditations and reviews for the association's reviewers.
    ("get", "/me/credits", "/me/credits", &[], SIGNED_IN_200),
    ("post", "/me/credits/activities", "/me/credits/activities", &[], [401, 422, 422, 422, 422, 422, 422]),
    (
        "get",
        "/orgs/{slug}/accreditations",
        "/orgs/eanma/accreditations",
        &[],
        [303, 403, 403, 200, 403, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/accreditations",
        "/orgs/eanma/accreditations",
        &[],
        [401, 403, 403, 422, 403, 403, 403],
    ),
    ("get", "/orgs/{slug}/activities", "/orgs/eanma/activities", &[], [303, 403, 403, 200, 403, 403, 403]),
    (
        "post",
        "/orgs/{slug}/activities/{id}/approve",
        "/orgs/eanma/activities/999999/approve",
        &[],
        [401, 403, 403, 404, 403, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/activities/{id}/reject",
        "/orgs/eanma/activities/999999/reject",
        &[("reason", "Not CPD")],
        [401, 403, 403, 404, 403, 403, 403],
    ),
    // Regulators' pages for their officers only; consent is the learner's own.
    (
        "post",
        "/me/credits/consent/{regulator}",
        "/me/credits/consent/999999",
        &[("grant", "yes")],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    ("get", "/orgs/{slug}/cpd-rules", "/orgs/dnmc/cpd-rules", &[], [303, 403, 403, 403, 403, 200, 403]),
    ("post", "/orgs/{slug}/cpd-rules", "/orgs/dnmc/cpd-rules", &[], [401, 403, 403, 403, 403, 422, 403]),
    ("get", "/orgs/{slug}/roster", "/orgs/dnmc/roster", &[], [303, 403, 403, 403, 403, 200, 403]),
    ("post", "/orgs/{slug}/roster", "/orgs/dnmc/roster", &[], [401, 403, 403, 403, 403, 422, 403]),
    ("get", "/orgs/{slug}/compliance", "/orgs/dnmc/compliance", &[], [303, 403, 403, 403, 403, 200, 403]),
    (
        "get",
        "/orgs/{slug}/compliance.csv",
        "/orgs/dnmc/compliance.csv",
        &[],
        [303, 403, 403, 403, 403, 200, 403],
    ),
    // Certificates: verification, keys and revocation lists are public; a learner's own
    // certificates; an association's issued certificates for its reviewers.
    ("get", "/verify", "/verify", &[], ALL_200),
    ("post", "/verify", "/verify", &[("credential", "not a certificate")], ALL_200),
    ("get", "/verify/{id}", "/verify/unknown", &[], [404; 7]),
    ("get", "/verify-sw.js", "/verify-sw.js", &[], ALL_200),
    ("get", "/course-sw.js", "/course-sw.js", &[], ALL_200),
    ("get", "/offline/courses/{name}", "/offline/courses/offline-000000000000.js", &[], [404; 7]),
    (
        "get",
        "/courses/{slug}/offline",
        "/courses/hand-hygiene/offline",
        &[],
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "get",
        "/courses/{slug}/offline/saved",
        "/courses/hand-hygiene/offline/saved",
        &[],
        [303, 404, 404, 404, 404, 404, 404],
    ),
    ("get", "/offline/{name}", "/offline/verify-000000000000.js", &[], [404; 7]),
    ("get", "/certificates/{id}", "/certificates/unknown.jwt", &[], [404; 7]),
    ("get", "/.well-known/jwks.json", "/.well-known/jwks.json", &[], ALL_200),
    ("get", "/issuers/{slug}", "/issuers/eanma", &[], ALL_200),
    ("get", "/issuers/{slug}/jwks.json", "/issuers/eanma/jwks.json", &[], ALL_200),
    ("get", "/status/{slug}/revocation", "/status/eanma/revocation", &[], [404; 7]),
    ("get", "/me/certificates", "/me/certificates", &[], SIGNED_IN_200),
    ("get", "/me/certificates/{id}", "/me/certificates/unknown", &[], [303, 404, 404, 404, 404, 404, 404]),
    (
        "get",
        "/orgs/{slug}/certificates",
        "/orgs/eanma/certificates",
        &[],
        [303, 403, 403, 200, 403, 403, 403],
    ),
    (
        "post",
        "/orgs/{slug}/certificates/{id}/revoke",
        "/orgs/eanma/certificates/unknown/revoke",
        &[("reason", "Issued in error")],
        [401, 403, 403, 404, 403, 403, 403],
    ),
    (
        "get",
        "/me/certificates/{id}/pdf",
        "/me/certificates/unknown/pdf",
        &[],
        [303, 404, 404, 404, 404, 404, 404],
    ),
    // Transcripts: a learner's own licences only.
    (
        "get",
        "/me/credits/transcripts/{licence}",
        "/me/credits/transcripts/999999",
        &[],
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "get",
        "/me/credits/transcripts/{licence}/csv",
        "/me/credits/transcripts/999999/csv",
        &[],
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "get",
        "/me/credits/transcripts/{licence}/pdf",
        "/me/credits/transcripts/999999/pdf",
        &[],
        [303, 404, 404, 404, 404, 404, 404],
    ),
    // An activity's evidence: its learner, the association's reviewers, consented regulators.
    ("get", "/activities/{id}/file", "/activities/999999/file", &[], [303, 404, 404, 404, 404, 404, 404]),
    // Audits and bulk verification: a regulator's officers only.
    ("get", "/orgs/{slug}/audits", "/orgs/dnmc/audits", &[], [303, 403, 403, 403, 403, 200, 403]),
    ("post", "/orgs/{slug}/audits", "/orgs/dnmc/audits", &[], [401, 403, 403, 403, 403, 422, 403]),
    ("get", "/orgs/{slug}/audits/{id}", "/orgs/dnmc/audits/999999", &[], [303, 403, 403, 403, 403, 404, 403]),
    (
        "get",
        "/orgs/{slug}/audits/{id}/cases/{case}",
        "/orgs/dnmc/audits/999999/cases/1",
        &[],
        [303, 403, 403, 403, 403, 404, 403],
    ),
    (
        "post",
        "/orgs/{slug}/audits/{id}/cases/{case}",
        "/orgs/dnmc/audits/999999/cases/1",
        &[("outcome", "satisfactory")],
        [401, 403, 403, 403, 403, 404, 403],
    ),
    (
        "get",
        "/orgs/{slug}/verifications",
        "/orgs/dnmc/verifications",
        &[],
        [303, 403, 403, 403, 403, 200, 403],
    ),
    (
        "post",
        "/orgs/{slug}/verifications",
        "/orgs/dnmc/verifications",
        &[],
        [401, 403, 403, 403, 403, 422, 403],
    ),
    (
        "post",
        "/api/v1/regulators/{slug}/verifications",
        "/api/v1/regulators/dnmc/verifications",
        &[],
        [401, 403, 403, 403, 403, 415, 403],
    ),
    // API tokens: each person's own.
    ("get", "/account/tokens", "/account/tokens", &[], SIGNED_IN_200),
    ("post", "/account/tokens", "/account/tokens", &[], [401, 422, 422, 422, 422, 422, 422]),
    (
        "post",
        "/account/tokens/{id}/revoke",
        "/account/tokens/999999/revoke",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    ("get", "/admin", "/admin", &[], PLATFORM_ONLY),
    ("get", "/admin/outbox", "/admin/outbox", &[], PLATFORM_ONLY),
    ("post", "/sign-up", "/sign-up", &[], [422; 7]),
    ("post", "/sign-in", "/sign-in", &[], [401; 7]),
    ("post", "/sign-in/link", "/sign-in/link", &[], [422; 7]),
    ("post", "/sign-in/link/{token}", "/sign-in/link/bogus", &[], ALL_410),
    ("post", "/forgot-password", "/forgot-password", &[], [422; 7]),
    ("post", "/reset-password/{token}", "/reset-password/bogus", &[], ALL_410),
    ("post", "/verify-email/{token}", "/verify-email/bogus", &[], ALL_410),
    ("post", "/account", "/account", &[], [401, 422, 422, 422, 422, 422, 422]),
    ("post", "/account/verification", "/account/verification", &[], [401, 303, 303, 303, 303, 303, 303]),
    ("post", "/account/password", "/account/password", &[], [401, 422, 422, 422, 422, 422, 422]),
    ("post", "/account/licences", "/account/licences", &[], [401, 422, 422, 422, 422, 422, 422]),
    (
        "post",
        "/account/licences/{id}/delete",
        "/account/licences/999999/delete",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    ("post", "/language", "/language", &[("lang", "en")], [303; 7]),
    ("get", "/language", "/language?lang=en&back=/courses", &[], [303; 7]),
    ("post", "/orgs/{slug}/invitations", "/orgs/eanma/invitations", &[], [401, 403, 403, 403, 403, 403, 422]),
    (
        "post",
        "/orgs/{slug}/members/{id}/delete",
        "/orgs/eanma/members/999999/delete",
        &[],
        [401, 403, 403, 403, 403, 403, 404],
    ),
    ("post", "/invitations/{token}", "/invitations/bogus", &[], [401, 410, 410, 410, 410, 410, 410]),
    ("post", "/admin/organisations", "/admin/organisations", &[], [401, 403, 403, 403, 403, 403, 422]),
    (
        "post",
        "/admin/accounts/{id}/disable",
        "/admin/accounts/999999/disable",
        &[],
        [401, 403, 403, 403, 403, 403, 404],
    ),
    (
        "post",
        "/admin/outbox/{id}/retry",
        "/admin/outbox/999999/retry",
        &[],
        [401, 403, 403, 403, 403, 403, 404],
    ),
    // Ends the session: last.
    (
        "post",
        "/account/sessions/end-all",
        "/account/sessions/end-all",
        &[],
        [401, 303, 303, 303, 303, 303, 303],
    ),
    ("post", "/sign-out", "/sign-out", &[], [303; 7]),
];

#[test]
fn every_route_has_a_row() {
    let registered = lantern_tests::routes();
    assert!(registered.len() >= 35, "found {} routes", registered.len());
    for (method, path) in &registered {
        assert!(
            ROWS.iter().any(|(m, route, ..)| m == method && route == path),
            "{} {path} has no row in the authorisation matrix",
            method.to_uppercase()
        );
    }
}

async fn actors(app: &TestApp) -> Vec<Browser> {
    let admin = app.platform_admin("platform@example.org").await;
    let learner = app.sign_up("Lerato Learner", "learner@example.org").await;
    let author = app.sign_up("Amos Author", "author@example.org").await;
    app.join(&admin, &author, "author@example.org", "eanma", "author").await;
    let reviewer = app.sign_up("Rita Reviewer", "reviewer@example.org").await;
    app.join(&admin, &reviewer, "reviewer@example.org", "eanma", "reviewer").await;
    let other_admin = app.sign_up("Oumar Admin", "oadmin@example.org").await;
    app.join(&admin, &other_admin, "oadmin@example.org", "ainfao", "admin").await;
    let officer = app.sign_up("Olive Officer", "officer@example.org").await;
    app.join(&admin, &officer, "officer@example.org", "dnmc", "officer").await;
    vec![app.browser(), learner, author, reviewer, other_admin, officer, admin]
}

#[tokio::test]
async fn each_role_gets_exactly_its_expected_answer_on_every_route() {
    let app = TestApp::spawn().await;
    let browsers = actors(&app).await;
    let denied_before = denials(&app).await;
    let mut failures = Vec::new();
    let mut expected_denials = 0;
    for (method, route, path, fields, expected) in ROWS {
        for ((actor, browser), want) in ACTORS.iter().zip(&browsers).zip(expected) {
            let response = match *method {
                "get" => browser.get(path).await,
                "head" => browser.head(path).await,
                _ => browser.post_form(path, fields).await,
            };
            if *want == 403 {
                expected_denials += 1;
            }
            if response.status().as_u16() != *want {
                failures.push(format!(
                    "{} {route} as {actor}: got {}, expected {want}",
                    method.to_uppercase(),
                    response.status().as_u16()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(denials(&app).await - denied_before, expected_denials, "every refusal is in the audit trail");
}

async fn denials(app: &TestApp) -> u64 {
    audit::Entity::find()
        .filter(audit::Column::Action.eq("access.denied"))
        .count(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_association_admin_cannot_manage_another_association() {
    let app = TestApp::spawn().await;
    let browsers = actors(&app).await;
    let other_admin = &browsers[4];
    assert_eq!(other_admin.get("/orgs/ainfao").await.status(), StatusCode::OK, "their own association");
    let response = other_admin
        .post_form("/orgs/eanma/invitations", &[("email", "spy@example.org"), ("role", "admin")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = other_admin.get("/orgs/eanma").await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(
        !page.text().await.unwrap().contains("author@example.org"),
        "nothing of the other association leaks"
    );
}

/// Every row of every table, except a session's last-seen time (the one bookkeeping write a page
/// view may make, at most every five minutes).
async fn database_snapshot(app: &TestApp) -> String {
    use sea_orm::{FromQueryResult, JsonValue, Statement};
    let tables = [
        "organisation",
        "account",
        "membership",
        "invitation",
        "one_time_token",
        "sign_in_failure",
        "licence",
        "audit_event",
        "outbox_message",
    ];
    let db = app.state.db.read();
    let backend = db.get_database_backend();
    let mut snapshot = String::new();
    for table in
        tables
            .iter()
            .map(|t| format!("SELECT * FROM {t} ORDER BY id"))
            .chain(["SELECT id, account_id, token_hash, created_at, expires_at FROM session ORDER BY id"
                .to_owned()])
    {
        let rows = JsonValue::find_by_statement(Statement::from_string(backend, table.clone()))
            .all(db)
            .await
            .unwrap();
        snapshot.push_str(&format!("{table}\n{}\n", serde_json::to_string(&rows).unwrap()));
    }
    snapshot
}

#[tokio::test]
async fn browsing_every_page_as_a_platform_admin_changes_nothing() {
    let app = TestApp::spawn().await;
    let browsers = actors(&app).await;
    let admin = &browsers[6];
    // Let the outbox settle so the worker's own writes do not count.
    for _ in 0..100 {
        let counts = lantern::platform::mail::counts(app.state.db.read()).await.unwrap();
        if counts.iter().all(|(status, _)| status == "sent") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let before = database_snapshot(&app).await;
    let mut visited = 0;
    // Pages refused to the admin are left out: a refusal is written to the audit trail.
    for (method, _, path, _, expected) in ROWS {
        if *method == "get" && expected[6] != 403 {
            admin.get(path).await;
            visited += 1;
        }
    }
    assert!(visited >= 22, "visited {visited} pages");
    assert_eq!(database_snapshot(&app).await, before, "no GET changed the database");
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_and_host_prefixed() {
    let app = TestApp::spawn_with(|config| config.session.secure_cookies = true).await;
    let browser = app.browser();
    let page = browser.get("/").await;
    let csrf = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        csrf.contains("__Host-lantern-csrf=") && csrf.contains("Secure") && csrf.contains("HttpOnly"),
        "{csrf}"
    );
    assert!(page.headers().contains_key("strict-transport-security"), "HSTS behind TLS");
    let token = csrf.split("__Host-lantern-csrf=").nth(1).unwrap().split(';').next().unwrap().to_owned();
    let response = browser
        .client
        .post(browser.url("/sign-up"))
        .header("Origin", &browser.base)
        .header("Cookie", format!("__Host-lantern-csrf={token}"))
        .form(&[
            ("name", "Tls Person"),
            ("email", "tls@example.org"),
            ("password", lantern_tests::PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let session = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.contains("lantern-session"))
        .unwrap()
        .to_owned();
    assert!(session.starts_with("__Host-lantern-session="), "{session}");
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(flag), "{flag} in {session}");
    }
    assert!(!session.contains("Domain"), "no Domain on a __Host- cookie");
    let language = app.browser().get("/language?lang=fr&back=/").await;
    let cookie = language.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lantern-lang=fr") && cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn an_https_public_address_makes_cookies_secure_without_being_asked() {
    let app = TestApp::spawn_with(|config| config.public_url = "https://cpd.example.org".into()).await;
    let page = app.browser().get("/").await;
    let cookie = page.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-lantern-csrf=") && cookie.contains("Secure"), "{cookie}");
    assert!(page.headers().contains_key("strict-transport-security"), "HSTS");
}
