//! Lantern's search against raw tantivy and SQLite FTS5, on one synthetic corpus of lessons.
//!
//! ```text
//! cargo bench -p lantern-search --bench search_vs_raw_and_fts5              # 100,000 lessons
//! LESSONS=5000 QUERIES=500 cargo bench -p lantern-search --bench search_vs_raw_and_fts5
//! QUIET_WAIT_SECONDS=0 …    # time at once, however busy the machine (the report says how busy)
//! ```
//!
//! Generates a seeded corpus of clinical-nursing lessons (no network), indexes it three times —
//! Lantern ([`SearchIndex`]), raw tantivy with a minimal schema, and an SQLite FTS5 table — and
//! times, single-threaded and in-process, a fixed set of realistic queries against each. Prints a
//! Markdown report with the project's goals (see `GOALS` below) marked met or not met.
//!
//! Fairness notes, also printed with the report:
//! - Lantern's `search()` parses the text, builds its multilingual query (every analysis × title
//!   and body, typo-tolerant and prefix alternatives, phrases, the searcher's language boost),
//!   collects the top 10 + total count + facet counts over every match, loads the 10 stored
//!   documents and builds a snippet for each.
//! - Raw tantivy with the same query and collectors (the goal's baseline): the query and
//!   collectors `search()` builds, on Lantern's index, run by tantivy's `Searcher::search`, then
//!   the stored id of each hit (`SearchIndex::baseline_same_query`). What Lantern adds on top is
//!   reading the hits' fields, snippets and facet lists.
//! - Raw tantivy, minimal (for scale): a `QueryParser` over title and body (English analysis, AND between words, title
//!   boosted 2×), the same top 10 + `Count`, and the stored id of the 10 hits. No fuzzy, prefix,
//!   facets or snippets: misspelt words simply match less.
//! - FTS5: `MATCH … ORDER BY rank LIMIT 10` with bm25 (title 2×) and `snippet()`; no total count,
//!   no facets, no typo tolerance. Reached through sqlx, which runs each connection on its own
//!   thread; the floor that costs is measured and printed.

use lantern_search::{Analysis, Document, Request, SearchIndex, writer_budget};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Row};
use std::collections::HashSet;
use std::error::Error;
use std::path::Path;
use std::time::{Duration, Instant};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument};

type Res<T> = Result<T, Box<dyn Error>>;

const COMMAND: &str = "cargo bench -p lantern-search --bench search_vs_raw_and_fts5";
const CORPUS_SEED: u64 = 0x1a47_e250_2026;
const QUERY_ORDER_SEED: u64 = 7;
/// Passes over the whole query set before timing starts.
const WARM_UP_ROUNDS: usize = 2;

/// The issue's goals.
const GOAL_VS_RAW: f64 = 1.5; // Lantern latency ≤ 1.5 × raw tantivy
const GOAL_FTS5_P50: f64 = 2.5; // FTS5 p50 ≥ 2.5 × Lantern p50
const GOAL_FTS5_P99: f64 = 5.0; // FTS5 p99 ≥ 5 × Lantern p99
const GOAL_INDEXING: f64 = 0.5; // Lantern docs/s ≥ 0.5 × raw tantivy docs/s

fn main() -> Res<()> {
    let lessons = env_usize("LESSONS", 100_000)?;
    let total_queries = env_usize("QUERIES", 2_000)?;
    let dir = tempfile::tempdir()?;

    // 1. Corpus: generated once, held once; every system indexes the same documents.
    let started = Instant::now();
    let corpus = generate_corpus(lessons);
    let stats = CorpusStats::of(&corpus);
    eprintln!(
        "corpus: {lessons} lessons, {:.0} words each on average, {:.0} MB of text, {} distinct words, \
         generated in {:.1} s",
        stats.words as f64 / lessons as f64,
        stats.bytes as f64 / 1e6,
        stats.distinct,
        started.elapsed().as_secs_f64()
    );

    // 2. Builds, one after the other, each on a quiet machine.
    let lantern_dir = dir.path().join("lantern");
    let lantern_build = build_lantern(&lantern_dir, &corpus)?;
    let raw_dir = dir.path().join("raw");
    let (raw_build, raw) = build_raw(&raw_dir, &corpus)?;
    let fts_path = dir.path().join("fts5.sqlite");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (fts_build, mut fts) = runtime.block_on(build_fts5(&fts_path, &corpus))?;
    drop(corpus);

    // Lantern as a restarted server would have it: reopened, with the merges that finished
    // after the commit (its reader only reloads on commit).
    let lantern = SearchIndex::open_or_create(&lantern_dir)?;
    if lantern.len() != lessons as u64 {
        return Err(format!("Lantern holds {} documents, not {lessons}", lantern.len()).into());
    }

    // 3. Queries, each system in turn, the same order for all.
    let queries = queries();
    eprintln!("timing {total_queries} queries per system after {WARM_UP_ROUNDS} warm-up rounds …");
    let lantern_timed =
        time_queries(&queries, total_queries, |q| Ok(lantern.search(&queries[q].request)?.total))?;
    let same_query_timed =
        time_queries(&queries, total_queries, |q| Ok(lantern.baseline_same_query(&queries[q].request)?.0))?;
    let raw_timed = time_queries(&queries, total_queries, |q| raw.search(&raw.parser, queries[q].text))?;
    let raw_fuzzy_timed =
        time_queries(&queries, total_queries, |q| raw.search(&raw.fuzzy_parser, queries[q].text))?;
    raw.merge_into_one()?;
    let raw_one_segment =
        time_queries(&queries, total_queries, |q| raw.search(&raw.parser, queries[q].text))?;
    let fts_timed =
        time_queries(&queries, total_queries, |q| runtime.block_on(fts5_search(&mut fts, &queries[q].fts5)))?;
    let sqlx_floor = runtime.block_on(sqlx_round_trip(&mut fts))?;

    report(&Report {
        lessons,
        total_queries,
        stats,
        queries: &queries,
        lantern_build,
        raw_build,
        fts_build,
        lantern: lantern_timed,
        same_query: same_query_timed,
        raw: raw_timed,
        raw_fuzzy: raw_fuzzy_timed,
        raw_one_segment,
        fts: fts_timed,
        sqlx_floor,
    });
    Ok(())
}

