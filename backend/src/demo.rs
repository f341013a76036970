//! `lantern demo --learners N --courses M`: a synthetic population on top of the demo content,
//! for load tests and workforce figures. Deterministic for a seed.
//!
//! What it makes, and how:
//! - **Courses** (M): course packages written to a folder under the data directory and imported
//!   by the real importer (checked, rendered, published, indexed for search), then accredited by
//!   their association, so completing one earns credits and a signed certificate.
//! - **Learners** (N): accounts with a profession, country, region, rural or urban setting and
//!   languages, each a member of the association of their country, most with a licence verified
//!   by the regulator and consent to share credits. They are written in bulk (batches of 500 rows
//!   in one transaction per step). All share one password (`DEMO_PASSWORD`), hashed once with the
//!   server's Argon2id settings: hashing it N times would take N × the sign-in cost.
//! - **Enrolments** (1 to 3 courses each, most in the learner's language) with lessons read.
//! - **Completions**: one learner in five completes a course through the same service calls as
//!   the pages (lessons read, quiz passed), so the credit ledger's hash chain, the certificate's
//!   signature and the competency evidence are the real ones.
//! - **Self-assessments** (one learner in six, two competencies each), **mentors** (one in thirty,
//!   with offers), and **mentoring requests** in a demo programme, matched at once when a mentor
//!   fits.

use crate::AppState;
use crate::accounts::entity::{account, membership, organisation};
use crate::accounts::service::Passwords;
use crate::courses::entity::{course, course_version, enrolment, lesson, lesson_progress};
use crate::credits::entity::accreditation;
use crate::credits::service::AccreditationInput;
use crate::mentorship::service::{MentorInput, RequestInput};
use anyhow::{Context, bail};
use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// The password of every synthetic learner.
pub const DEMO_PASSWORD: &str = "demo learner passphrase";

/// Rows per INSERT.
const BATCH: usize = 500;

/// How big a population to make.
#[derive(Clone, Debug)]
pub struct Population {
    pub learners: usize,
    pub courses: usize,
    pub seed: u64,
}

/// What was made.
#[derive(Clone, Debug, Default)]
pub struct Generated {
    pub courses: usize,
    pub learners: usize,
    pub enrolments: usize,
    pub lessons_read: usize,
    pub completions: usize,
    pub assessments: usize,
    pub mentors: usize,
    pub requests: usize,
    pub matched: usize,
}

/// The email of synthetic learner `i` (from 1) of a seed: sign in with it and [`DEMO_PASSWORD`].
pub fn learner_email(seed: u64, i: usize) -> String {
    format!("learner-{seed}-{i}@demo.example.org")
}