fn env_usize(name: &str, default: usize) -> Res<usize> {
    match std::env::var(name) {
        Ok(value) => Ok(value.replace('_', "").parse().map_err(|e| format!("{name}={value}: {e}"))?),
        Err(_) => Ok(default),
    }
}

// ---------------------------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------------------------

/// SplitMix64: small, seeded, good enough for text generation.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Words drawn with probability ∝ 1 / rank (Zipf, exponent 1), rank = position in the list.
struct Zipf {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(words: Vec<String>) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Self { words, cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> &str {
        let x = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        let at = self.cumulative.partition_point(|&c| c <= x).min(self.words.len() - 1);
        &self.words[at]
    }
}

/// One language's vocabulary: common words first (they take the top Zipf ranks), then clinical
/// words, then a long tail of rare made-up words (names, brands, local terms) so the term
/// dictionary has a realistic size — that matters to fuzzy and prefix queries.
struct Language {
    code: &'static str,
    zipf: Zipf,
    /// Multi-word terms dropped into sentences, so phrases have something to find.
    collocations: Vec<&'static str>,
    /// Words tying a title to its lesson.
    title_links: Vec<&'static str>,
}

impl Language {
    /// `lists`: words separated by white space, most frequent first; `collocations`: separated
    /// by commas.
    fn new(
        code: &'static str,
        lists: &[&'static str],
        tail: &[String],
        collocations: &'static str,
        title_links: &'static str,
    ) -> Self {
        let mut seen = HashSet::new();
        let mut words = Vec::new();
        let listed = lists.iter().flat_map(|list| list.split_whitespace()).map(str::to_owned);
        for word in listed.chain(tail.iter().cloned()) {
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        Self {
            code,
            zipf: Zipf::new(words),
            collocations: comma_list(collocations),
            title_links: title_links.split_whitespace().collect(),
        }
    }
}

fn comma_list(text: &'static str) -> Vec<&'static str> {
    text.split(',').map(str::trim).filter(|item| !item.is_empty()).collect()
}

/// Topics, each with the words (and collocations) its lessons use far more than others.
const TOPICS: &[(&str, &str)] = &[
    (
        "infection-prevention",
        "hand hygiene, handrub, gloves, sterile, isolation, disinfection, infection, infection prevention, \
         transmission, sharps, waste disposal, chlorine",
    ),
    (
        "maternal-health",
        "postpartum hemorrhage, pregnancy, labour, antenatal, oxytocin, partograph, placenta, uterus, \
         eclampsia, magnesium sulfate, contractions, delivery",
    ),
    (
        "newborn-care",
        "newborn, breastfeeding, newborn resuscitation, umbilical cord, colostrum, neonatal, kangaroo care, \
         hypothermia, jaundice, apgar, skin to skin",
    ),
    (
        "pharmacology",
        "medication, dose, insulin dose, antibiotic, paracetamol, amoxicillin, medication error, \
         prescription, intravenous, injection, adverse reaction",
    ),
    (
        "wound-care",
        "wound, wound dressing, bandage, pressure ulcer, debridement, suture, granulation, exudate, \
         aseptic technique, burns",
    ),
    (
        "emergency-care",
        "triage, vital signs, airway, sepsis, shock, cardiac arrest, chest compressions, oxygen saturation, \
         early warning score, anaphylaxis, adrenaline",
    ),
    (
        "chronic-disease",
        "diabetes, insulin, blood glucose, hypertension, blood pressure, heart failure, kidney, stroke, \
         asthma, adherence",
    ),
    (
        "communicable-disease",
        "malaria, tuberculosis, tuberculosis treatment, hiv, antiretroviral, cholera, vaccination, \
         cold chain, measles, pneumonia, outbreak",
    ),
    (
        "nutrition",
        "malnutrition, nutrition, dehydration, oral rehydration solution, zinc, growth chart, anaemia, \
         therapeutic feeding, vitamin, fluid balance",
    ),
    (
        "mental-health",
        "mental health, depression, anxiety, psychosis, suicide, delirium, dementia, counselling, stigma, \
         consent",
    ),
    (
        "patient-safety",
        "patient safety, surgical checklist, handover, falls, incident, documentation, catheter, \
         pain assessment, identification, escalation",
    ),
];

const PROFESSIONS: &[&str] =
    &["nurse", "midwife", "clinical-officer", "community-health-worker", "pharmacist"];
const ORGANISATIONS: &[&str] = &[
    "East African Nurses",
    "Sahel Midwives Network",
    "Andean Health Workers",
    "Lakeside District Hospital",
    "Coastal Nursing School",
    "Highland Community Health",
    "Riverside Teaching Hospital",
    "Open Clinical Skills",
];

/// The long tail: made-up but word-like, e.g. `bremotal`, `quisandi`.
fn rare_words(count: usize, rng: &mut Rng) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ba", "bre", "co", "da", "di", "fen", "go", "gra", "hy", "ka", "lo", "lu", "ma", "mi", "na", "nal",
        "no", "or", "pe", "pra", "qui", "ra", "ri", "san", "sol", "ta", "ter", "tri", "u", "va", "vin", "xo",
        "ze", "zen", "am", "ol", "ic", "en", "ax", "ith",
    ];
    let mut seen = HashSet::new();
    let mut words = Vec::with_capacity(count);
    while words.len() < count {
        let syllables = 2 + rng.below(3);
        let word: String = (0..syllables).map(|_| rng.pick(SYLLABLES)).collect();
        if word.len() >= 4 && seen.insert(word.clone()) {
            words.push(word);
        }
    }
    words
}

fn generate_corpus(lessons: usize) -> Vec<Document> {
    let mut rng = Rng(CORPUS_SEED);
    let tail = rare_words(30_000, &mut rng);
    let english = Language::new(
        "en",
        &[COMMON_EN, CLINICAL_EN],
        &tail,
        COLLOCATIONS_EN,
        "and for in during after before",
    );
    let french = Language::new(
        "fr",
        &[COMMON_FR, CLINICAL_FR],
        &tail[..10_000],
        COLLOCATIONS_FR,
        "et pour chez pendant",
    );
    let spanish =
        Language::new("es", &[COMMON_ES, CLINICAL_ES], &tail[..10_000], COLLOCATIONS_ES, "y para en durante");
    let topics: Vec<(&str, Vec<&str>)> =
        TOPICS.iter().map(|&(slug, keywords)| (slug, comma_list(keywords))).collect();
    (0..lessons)
        .map(|i| {
            // 80 % English, 12 % French, 8 % Spanish.
            let language = match i % 25 {
                0..=19 => &english,
                20..=22 => &french,
                _ => &spanish,
            };
            lesson(i, language, &topics, &mut rng)
        })
        .collect()
}

fn lesson(i: usize, language: &Language, topics: &[(&str, Vec<&str>)], rng: &mut Rng) -> Document {
    let (topic, topic_keywords) = &topics[rng.below(topics.len())];
    // Topic keywords are English; other languages lean on their own collocations instead.
    let keywords: &[&str] = if language.code == "en" { topic_keywords } else { &language.collocations };
    let course = i / 12;

    let mut title = capitalised(rng.pick(keywords));
    title.push(' ');
    title.push_str(rng.pick(&language.title_links));
    for _ in 0..1 + rng.below(3) {
        title.push(' ');
        title.push_str(language.zipf.sample(rng));
    }

    let target_words = 300 + rng.below(501);
    let mut body = String::with_capacity(target_words * 8);
    let mut words = 0;
    let mut sentences_in_paragraph = 0;
    while words < target_words {
        let length = 6 + rng.below(17);
        for w in 0..length {
            let roll = rng.unit();
            let word = if roll < 0.06 {
                rng.pick(keywords)
            } else if roll < 0.08 {
                rng.pick(&language.collocations)
            } else {
                language.zipf.sample(rng)
            };
            if w == 0 {
                body.push_str(&capitalised(word));
            } else {
                body.push(' ');
                body.push_str(word);
            }
            words += 1;
        }
        body.push('.');
        sentences_in_paragraph += 1;
        if sentences_in_paragraph >= 4 + rng.below(4) {
            body.push_str("\n\n");
            sentences_in_paragraph = 0;
        } else {
            body.push(' ');
        }
    }

    let mut professions = vec![PROFESSIONS[rng.below(PROFESSIONS.len())].to_owned()];
    if rng.unit() < 0.3 {
        let other = PROFESSIONS[rng.below(PROFESSIONS.len())];
        if professions[0] != other {
            professions.push(other.to_owned());
        }
    }
    let mut lesson_topics = vec![topic.to_string()];
    if rng.unit() < 0.2 {
        let other = TOPICS[rng.below(TOPICS.len())].0;
        if lesson_topics[0] != other {
            lesson_topics.push(other.to_owned());
        }
    }
    Document {
        id: format!("lesson:course-{course}/lesson-{i}"),
        group: format!("course:course-{course}"),
        kind: "lesson".into(),
        language: language.code.into(),
        title,
        body,
        url: format!("/courses/course-{course}/lessons/{i}"),
        professions,
        topics: lesson_topics,
        competencies: Vec::new(),
        organisation: ORGANISATIONS[course % ORGANISATIONS.len()].into(),
        credits_hundredths: 25 * (1 + rng.below(8)) as i64,
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct CorpusStats {
    words: usize,
    bytes: usize,
    distinct: usize,
}

impl CorpusStats {
    fn of(corpus: &[Document]) -> Self {
        let mut distinct = HashSet::new();
        let mut words = 0;
        let mut bytes = 0;
        for doc in corpus {
            bytes += doc.title.len() + doc.body.len();
            for word in doc.body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                words += 1;
                // Only a sentence's first word is capitalised.
                if word.starts_with(char::is_uppercase) {
                    distinct.insert(word.to_lowercase());
                } else if !distinct.contains(word) {
                    distinct.insert(word.to_owned());
                }
            }
        }
        Self { words, bytes, distinct: distinct.len() }
    }
}

// ---------------------------------------------------------------------------------------------
// Builds
// ---------------------------------------------------------------------------------------------

struct Build {
    /// Adding every document and the one commit.
    elapsed: Duration,
    docs_per_second: f64,
    /// After background merges settled (tantivy) / after `optimize` and a WAL checkpoint (FTS5).
    bytes_on_disk: u64,
    /// Segments searched (tantivy; 0 for FTS5).
    segments: usize,
    /// Waiting for the merges after the commit (tantivy) / the `optimize` that followed (FTS5).
    after: Duration,
    /// Other processes' CPU while it was timed, in cores.
    background: f64,
}

fn build_lantern(dir: &Path, corpus: &[Document]) -> Res<Build> {
    quiet_machine();
    eprintln!("Lantern: indexing …");
    let index = SearchIndex::open_or_create(dir)?;
    let load = Load::start();
    let started = Instant::now();
    for document in corpus {
        // `add` takes the document by value; the clone (a few µs of copying) is timed too.
        index.add(document.clone())?;
    }
    index.commit(1)?;
    let elapsed = started.elapsed();
    let background = load.others_cores();
    // Merges go on in the background after the commit: let them finish, then close the writer.
    let settled = wait_until_idle(Duration::from_secs(600));
    drop(index);
    let segments = Index::open_in_dir(dir)?.searchable_segment_metas()?.len();
    Ok(Build {
        elapsed,
        docs_per_second: corpus.len() as f64 / elapsed.as_secs_f64(),
        bytes_on_disk: dir_size(dir)?,
        segments,
        after: settled,
        background,
    })
}

/// Raw tantivy with a minimal schema: id (string, stored), title and body (text, English).
struct Raw {
    index: Index,
    reader: tantivy::IndexReader,
    id: tantivy::schema::Field,
    parser: QueryParser,
    /// The same, with every word fuzzy (1 edit) — for scale only, not a goal.
    fuzzy_parser: QueryParser,
}

impl Raw {
    /// Merges every segment into one (the merge policy leaves many: segment counts differ
    /// between the two tantivy indexes, and more segments cost more per query).
    fn merge_into_one(&self) -> Res<()> {
        let (threads, memory) = writer_budget();
        let mut writer: IndexWriter = self.index.writer_with_num_threads(threads, memory)?;
        writer.merge(&self.index.searchable_segment_ids()?).wait()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Top 10 by score and the count of matches, then the stored id of each hit.
    fn search(&self, parser: &QueryParser, text: &str) -> Res<usize> {
        let query = parser.parse_query(text)?;
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(&query, &(TopDocs::with_limit(10).order_by_score(), Count))?;
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            std::hint::black_box(doc.get_first(self.id).and_then(|v| v.as_str()).map(str::len));
        }
        Ok(total)
    }
}

fn build_raw(dir: &Path, corpus: &[Document]) -> Res<(Build, Raw)> {
    // Lantern's own English analysis (stop words, Snowball, accent folding), so both indexes hold
    // the same terms for English text.
    const TOKENIZER: &str = "lantern_en";
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let title = builder.add_text_field("title", text.clone());
    let body = builder.add_text_field("body", text);
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, builder.build())?;
    index.tokenizers().register(TOKENIZER, Analysis::English.analyzer());

    quiet_machine();
    eprintln!("raw tantivy: indexing …");
    let load = Load::start();
    let started = Instant::now();
    // Lantern's writer threads and memory (`writer_budget`, not configurable), the same for both.
    let (threads, memory) = writer_budget();
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, memory)?;
    for document in corpus {
        let mut doc = TantivyDocument::default();
        doc.add_text(id, &document.id);
        doc.add_text(title, &document.title);
        doc.add_text(body, &document.body);
        writer.add_document(doc)?;
    }
    writer.commit()?;
    let elapsed = started.elapsed();
    let background = load.others_cores();
    let settle = Instant::now();
    writer.wait_merging_threads()?;
    let after = settle.elapsed();

    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let mut parser = QueryParser::for_index(&index, vec![title, body]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(title, 2.0);
    let mut fuzzy_parser = QueryParser::for_index(&index, vec![title, body]);
    fuzzy_parser.set_conjunction_by_default();
    fuzzy_parser.set_field_boost(title, 2.0);
    for field in [title, body] {
        fuzzy_parser.set_field_fuzzy(field, false, 1, true);
    }
    let build = Build {
        elapsed,
        docs_per_second: corpus.len() as f64 / elapsed.as_secs_f64(),
        bytes_on_disk: dir_size(dir)?,
        segments: index.searchable_segment_metas()?.len(),
        after,
        background,
    };
    Ok((build, Raw { index, reader, id, parser, fuzzy_parser }))
}

async fn build_fts5(path: &Path, corpus: &[Document]) -> Res<(Build, SqliteConnection)> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal);
    let mut db = SqliteConnection::connect_with(&options).await?;
    let fts5: i64 =
        sqlx::query_scalar("SELECT sqlite_compileoption_used('ENABLE_FTS5')").fetch_one(&mut db).await?;
    if fts5 != 1 {
        return Err("this SQLite is built without FTS5".into());
    }
    sqlx::query(
        "CREATE VIRTUAL TABLE lessons USING fts5(title, body, \
         tokenize='porter unicode61 remove_diacritics 2')",
    )
    .execute(&mut db)
    .await?;
    // `ORDER BY rank` is bm25 with the title worth twice the body, as in Lantern.
    sqlx::query("INSERT INTO lessons(lessons, rank) VALUES('rank', 'bm25(2.0, 1.0)')")
        .execute(&mut db)
        .await?;