/// Makes the population; `step` hears what is being done.
pub async fn generate(
    state: &AppState,
    population: &Population,
    step: &dyn Fn(&str),
) -> anyhow::Result<Generated> {
    let seed = population.seed;
    if account::Entity::find()
        .filter(account::Column::Email.eq(learner_email(seed, 1)))
        .one(state.db.read())
        .await?
        .is_some()
    {
        bail!("a population with seed {seed} is already here; choose another with --seed");
    }
    crate::content::import_if_empty(state).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut made = Generated::default();
    let coordinator = coordinator(state, seed).await?;
    officer(state, seed).await?;

    step(&format!("writing and importing {} course(s)", population.courses));
    made.courses = courses(state, population, coordinator).await?;

    step(&format!("adding {} learner(s)", population.learners));
    let learners = learners(state, population, &mut rng).await?;
    made.learners = learners.len();

    step("enrolling learners and recording the lessons they read");
    let catalogue = catalogue(state).await?;
    let (completers, enrolments, read) = enrol(state, &learners, &catalogue, &mut rng).await?;
    made.enrolments = enrolments;
    made.lessons_read = read;

    step(&format!("{} learner(s) complete a course (lessons, quiz, credits, certificate)", completers.len()));
    for (account_id, slug) in &completers {
        complete(state, *account_id, slug).await.with_context(|| format!("completing {slug}"))?;
        made.completions += 1;
    }

    step("self-assessments, mentors and mentoring requests");
    let framework = state.competencies.default_framework().await?;
    let codes = competency_codes(state, &framework).await?;
    for learner in learners.iter().filter(|l| l.index % 6 == 1) {
        for _ in 0..2 {
            let code = pick(&mut rng, &codes);
            let level = rng.random_range(1..=3);
            state.competencies.assess_self(learner.id, &framework, code, level, None).await?;
            made.assessments += 1;
        }
    }
    let mentors: Vec<&Learner> = learners.iter().filter(|l| l.index % 30 == 2).collect();
    for mentor in &mentors {
        let offers = (0..3).map(|_| (pick(&mut rng, &codes).to_owned(), rng.random_range(2..=4))).collect();
        let offers = dedup_offers(offers);
        state
            .mentoring
            .save_mentor(
                mentor.id,
                MentorInput {
                    active: true,
                    professions: vec![mentor.profession.to_owned()],
                    languages: mentor.languages.iter().map(|l| (*l).to_owned()).collect(),
                    utc_offset_minutes: mentor.utc_offset_minutes,
                    capacity: rng.random_range(1..=4),
                    remote: true,
                    in_person: rng.random_bool(0.5),
                    availability: "Weekday evenings".into(),
                    about: format!(
                        "{} with years of practice in {}.",
                        title_case(mentor.profession),
                        mentor.region
                    ),
                    offers,
                },
            )
            .await?;
        made.mentors += 1;
    }
    let programmes = programmes(state, seed, coordinator).await?;
    for mentee in learners.iter().filter(|l| l.index % 20 == 3) {
        let Some(&programme_id) = programmes.get(&mentee.association) else { continue };
        let wanted = dedup_offers(vec![(pick(&mut rng, &codes).to_owned(), rng.random_range(2..=3))]);
        let request = state
            .mentoring
            .request(
                mentee.id,
                RequestInput {
                    programme_id,
                    goals: "Grow in my daily practice and prepare for my licence renewal.".into(),
                    wanted,
                    languages: mentee.languages.iter().map(|l| (*l).to_owned()).collect(),
                    same_profession: rng.random_bool(0.3),
                    same_country: false,
                    remote_ok: true,
                    utc_offset_minutes: mentee.utc_offset_minutes,
                },
            )
            .await?;
        made.requests += 1;
        if state.mentoring.match_now(mentee.id, request).await?.is_some() {
            made.matched += 1;
        }
    }
    Ok(made)
}

/// A synthetic learner as the later steps need it.
struct Learner {
    id: i32,
    index: usize,
    profession: &'static str,
    region: &'static str,
    languages: Vec<&'static str>,
    association: i32,
    utc_offset_minutes: i32,
}

/// A country of the demo organisations: (code, association slug, languages, regions, UTC offset
/// in minutes).
type Country = (&'static str, &'static str, &'static [&'static str], &'static [&'static str], i32);

const COUNTRIES: &[Country] = &[
    ("KE", "eanma", &["en", "sw"], &["Turkana", "Kisumu", "Nairobi", "Mombasa", "Garissa", "Kakamega"], 180),
    ("SN", "ainfao", &["fr", "wo"], &["Dakar", "Thiès", "Kolda", "Tambacounda", "Ziguinchor"], 0),
];

/// Professions with their weights in the workforce.
const PROFESSIONS: &[(&str, u32)] = &[
    ("nurse", 40),
    ("midwife", 20),
    ("community-health-worker", 15),
    ("clinical-officer", 10),
    ("medical-doctor", 8),
    ("pharmacist", 5),
    ("other", 2),
];

const GIVEN: &[&str] = &[
    "Achieng", "Wanjiru", "Amina", "Fatou", "Aissatou", "Grace", "Mercy", "Faith", "Khadija", "Mariama",
    "Joseph", "Brian", "Moussa", "Ibrahima", "Peter", "Ousmane", "Esther", "Zawadi", "Awa", "Daniel",
];
const FAMILY: &[&str] = &[
    "Otieno", "Mwangi", "Kamau", "Diop", "Ndiaye", "Fall", "Wanjala", "Chebet", "Sow", "Ba", "Njoroge",
    "Mutua", "Sy", "Faye", "Kiplagat", "Odhiambo", "Cissé", "Gueye", "Akinyi", "Mbaye",
];