    quiet_machine();
    eprintln!("SQLite FTS5: indexing …");
    let load = Load::start();
    let started = Instant::now();
    let mut transaction = db.begin().await?;
    for (rowid, document) in corpus.iter().enumerate() {
        sqlx::query("INSERT INTO lessons(rowid, title, body) VALUES (?1, ?2, ?3)")
            .bind(rowid as i64)
            .bind(document.title.as_str())
            .bind(document.body.as_str())
            .execute(&mut *transaction)
            .await?;
    }
    transaction.commit().await?;
    let elapsed = started.elapsed();
    let background = load.others_cores();
    // What a careful user does after a bulk load: merge FTS5's b-trees into one.
    let optimizing = Instant::now();
    sqlx::query("INSERT INTO lessons(lessons) VALUES('optimize')").execute(&mut db).await?;
    let after = optimizing.elapsed();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut db).await?;
    let mut bytes_on_disk = std::fs::metadata(path)?.len();
    if let Ok(wal) = std::fs::metadata(path.with_extension("sqlite-wal")) {
        bytes_on_disk += wal.len();
    }
    let build = Build {
        elapsed,
        docs_per_second: corpus.len() as f64 / elapsed.as_secs_f64(),
        bytes_on_disk,
        segments: 0,
        after,
        background,
    };
    Ok((build, db))
}

/// Top 10 by bm25 with a snippet of the body; every column read.
async fn fts5_search(db: &mut SqliteConnection, expression: &str) -> Res<usize> {
    let rows = sqlx::query(
        "SELECT rowid, title, snippet(lessons, 1, '[', ']', '…', 24) FROM lessons \
         WHERE lessons MATCH ?1 ORDER BY rank LIMIT 10",
    )
    .bind(expression)
    .fetch_all(&mut *db)
    .await?;
    for row in &rows {
        let rowid: i64 = row.try_get(0)?;
        let title: String = row.try_get(1)?;
        let snippet: String = row.try_get(2)?;
        std::hint::black_box((rowid, title, snippet));
    }
    Ok(rows.len())
}

/// The least a query costs through sqlx (its connection runs on a worker thread): p50 of `SELECT 1`.
async fn sqlx_round_trip(db: &mut SqliteConnection) -> Res<Duration> {
    let mut samples = Vec::with_capacity(1_000);
    for _ in 0..1_100 {
        let started = Instant::now();
        let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&mut *db).await?;
        samples.push(started.elapsed());
        std::hint::black_box(one);
    }
    samples.drain(..100);
    samples.sort();
    Ok(percentile(&samples, 50.0))
}

/// Bytes of every file in a (flat) directory.
fn dir_size(dir: &Path) -> Res<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let metadata = entry?.metadata()?;
        if metadata.is_file() {
            total += metadata.len();
        }
    }
    Ok(total)
}

// ---------------------------------------------------------------------------------------------
// A quiet machine
// ---------------------------------------------------------------------------------------------

/// CPU time this process has used, in clock ticks (Linux `/proc/self/stat`: utime + stime).
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Waits until this process has used (almost) no CPU for two seconds in a row — tantivy's
/// background merges have finished — or `limit` has passed. Returns how long it waited.
fn wait_until_idle(limit: Duration) -> Duration {
    let started = Instant::now();
    let Some(mut last) = cpu_ticks() else {
        std::thread::sleep(Duration::from_secs(5));
        return started.elapsed();
    };
    let mut quiet = 0;
    while quiet < 4 && started.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(500));
        let now = cpu_ticks().unwrap_or(last);
        // At 100 ticks a second, ≤ 2 ticks in half a second is under 4 % of a core.
        quiet = if now - last <= 2 { quiet + 1 } else { 0 };
        last = now;
    }
    started.elapsed()
}