fn pick<'a, T: ?Sized>(rng: &mut StdRng, items: &'a [&'a T]) -> &'a T {
    items[rng.random_range(0..items.len())]
}

fn weighted(rng: &mut StdRng, items: &[(&'static str, u32)]) -> &'static str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    items.first().map_or("other", |(item, _)| item)
}

fn title_case(slug: &str) -> String {
    let text = slug.replace('-', " ");
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn dedup_offers(mut offers: Vec<(String, u32)>) -> Vec<(String, u32)> {
    offers.sort();
    offers.dedup_by(|a, b| a.0 == b.0);
    offers
}

async fn organisation_id(state: &AppState, slug: &str) -> anyhow::Result<i32> {
    organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .one(state.db.read())
        .await?
        .map(|o| o.id)
        .with_context(|| format!("the demo organisation {slug} is missing (is content/ imported?)"))
}

/// The email of the demo regulator's officer of a seed: sign in with it and [`DEMO_PASSWORD`].
pub fn officer_email(seed: u64) -> String {
    format!("officer-{seed}@demo.example.org")
}

/// The account that accredits the synthetic courses and runs the programmes: an admin of both
/// demo associations, with no password (it never signs in).
async fn coordinator(state: &AppState, seed: u64) -> anyhow::Result<i32> {
    let id = staff(state, &format!("coordinator-{seed}@demo.example.org"), "Demo coordinator", None).await?;
    for (_, association, ..) in COUNTRIES {
        let organisation = organisation_id(state, association).await?;
        state.accounts.insert_membership(state.db.write(), organisation, id, "admin").await?;
    }
    Ok(id)
}

/// An officer of the demo regulator, to try its side: compliance, audits, verification, insights.
async fn officer(state: &AppState, seed: u64) -> anyhow::Result<i32> {
    let security = &state.config.security;
    let passwords = Passwords::new(security.argon2_memory_kib, security.argon2_iterations, 1)?;
    let hash = passwords.hash(DEMO_PASSWORD).await?;
    let id = staff(state, &officer_email(seed), "Demo registrar", Some(hash)).await?;
    let regulator = organisation_id(state, "dnmc").await?;
    state.accounts.insert_membership(state.db.write(), regulator, id, "officer").await?;
    Ok(id)
}

/// A verified account that is no learner (no profession, no region).
async fn staff(
    state: &AppState,
    email: &str,
    name: &str,
    password_hash: Option<String>,
) -> anyhow::Result<i32> {
    let now = state.clock.now();
    let account = account::ActiveModel {
        email: Set(email.to_owned()),
        name: Set(name.to_owned()),
        password_hash: Set(password_hash),
        email_verified_at: Set(Some(now)),
        locale: Set("en".into()),
        is_platform_admin: Set(false),
        profession: Set(None),
        country: Set(Some("KE".into())),
        region: Set(None),
        setting: Set(None),
        languages: Set("en".into()),
        data_saver: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(account::Entity::insert(account).exec(state.db.write()).await?.last_insert_id)
}

/// Words lessons are written from, by topic: (topic slug, title, competency code, vocabulary).
const TOPICS: &[(&str, &str, &str, &str)] = &[
    (
        "infection-prevention",
        "Infection prevention",
        "IPC.2",
        "gloves handrub sterile waste sharps decontamination isolation outbreak cleaning linen mask respirator",
    ),
    (
        "medicines",
        "Safe medicines",
        "MED.1",
        "dose prescription dispensing allergy paracetamol amoxicillin oxytocin storage expiry label calculation",
    ),
    (
        "maternal-health",
        "Maternal health",
        "MAT.2",
        "pregnancy antenatal labour partograph bleeding eclampsia contraction placenta postpartum uterus",
    ),
    (
        "newborn-care",
        "Newborn care",
        "NEO.1",
        "newborn breathing resuscitation cord warmth breastfeeding jaundice weight kangaroo temperature",
    ),
    (
        "wellbeing",
        "Health worker wellbeing",
        "WEL.1",
        "stress burnout sleep shift support supervision colleague debrief rest workload recognition",
    ),
    (
        "communication",
        "Communication",
        "COM.1",
        "consent listening counselling family language interpreter dignity question explanation trust",
    ),
];

const COMMON: &str = "patient clinic ward health worker record check team community referral follow-up \
    assessment signs history plan review district supplies training guideline practice safety";

/// Writes M course packages and imports them; accredits each.
async fn courses(state: &AppState, population: &Population, coordinator: i32) -> anyhow::Result<usize> {
    if population.courses == 0 {
        return Ok(0);
    }
    let dir = state.config.data_dir.join(format!(".demo-{}", population.seed));
    let written = write_packages(&dir, population);
    let imported = match written {
        Ok(()) => crate::content::import(state, &dir).await.map_err(anyhow::Error::from),
        Err(error) => Err(error),
    };
    let _ = std::fs::remove_dir_all(&dir);
    imported?;
    for i in 1..=population.courses {
        let (_, association, ..) = COUNTRIES[i % COUNTRIES.len()];
        let organisation = organisation_id(state, association).await?;
        let input = AccreditationInput {
            course_slug: course_slug(population.seed, i),
            version: 1,
            credits: crate::credits::service::parse_credits(CREDITS[i % CREDITS.len()]),
            category: if i % 5 == 0 { "ethics".into() } else { "clinical".into() },
            valid_from: Some((state.clock.now() - Duration::days(365)).date_naive()),
            valid_until: None,
            certificate_months: Some(36),
        };
        state.credits.accredit(organisation, coordinator, input).await?;
    }
    Ok(population.courses)
}

/// Credits of the synthetic courses, by turn.
const CREDITS: [&str; 4] = ["0.5", "1", "1.5", "2"];

fn course_slug(seed: u64, i: usize) -> String {
    format!("demo-{seed}-{i:04}")
}

fn write_packages(dir: &Path, population: &Population) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(population.seed ^ 0xc0_75e5);
    for i in 1..=population.courses {
        let (_, association, languages, ..) = COUNTRIES[i % COUNTRIES.len()];
        let (topic, topic_title, code, vocabulary) = TOPICS[rng.random_range(0..TOPICS.len())];
        let words: Vec<&str> = vocabulary.split_whitespace().chain(COMMON.split_whitespace()).collect();
        let slug = course_slug(population.seed, i);
        let course = dir.join("courses").join(&slug);
        std::fs::create_dir_all(course.join("lessons"))?;
        let mut lessons = Vec::new();
        for l in 1..=6 {
            let focus = pick(&mut rng, &words);
            let name = format!("lessons/{l:02}-part-{l}-{focus}.md");
            let mut text = format!(
                "+++\ntitle = \"{} in practice, part {l}\"\nminutes = {}\ncompetencies = [ {{ code = \"{code}\", level = 1 }} ]\n+++\n\n",
                title_case(focus),
                rng.random_range(5..=12)
            );
            for paragraph in 0..rng.random_range(4..=7) {
                if paragraph == 2 {
                    let _ = writeln!(text, "## What to do\n");
                    for _ in 0..4 {
                        let _ = writeln!(text, "- {}", sentence(&mut rng, &words, 6));
                    }
                    text.push('\n');
                }
                let sentences: Vec<String> =
                    (0..rng.random_range(3..=6)).map(|_| sentence(&mut rng, &words, 12)).collect();
                let _ = writeln!(text, "{}\n", sentences.join(" "));
            }
            std::fs::write(course.join(&name), text)?;
            lessons.push(name);
        }
        let quoted =
            |names: &[String]| names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
        let toml = format!(
            "slug = \"{slug}\"\ntitle = \"{topic_title}: practice course {i}\"\n\
             summary = \"A synthetic course made by lantern demo about {topic_title}.\"\n\
             language = \"{language}\"\nassociation = \"{association}\"\n\
             professions = [\"nurse\", \"midwife\", \"clinical-officer\", \"community-health-worker\"]\n\
             topics = [\"{topic}\"]\nminutes = 50\nlicence = \"CC-BY-SA-4.0\"\ncredits = {credits}\n\
             objectives = [\"Apply what the lessons say in daily practice\"]\n\
             competencies = [ {{ code = \"{code}\", level = 2 }} ]\n\n\
             [[modules]]\ntitle = \"Foundations\"\nlessons = [{first}]\n\n\
             [[modules]]\ntitle = \"In practice\"\nlessons = [{second}]\nquiz = \"quiz.toml\"\n",
            language = languages[0],
            credits = CREDITS[i % CREDITS.len()],
            first = quoted(&lessons[..3]),
            second = quoted(&lessons[3..]),
        );
        std::fs::write(course.join("course.toml"), toml)?;
        let mut quiz =
            String::from("title = \"Check your understanding\"\npass_mark = 60\nmax_attempts = 0\n");
        for q in 1..=3 {
            let _ = write!(
                quiz,
                "\n[[questions]]\nkind = \"single\"\nprompt = \"Question {q}: which step comes first?\"\n\
                 competencies = [\"{code}\"]\n"
            );
            for o in 0..3 {
                let _ = write!(
                    quiz,
                    "\n[[questions.options]]\ntext = \"{}\"\ncorrect = {}\nfeedback = \"See the lesson on {}.\"\n",
                    sentence(&mut rng, &words, 5).trim_end_matches('.'),
                    o == 0,
                    pick(&mut rng, &words),
                );
            }
        }
        std::fs::write(course.join("quiz.toml"), quiz)?;
    }
    Ok(())
}

fn sentence(rng: &mut StdRng, words: &[&str], length: usize) -> String {
    let mut out = String::new();
    for n in 0..rng.random_range(length / 2..=length) {
        let word = pick(rng, words);
        if n == 0 {
            out.push_str(&title_case(word));
        } else {
            out.push(' ');
            out.push_str(word);
        }
    }
    out.push('.');
    out
}

/// Inserts the learners, their memberships, licences and consents.
async fn learners(
    state: &AppState,
    population: &Population,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<Learner>> {
    let security = &state.config.security;
    let passwords = Passwords::new(security.argon2_memory_kib, security.argon2_iterations, 1)?;
    let hash = passwords.hash(DEMO_PASSWORD).await?;
    let regulator = organisation_id(state, "dnmc").await?;
    let mut associations = HashMap::new();
    for (country, association, ..) in COUNTRIES {
        associations.insert(*country, organisation_id(state, association).await?);
    }
    let now = state.clock.now();
    let mut made = Vec::with_capacity(population.learners);
    let txn = state.db.begin().await?;
    let indices: Vec<usize> = (1..=population.learners).collect();
    for chunk in indices.chunks(BATCH) {
        let mut rows = Vec::with_capacity(chunk.len());
        let mut planned = Vec::with_capacity(chunk.len());
        for &index in chunk {
            // Two thirds in Kenya, one third in Senegal; three in five rural.
            let (country, _, languages, regions, offset) = COUNTRIES[usize::from(rng.random_bool(1.0 / 3.0))];
            let profession = weighted(rng, PROFESSIONS);
            let region = pick(rng, regions);
            let locale = if country == "SN" { "fr" } else { "en" };
            let spoken: Vec<&'static str> =
                if rng.random_bool(0.6) { languages.to_vec() } else { vec![languages[0]] };
            let joined = now - Duration::days(rng.random_range(0..540));
            rows.push(account::ActiveModel {
                email: Set(learner_email(population.seed, index)),
                name: Set(format!("{} {}", pick(rng, GIVEN), pick(rng, FAMILY))),
                password_hash: Set(Some(hash.clone())),
                email_verified_at: Set(Some(joined)),
                locale: Set(locale.into()),
                is_platform_admin: Set(false),
                profession: Set(Some(profession.into())),
                country: Set(Some(country.into())),
                region: Set(Some(region.into())),
                setting: Set(Some(if rng.random_bool(0.6) { "rural" } else { "urban" }.into())),
                languages: Set(spoken.join(",")),
                data_saver: Set(rng.random_bool(0.3)),
                created_at: Set(joined),
                updated_at: Set(joined),
                ..Default::default()
            });
            planned.push((index, country, profession, region, spoken, offset));
        }
        account::Entity::insert_many(rows).exec(&txn).await?;
        let emails: Vec<String> = chunk.iter().map(|&i| learner_email(population.seed, i)).collect();
        let ids: HashMap<String, i32> = account::Entity::find()
            .filter(account::Column::Email.is_in(emails))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| (a.email, a.id))
            .collect();
        let mut members = Vec::with_capacity(chunk.len());
        for (index, country, profession, region, languages, offset) in planned {
            let id =
                *ids.get(&learner_email(population.seed, index)).context("a learner was not inserted")?;
            let association = *associations.get(country).context("unknown country")?;
            members.push(membership::ActiveModel {
                organisation_id: Set(association),
                account_id: Set(id),
                role: Set("member".into()),
                created_at: Set(now),
                ..Default::default()
            });
            made.push(Learner {
                id,
                index,
                profession,
                region,
                languages,
                association,
                utc_offset_minutes: offset,
            });
        }
        membership::Entity::insert_many(members).exec(&txn).await?;
    }
    // Seven in ten Kenyan learners hold a licence the regulator verified and share their
    // credits with it.
    let licensed: Vec<i32> = made
        .iter()
        .filter(|l| l.index % 10 < 7 && l.languages.first() == Some(&"en"))
        .map(|l| l.id)
        .collect();
    for chunk in licensed.chunks(BATCH) {
        let list = chunk.iter().map(i32::to_string).collect::<Vec<_>>().join(",");
        for sql in [
            format!(
                "INSERT INTO licence (account_id, regulator_id, number, status, verified_at, created_at) \
                 SELECT id, {regulator}, 'DEMO-' || id, 'verified', created_at, created_at FROM account WHERE id IN ({list})"
            ),
            format!(
                "INSERT INTO credit_consent (account_id, regulator_id, granted_at) \
                 SELECT id, {regulator}, created_at FROM account WHERE id IN ({list})"
            ),
        ] {
            sea_orm::ConnectionTrait::execute_unprepared(&txn, &sql).await?;
        }
    }
    txn.commit().await?;
    Ok(made)
}

/// A published course as enrolment needs it.
struct Offered {
    id: i32,
    slug: String,
    version_id: i32,
    language: String,
    lessons: Vec<i32>,
    /// Completing it earns credits.
    accredited: bool,
}

async fn catalogue(state: &AppState) -> anyhow::Result<Vec<Offered>> {
    let db = state.db.read();
    let accredited: std::collections::HashSet<i32> = accreditation::Entity::find()
        .filter(accreditation::Column::WithdrawnAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.version_id)
        .collect();
    let mut offered = Vec::new();
    for course in
        course::Entity::find().filter(course::Column::PublishedVersionId.is_not_null()).all(db).await?
    {
        let Some(version_id) = course.published_version_id else { continue };
        let Some(version) = course_version::Entity::find_by_id(version_id).one(db).await? else { continue };
        let mut lessons: Vec<lesson::Model> =
            lesson::Entity::find().filter(lesson::Column::VersionId.eq(version_id)).all(db).await?;
        lessons.sort_by_key(|l| (l.module_id, l.position));
        offered.push(Offered {
            id: course.id,
            slug: course.slug,
            version_id,
            language: version.language,
            lessons: lessons.into_iter().map(|l| l.id).collect(),
            accredited: accredited.contains(&version_id),
        });
    }
    if offered.is_empty() {
        bail!("no published course to enrol in");
    }
    Ok(offered)
}

/// Enrols every learner in 1 to 3 courses (four in five in their own language) and records the
/// lessons read. One learner in five is kept aside to complete a course through the services:
/// returns them with the course, and the counts of enrolments and lessons read.
async fn enrol(
    state: &AppState,
    learners: &[Learner],
    catalogue: &[Offered],
    rng: &mut StdRng,
) -> anyhow::Result<(Vec<(i32, String)>, usize, usize)> {
    let now = state.clock.now();
    let mut completers = Vec::new();
    let (mut enrolments, mut read) = (0, 0);
    let txn = state.db.begin().await?;
    for chunk in learners.chunks(BATCH) {
        let mut rows = Vec::new();
        let mut reading: HashMap<(i32, i32), usize> = HashMap::new();
        for learner in chunk {
            let own: Vec<&Offered> =
                catalogue.iter().filter(|c| learner.languages.contains(&c.language.as_str())).collect();
            let count = rng.random_range(1..=3usize);
            let mut chosen: Vec<&Offered> = Vec::new();
            for _ in 0..count {
                let from = if !own.is_empty() && rng.random_bool(0.8) { &own[..] } else { &[][..] };
                let course = if from.is_empty() {
                    &catalogue[rng.random_range(0..catalogue.len())]
                } else {
                    from[rng.random_range(0..from.len())]
                };
                if !chosen.iter().any(|c| c.id == course.id) {
                    chosen.push(course);
                }
            }
            if learner.index % 5 == 4 {
                // Enrolled and completed through the services, below: an accredited course,
                // in their language when there is one.
                let accredited: Vec<&Offered> = catalogue.iter().filter(|c| c.accredited).collect();
                let mine: Vec<&Offered> = own.iter().copied().filter(|c| c.accredited).collect();
                let from = if mine.is_empty() { &accredited } else { &mine };
                if let Some(course) = from.get(rng.random_range(0..from.len().max(1))).or(chosen.first()) {
                    completers.push((learner.id, course.slug.clone()));
                }
                continue;
            }
            for course in chosen {
                let done = rng.random_range(0..=course.lessons.len());
                let enrolled = now - Duration::days(rng.random_range(1..180));
                rows.push(enrolment::ActiveModel {
                    account_id: Set(learner.id),
                    course_id: Set(course.id),
                    version_id: Set(course.version_id),
                    last_lesson_id: Set(done
                        .checked_sub(1)
                        .and_then(|last| course.lessons.get(last))
                        .copied()),
                    enrolled_at: Set(enrolled),
                    completed_at: Set(None),
                    ..Default::default()
                });
                reading.insert((learner.id, course.id), done);
            }
        }
        if rows.is_empty() {
            continue;
        }
        enrolments += rows.len();
        enrolment::Entity::insert_many(rows).exec(&txn).await?;
        let ids: Vec<i32> = chunk.iter().map(|l| l.id).collect();
        let inserted =
            enrolment::Entity::find().filter(enrolment::Column::AccountId.is_in(ids)).all(&txn).await?;
        let mut progress = Vec::new();
        for row in inserted {
            let done = reading.get(&(row.account_id, row.course_id)).copied().unwrap_or(0);
            let Some(course) = catalogue.iter().find(|c| c.id == row.course_id) else { continue };
            for lesson_id in course.lessons.iter().take(done) {
                progress.push(lesson_progress::ActiveModel {
                    enrolment_id: Set(row.id),
                    lesson_id: Set(*lesson_id),
                    completed_at: Set(row.enrolled_at),
                    ..Default::default()
                });
            }
        }
        read += progress.len();
        for batch in progress.chunks(BATCH) {
            lesson_progress::Entity::insert_many(batch.to_vec()).exec(&txn).await?;
        }
    }
    txn.commit().await?;
    Ok((completers, enrolments, read))
}

/// Completes a course as a learner would through the pages: enrol, read every lesson, pass every
/// quiz (credits, certificate and competency evidence follow from the completion).
async fn complete(state: &AppState, account_id: i32, slug: &str) -> anyhow::Result<()> {
    let courses = &state.courses;
    courses.enrol(account_id, slug).await?;
    let content = courses.offline_content(account_id, slug).await?;
    for lesson in &content.lessons {
        courses.complete_lesson(account_id, slug, &lesson.slug).await?;
    }
    for quiz in &content.quizzes {
        let Some(attempt) = courses.start_attempt(account_id, slug, quiz.quiz.id).await? else { continue };
        let view = courses.attempt(account_id, slug, attempt.id).await?;
        let answers = view
            .questions
            .iter()
            .map(|q| (q.id, q.options.iter().filter(|o| o.correct).map(|o| o.id).collect()))
            .collect();
        courses.submit_attempt(account_id, slug, attempt.id, answers, None).await?;
    }
    Ok(())
}

async fn competency_codes(state: &AppState, framework: &str) -> anyhow::Result<Vec<&'static str>> {
    let view = state.competencies.framework(framework, false).await?;
    let codes: Vec<&'static str> = ["IPC.1", "IPC.2", "MED.1", "MAT.2", "NEO.1", "WEL.1", "COM.1", "LEA.3"]
        .into_iter()
        .filter(|code| view.title_of(code).is_some())
        .collect();
    if codes.is_empty() {
        bail!("the default framework {framework} has none of the demo's competencies");
    }
    Ok(codes)
}

/// One instant-matching programme per association, for the requests.
async fn programmes(state: &AppState, seed: u64, coordinator: i32) -> anyhow::Result<HashMap<i32, i32>> {
    let mut made = HashMap::new();
    for (_, association, ..) in COUNTRIES {
        let organisation = organisation_id(state, association).await?;
        let title = format!("Demo mentoring {seed}");
        let slug = state
            .mentoring
            .create_programme(
                organisation,
                coordinator,
                &title,
                "Mentoring for the synthetic learners.",
                None,
                true,
            )
            .await?;
        let programme = state.mentoring.programme(organisation, &slug).await?;
        made.insert(organisation, programme.id);
    }
    Ok(made)
}