/// Waits for our own background merges to finish and then for the machine to be quiet: no
/// `wrk` (another load benchmark) running and other processes using under a fifth of a core, for
/// at most `QUIET_WAIT_SECONDS` (half an hour). Timings taken on a busy machine say so in the
/// report (`Load`).
fn quiet_machine() {
    wait_until_idle(Duration::from_secs(600));
    let limit = std::env::var("QUIET_WAIT_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_800);
    let wrk_running = || {
        std::fs::read_dir("/proc").into_iter().flatten().flatten().any(|entry| {
            std::fs::read_to_string(entry.path().join("comm")).is_ok_and(|comm| comm.trim() == "wrk")
        })
    };
    let started = Instant::now();
    let mut told = false;
    while started.elapsed() < Duration::from_secs(limit) {
        let load = Load::start();
        std::thread::sleep(Duration::from_secs(2));
        let others = load.others_cores();
        if !wrk_running() && others < 0.2 {
            return;
        }
        if !told {
            eprintln!("machine busy (other processes: {others:.1} cores, wrk: {}): waiting …", wrk_running());
            told = true;
        }
        std::thread::sleep(Duration::from_secs(3));
    }
    eprintln!("machine still busy after {limit} s: timing anyway");
}

/// CPU used by other processes during a timed phase, from `/proc/stat` (whole machine) minus
/// `/proc/self/stat` (this process); in cores, e.g. 0.5 = half a core busy on average.
struct Load {
    machine: Option<u64>,
    ours: Option<u64>,
    started: Instant,
}

impl Load {
    fn start() -> Self {
        Self { machine: machine_busy_ticks(), ours: cpu_ticks(), started: Instant::now() }
    }

    fn others_cores(&self) -> f64 {
        let (Some(machine), Some(ours), Some(machine_now), Some(ours_now)) =
            (self.machine, self.ours, machine_busy_ticks(), cpu_ticks())
        else {
            return 0.0;
        };
        let others = machine_now.saturating_sub(machine) as f64 - ours_now.saturating_sub(ours) as f64;
        // Clock ticks are 1/100 s on Linux.
        (others / 100.0 / self.started.elapsed().as_secs_f64()).max(0.0)
    }
}

/// Busy clock ticks of all CPUs: user, nice, system, irq, softirq, steal (not idle, iowait).
fn machine_busy_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks: Vec<u64> =
        stat.lines().next()?.split_whitespace().skip(1).map_while(|t| t.parse().ok()).collect();
    Some([0, 1, 2, 5, 6, 7].iter().filter_map(|&i| ticks.get(i)).sum())
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Words,
    Phrase,
    /// One letter wrong (missing, extra, swapped or changed).
    Misspelt,
}

struct TestQuery {
    text: &'static str,
    kind: Kind,
    request: Request,
    /// The same text as an FTS5 expression.
    fts5: String,
}

fn queries() -> Vec<TestQuery> {
    use Kind::*;
    let list: &[(&str, &str, Kind)] = &[
        ("hand hygiene", "en", Words),
        ("sepsis", "en", Words),
        ("blood pressure", "en", Words),
        ("postpartum hemorrhage", "en", Words),
        ("wound dressing", "en", Words),
        ("insulin dose", "en", Words),
        ("malaria", "en", Words),
        ("oral rehydration solution", "en", Words),
        ("newborn resuscitation", "en", Words),
        ("breastfeeding", "en", Words),
        ("infection prevention", "en", Words),
        ("pressure ulcer", "en", Words),
        ("vital signs", "en", Words),
        ("triage", "en", Words),
        ("tuberculosis treatment", "en", Words),
        ("medication error", "en", Words),
        ("pain assessment", "en", Words),
        ("oxygen saturation", "en", Words),
        ("urinary catheter", "en", Words),
        ("antibiotic", "en", Words),
        ("vaccination cold chain", "en", Words),
        ("dehydration child", "en", Words),
        ("fluid balance chart", "en", Words),
        ("mental health", "en", Words),
        ("sterile gloves", "en", Words),
        ("diabetes", "en", Words),
        ("fever", "en", Words),
        ("surgical checklist", "en", Words),
        ("heart rate", "en", Words),
        ("consent", "en", Words),
        ("\"hand hygiene\"", "en", Phrase),
        ("\"blood pressure\" monitoring", "en", Phrase),
        ("\"vital signs\"", "en", Phrase),
        ("\"postpartum hemorrhage\"", "en", Phrase),
        ("\"cold chain\"", "en", Phrase),
        ("\"early warning score\"", "en", Phrase),
        ("hygene", "en", Misspelt),
        ("sepis", "en", Misspelt),
        ("diabetis", "en", Misspelt),
        ("malarya", "en", Misspelt),
        ("pneumonai", "en", Misspelt),
        ("bandadge", "en", Misspelt),
        ("tuberculsis", "en", Misspelt),
        ("vacination", "en", Misspelt),
        ("newborn resucitation", "en", Misspelt),
        ("hygiène des mains", "fr", Words),
        ("prévention des infections", "fr", Words),
        ("hémorragie", "fr", Words),
        ("lavado de manos", "es", Words),
        ("hemorragia posparto", "es", Words),
        ("signos vitales", "es", Words),
    ];
    list.iter()
        .map(|&(text, language, kind)| TestQuery {
            text,
            kind,
            request: Request {
                text: text.into(),
                language: language.into(),
                limit: 10,
                ..Request::default()
            },
            fts5: fts5_expression(text),
        })
        .collect()
}

/// The query as an FTS5 expression: each word quoted (so nothing is read as FTS5 syntax) and
/// quoted phrases kept; FTS5 ANDs them, as Lantern does.
fn fts5_expression(text: &str) -> String {
    let mut parts = Vec::new();
    for (index, part) in text.split('"').enumerate() {
        let words: Vec<&str> = part.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        if index % 2 == 1 && !words.is_empty() {
            parts.push(format!("\"{}\"", words.join(" ")));
        } else {
            parts.extend(words.iter().map(|word| format!("\"{word}\"")));
        }
    }
    parts.join(" ")
}

/// One system's timings: latency per query run, and what each query found (from the warm-up).
struct Timed {
    samples: Vec<(Kind, Duration)>,
    found: Vec<usize>,
    /// Other processes' CPU while timed, in cores.
    background: f64,
}

/// Warm-up rounds over every query, then `total` timed runs, one query at a time, in an order
/// shuffled per round but the same for every system.
fn time_queries(queries: &[TestQuery], total: usize, mut run: impl FnMut(usize) -> Res<usize>) -> Res<Timed> {
    quiet_machine();
    let mut found = vec![0; queries.len()];
    for _ in 0..WARM_UP_ROUNDS {
        for (q, slot) in found.iter_mut().enumerate() {
            *slot = run(q)?;
        }
    }
    let load = Load::start();
    let mut rng = Rng(QUERY_ORDER_SEED);
    let mut samples = Vec::with_capacity(total);
    let mut order: Vec<usize> = (0..queries.len()).collect();
    while samples.len() < total {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &q in order.iter().take(total - samples.len()) {
            let started = Instant::now();
            let found = run(q)?;
            let elapsed = started.elapsed();
            std::hint::black_box(found);
            samples.push((queries[q].kind, elapsed));
        }
    }
    Ok(Timed { samples, found, background: load.others_cores() })
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[derive(Clone, Copy)]
struct Latency {
    p50: Duration,
    p99: Duration,
    count: usize,
}

impl Timed {
    /// p50 and p99 over every query, or only those not misspelt.
    fn latency(&self, plain_only: bool) -> Latency {
        let mut samples: Vec<Duration> = self
            .samples
            .iter()
            .filter(|(kind, _)| !plain_only || *kind != Kind::Misspelt)
            .map(|(_, elapsed)| *elapsed)
            .collect();
        samples.sort();
        Latency { p50: percentile(&samples, 50.0), p99: percentile(&samples, 99.0), count: samples.len() }
    }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

struct Report<'a> {
    lessons: usize,
    total_queries: usize,
    stats: CorpusStats,
    queries: &'a [TestQuery],
    lantern_build: Build,
    raw_build: Build,
    fts_build: Build,
    lantern: Timed,
    /// Raw tantivy running Lantern's own query and collectors on Lantern's index.
    same_query: Timed,
    raw: Timed,
    raw_fuzzy: Timed,
    raw_one_segment: Timed,
    fts: Timed,
    sqlx_floor: Duration,
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn verdict(met: bool) -> &'static str {
    if met { "**met**" } else { "**not met**" }
}

fn report(r: &Report) {
    let (lantern, raw, fts, fuzzy) =
        (r.lantern.latency(false), r.raw.latency(false), r.fts.latency(false), r.raw_fuzzy.latency(false));
    let one_segment = r.raw_one_segment.latency(false);
    let (lantern_plain, raw_plain, fts_plain) =
        (r.lantern.latency(true), r.raw.latency(true), r.fts.latency(true));
    let misspelt = r.queries.iter().filter(|q| q.kind == Kind::Misspelt).count();
    let phrases = r.queries.iter().filter(|q| q.kind == Kind::Phrase).count();
    let with_hits = |timed: &Timed| timed.found.iter().filter(|&&n| n > 0).count();
    let median_total = |timed: &Timed| {
        let mut totals = timed.found.clone();
        totals.sort_unstable();
        totals.get(totals.len() / 2).copied().unwrap_or(0)
    };

    println!();
    println!("## Search benchmark: Lantern vs raw tantivy vs SQLite FTS5");
    println!();
    println!("`LESSONS={} QUERIES={} {COMMAND}`", r.lessons, r.total_queries);
    println!();
    println!(
        "Corpus: {} generated lessons, {:.0} words each on average ({:.0} MB of text, {} distinct words), \
         80 % English / 12 % French / 8 % Spanish. {} queries ({} misspelt, {} with a phrase), {} timed \
         runs per system after {} warm-up rounds, one at a time on one thread.",
        r.lessons,
        r.stats.words as f64 / r.lessons as f64,
        r.stats.bytes as f64 / 1e6,
        r.stats.distinct,
        r.queries.len(),
        misspelt,
        phrases,
        r.total_queries,
        WARM_UP_ROUNDS,
    );
    println!();
    println!("| | Lantern | raw tantivy | SQLite FTS5 |");
    println!("|---|---:|---:|---:|");
    println!(
        "| Build: add all + 1 commit | {:.1} s | {:.1} s | {:.1} s (+ {:.1} s `optimize`) |",
        r.lantern_build.elapsed.as_secs_f64(),
        r.raw_build.elapsed.as_secs_f64(),
        r.fts_build.elapsed.as_secs_f64(),
        r.fts_build.after.as_secs_f64(),
    );
    println!(
        "| Indexing throughput | {:.0} docs/s | {:.0} docs/s | {:.0} docs/s |",
        r.lantern_build.docs_per_second, r.raw_build.docs_per_second, r.fts_build.docs_per_second
    );
    println!(
        "| Size on disk | {} | {} | {} |",
        mb(r.lantern_build.bytes_on_disk),
        mb(r.raw_build.bytes_on_disk),
        mb(r.fts_build.bytes_on_disk)
    );
    println!(
        "| Segments searched (merges done {:.0} s / {:.0} s after commit) | {} | {} | – |",
        r.lantern_build.after.as_secs_f64(),
        r.raw_build.after.as_secs_f64(),
        r.lantern_build.segments,
        r.raw_build.segments
    );
    println!(
        "| Query p50 / p99, all {} queries | {} / {} | {} / {} | {} / {} |",
        r.queries.len(),
        ms(lantern.p50),
        ms(lantern.p99),
        ms(raw.p50),
        ms(raw.p99),
        ms(fts.p50),
        ms(fts.p99)
    );
    println!(
        "| Query p50 / p99, {} not misspelt | {} / {} | {} / {} | {} / {} |",
        r.queries.len() - misspelt,
        ms(lantern_plain.p50),
        ms(lantern_plain.p99),
        ms(raw_plain.p50),
        ms(raw_plain.p99),
        ms(fts_plain.p50),
        ms(fts_plain.p99)
    );
    println!(
        "| Queries finding something | {} / {n} | {} / {n} | {} / {n} |",
        with_hits(&r.lantern),
        with_hits(&r.raw),
        with_hits(&r.fts),
        n = r.queries.len()
    );
    println!(
        "| Median query's total matches | {} | {} | (not counted) |",
        median_total(&r.lantern),
        median_total(&r.raw)
    );
    println!(
        "| Other processes' CPU while timed (cores): build; queries | {:.2}; {:.2} | {:.2}; {:.2} | {:.2}; {:.2} |",
        r.lantern_build.background,
        r.lantern.background,
        r.raw_build.background,
        r.raw.background,
        r.fts_build.background,
        r.fts.background
    );
    println!();

    let (same, same_plain) = (r.same_query.latency(false), r.same_query.latency(true));
    let vs_raw = |name: &str, a: Duration, b: Duration| {
        let x = ratio(a, b);
        (name.to_owned(), format!("≤ {GOAL_VS_RAW}"), x, Some(x <= GOAL_VS_RAW))
    };
    let for_scale =
        |name: &str, a: Duration, b: Duration| (name.to_owned(), "(for scale)".to_owned(), ratio(a, b), None);
    let rows: [(String, String, f64, Option<bool>); 11] = [
        vs_raw(
            "Lantern p50 ÷ raw tantivy p50, same query and collectors, all queries",
            lantern.p50,
            same.p50,
        ),
        vs_raw(
            "Lantern p99 ÷ raw tantivy p99, same query and collectors, all queries",
            lantern.p99,
            same.p99,
        ),
        vs_raw("… p50, queries not misspelt", lantern_plain.p50, same_plain.p50),
        vs_raw("… p99, queries not misspelt", lantern_plain.p99, same_plain.p99),
        for_scale("Lantern p50 ÷ raw tantivy p50, minimal English query", lantern.p50, raw.p50),
        for_scale("Lantern p99 ÷ raw tantivy p99, minimal English query", lantern.p99, raw.p99),
        for_scale("… p50, queries not misspelt", lantern_plain.p50, raw_plain.p50),
        for_scale("… p99, queries not misspelt", lantern_plain.p99, raw_plain.p99),
        {
            let x = ratio(fts.p50, lantern.p50);
            (
                "FTS5 p50 ÷ Lantern p50 (Lantern faster by)".into(),
                format!("≥ {GOAL_FTS5_P50}"),
                x,
                Some(x >= GOAL_FTS5_P50),
            )
        },
        {
            let x = ratio(fts.p99, lantern.p99);
            (
                "FTS5 p99 ÷ Lantern p99 (Lantern faster by)".into(),
                format!("≥ {GOAL_FTS5_P99}"),
                x,
                Some(x >= GOAL_FTS5_P99),
            )
        },
        {
            let x = r.lantern_build.docs_per_second / r.raw_build.docs_per_second;
            (
                "Lantern docs/s ÷ raw tantivy docs/s".into(),
                format!("≥ {GOAL_INDEXING}"),
                x,
                Some(x >= GOAL_INDEXING),
            )
        },
    ];
    let busy: Vec<String> = [
        ("Lantern build", r.lantern_build.background),
        ("raw tantivy build", r.raw_build.background),
        ("FTS5 build", r.fts_build.background),
        ("Lantern queries", r.lantern.background),
        ("same-query queries", r.same_query.background),
        ("raw tantivy queries", r.raw.background),
        ("FTS5 queries", r.fts.background),
    ]
    .iter()
    .filter(|(_, cores)| *cores > 0.25)
    .map(|(phase, cores)| format!("{phase} ({cores:.1} cores)"))
    .collect();
    if !busy.is_empty() {
        println!("Warning: other processes were busy while timing {}; rerun those figures.", busy.join(", "));
        println!();
    }
    println!("| Goal | Target | Measured | |");
    println!("|---|---:|---:|---|");
    for (name, target, measured, met) in rows {
        println!("| {name} | {target} | {measured:.2}× | {} |", met.map_or("", verdict));
    }
    println!();
    println!("What each system does per query:");
    println!(
        "- Lantern `search()`: parses the text, builds its query (each word's stem in every \
         analysis — en, fr, es, pt, plain — on title and body, plus typo-tolerant and prefix \
         alternatives and phrases, see `text_query` in lib.rs; the searcher's language first), \
         collects top 10 + total + facet counts (kind, professions, topics, language) over every \
         match, loads 10 stored documents and builds a snippet for each."
    );
    println!(
        "- Raw tantivy, same query and collectors (the goal's baseline): on Lantern's index, the \
         query and collectors `search()` builds (`SearchIndex::baseline_same_query`), run by \
         `Searcher::search`, then each hit's stored id: no hit fields, snippets or facet lists. \
         p50 {} / p99 {}.",
        ms(same.p50),
        ms(same.p99),
    );
    println!(
        "- Raw tantivy, minimal query (for scale): `QueryParser` over title and body (Lantern's English analysis, AND, title ×2), \
         top 10 + `Count`, stored id of each hit. No fuzzy, prefix, facets or snippets, one field \
         pair instead of five. For scale, all queries: with every word fuzzy (1 edit) p50 {} / p99 {}; \
         after merging its {} segments into one p50 {} / p99 {} (Lantern ÷ that: p50 {:.2}×, \
         p99 {:.2}×).",
        ms(fuzzy.p50),
        ms(fuzzy.p99),
        r.raw_build.segments,
        ms(one_segment.p50),
        ms(one_segment.p99),
        ratio(lantern.p50, one_segment.p50),
        ratio(lantern.p99, one_segment.p99),
    );
    println!(
        "- SQLite FTS5 (bundled with sqlx, porter unicode61): `MATCH` (each word quoted, phrases kept) \
         `ORDER BY rank` (bm25, title ×2) `LIMIT 10` with `snippet()`, one connection, statement \
         cached; no total, no facets, no typo tolerance. Through sqlx a query costs at least {} \
         (`SELECT 1` p50, a hop to its worker thread).",
        ms(r.sqlx_floor)
    );
    println!(
        "- Lantern is timed on its index reopened after the background merges finished (as after a \
         restart); raw tantivy after `wait_merging_threads`; FTS5 after `optimize`. Samples: {} \
         (all) / {} (not misspelt) per system.",
        lantern.count, lantern_plain.count
    );
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: words separated by white space, most frequent first (they take the top Zipf
// ranks); collocations separated by commas.
// ---------------------------------------------------------------------------------------------

const COMMON_EN: &str = "
    the of and to a in is for that with be on as it or are this by not from at your can should if when
    you before after each all any more use also which their they have has may will must into than other
    these during every always between within how what who where one two three first time care check ask
    keep give make take see need help report record follow ensure avoid remove apply wash clean change
    observe assess explain discuss review prepare provide support monitor document team hospital ward
    clinic community family mother child baby hands water soap hours minutes days week day signs risk
    safe good new important common early immediately correct right left low high normal severe mild
    sudden regular daily local national protocol guideline step steps example case question answer
    practice skill knowledge lesson module course people person work staff health worker workers level
    rate number amount body side area room bed equipment supplies plan goal result results changes
    problem problems reason information education training teach learn know understand remember write
    read call tell talk listen wait stop start continue repeat place put hold move turn lift open close
    fill mg ml 10 20 30 5 100 500 24 48 72
";

/// Clinical nursing words, British and American spellings mixed as in real lessons.
const CLINICAL_EN: &str = "
    patient patients nurse nurses nursing midwife midwives infection hygiene hand glove gloves gown mask
    sterile aseptic technique wound dressing bandage suture incision drainage catheter urinary cannula
    intravenous infusion injection syringe needle vaccine immunisation dose dosage medication medicine
    drug tablet antibiotic analgesic paracetamol ibuprofen morphine insulin oxytocin misoprostol
    magnesium sulfate amoxicillin metformin heparin oxygen saturation pulse temperature fever blood
    pressure hypertension hypotension glucose diabetes hypoglycaemia hyperglycemia sepsis shock
    haemorrhage hemorrhage postpartum antenatal postnatal pregnancy labour delivery caesarean placenta
    uterus cervix contraction contractions partograph eclampsia newborn neonatal breastfeeding colostrum
    umbilical cord resuscitation airway breathing circulation cardiac arrest defibrillation compressions
    ventilation respiratory respiration pneumonia asthma tuberculosis malaria cholera diarrhoea diarrhea
    dehydration rehydration oral solution zinc malnutrition nutrition anaemia anemia haemoglobin iron
    folic acid vitamin hiv antiretroviral viral load adherence counselling consent confidentiality
    documentation handover triage assessment diagnosis symptoms chronic acute pain palliative comfort
    dignity ulcer mobility falls fracture splint burns laceration abscess cellulitis swab culture
    specimen laboratory urine urinalysis stool sputum microscopy rapid test screening mental depression
    anxiety psychosis suicide delirium dementia stroke seizure epilepsy consciousness glasgow coma scale
    kidney renal liver hepatitis jaundice heart failure chest abdominal fluid balance intake output
    electrolyte potassium sodium saline transfusion allergy anaphylaxis adrenaline epinephrine reaction
    adverse incident error safety checklist surgical theatre anaesthesia recovery postoperative
    preoperative sterilisation autoclave disinfection decontamination chlorine alcohol handrub sharps
    waste disposal isolation precautions transmission droplet airborne contact outbreak surveillance
    vaccination cold chain immunity measles polio tetanus pertussis paediatric pediatric infant
    adolescent growth chart weight height oedema edema therapeutic feeding formula nasogastric tube
    elderly frailty injury skin integrity incontinence bladder bowel constipation nausea vomiting cough
    dyspnoea wheeze cyanosis pallor capillary refill perfusion arrhythmia tachycardia bradycardia
    electrocardiogram monitoring observation observations warning score escalation referral transfer
    discharge admission prescription identification stigma hypothermia kangaroo apgar debridement
    granulation exudate dressings vital clinical treatment therapy procedure intervention complication
    complications emergency hospitalised vein artery platelet haematoma thrombosis embolism
    catheterisation stoma tracheostomy suction nebuliser inhaler spacer peak flow spirometry fontanelle
    meconium vernix episiotomy perineal lochia mastitis engorgement
";

/// Frequent multi-word terms, so phrase queries find real phrases.
const COLLOCATIONS_EN: &str = "hand hygiene, blood pressure, vital signs, heart rate, infection prevention, \
    postpartum hemorrhage, cold chain, early warning score, fluid balance, oxygen saturation, mental health, \
    pain assessment, sterile gloves, urinary catheter, skin to skin, blood glucose, patient safety";

const COMMON_FR: &str = "
    le la les de des du et à en un une pour avec dans sur par est sont il elle ne pas avant après chaque
    toujours doit faut peut très plus aussi ainsi lors pendant entre si son sa ses au aux ce cette qui
    que tout tous heures minutes jours fois vérifier noter laver observer expliquer surveiller prévenir
    appeler donner
";

const CLINICAL_FR: &str = "
    patient patiente soins infirmier infirmière sage femme hygiène mains lavage prévention infection
    infections plaie pansement stérile gants masque tension artérielle sang hémorragie accouchement
    grossesse nouveau né allaitement maternel fièvre douleur médicament dose injection perfusion vaccin
    vaccination paludisme tuberculose diarrhée déshydratation nutrition enfant mère bébé surveillance
    signes vitaux respiration oxygène urgence réanimation diabète insuline glycémie santé mentale
    sécurité risque protocole dossier transmission équipe hôpital service évaluation traitement
    antibiotique désinfection solution hydroalcoolique eau savon post partum utérus placenta
    température pouls poids malnutrition consentement chaîne froid cathéter
";

const COLLOCATIONS_FR: &str = "hygiène des mains, prévention des infections, tension artérielle, \
    signes vitaux, hémorragie du post partum, allaitement maternel, chaîne du froid, santé mentale, \
    solution hydroalcoolique";

const COMMON_ES: &str = "
    el la los las de del y en un una para con por que se es son no antes después cada siempre debe
    puede muy más también durante entre si su sus al este esta todo todos horas minutos días veces
    verificar anotar lavar observar explicar vigilar prevenir llamar dar
";

const CLINICAL_ES: &str = "
    paciente cuidados enfermera enfermería partera higiene manos lavado prevención infección
    infecciones herida apósito estéril guantes mascarilla presión arterial sangre hemorragia posparto
    parto embarazo recién nacido lactancia materna fiebre dolor medicamento dosis inyección vacuna
    vacunación paludismo tuberculosis diarrea deshidratación nutrición niño madre bebé vigilancia
    signos vitales respiración oxígeno urgencia reanimación diabetes insulina glucosa salud mental
    seguridad riesgo protocolo registro equipo hospital servicio evaluación tratamiento antibiótico
    desinfección solución agua jabón útero placenta temperatura pulso peso desnutrición
    consentimiento cadena frío catéter
";

const COLLOCATIONS_ES: &str = "lavado de manos, higiene de manos, presión arterial, signos vitales, \
    hemorragia posparto, lactancia materna, cadena de frío, salud mental, prevención de infecciones";
