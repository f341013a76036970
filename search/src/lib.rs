//! Lantern's full-text index: tantivy behind a narrow API. Knows nothing of the database or of
//! HTTP; the backend feeds it documents and asks it questions. No tantivy type crosses this API.
//!
//! - Each document is analysed in its own language ([`analysis`]): its title and body go to the
//!   fields of that language, so one index holds every language side by side.
//! - A query is analysed once per language and matched against that language's fields: typos
//!   are forgiven on words of five letters or more (one edit; two from eight letters), the last
//!   word also matches as a prefix (search as you type), and `"quoted words"` are phrases. The
//!   learner's language ranks first; the others are still found.
//! - Filters (kind, profession, topic, language) narrow the results; facet counts say how many
//!   matches each value has; hits carry a snippet with the matched words marked.
//! - The index remembers, in its own commit, how far in the backend's change log it got.

mod analysis;
mod facets;

pub use analysis::Analysis;
use facets::FacetCounts;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Score, Searcher, TantivyDocument, Term,
};

/// Why the index could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index: a writer panicked earlier")]
    Poisoned,
}

/// A document to index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// Unique across kinds, e.g. `lesson:hand-hygiene/the-five-moments`.
    pub id: String,
    /// Documents deleted together, e.g. a course and its lessons: `course:hand-hygiene`.
    pub group: String,
    /// `course`, `lesson`, `competency` or `mentor`.
    pub kind: String,
    /// ISO 639-1 code of the text.
    pub language: String,
    pub title: String,
    pub body: String,
    /// Where the result leads.
    pub url: String,
    pub professions: Vec<String>,
    pub topics: Vec<String>,
    /// Competency codes the document teaches or offers, e.g. `IPC.1`.
    pub competencies: Vec<String>,
    pub organisation: String,
    pub credits_hundredths: i64,
}

/// What to look for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub text: String,
    /// The searcher's language: its documents rank first.
    pub language: String,
    pub filters: Filters,
    pub offset: usize,
    pub limit: usize,
}

/// Values the results must have (empty: any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub kind: String,
    pub profession: String,
    pub topic: String,
    pub language: String,
    /// A competency code: what teaches or offers it.
    pub competency: String,
    /// Kinds left out whatever else is asked (mentors, for visitors who are not signed in).
    pub hidden_kinds: Vec<String>,
}

/// A page of results.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// Matching documents in all.
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// Matches per value, for each filterable field, most first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub kind: Vec<(String, u64)>,
    pub profession: Vec<(String, u64)>,
    pub topic: Vec<(String, u64)>,
    pub language: Vec<(String, u64)>,
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: String,
    pub kind: String,
    pub language: String,
    pub title: String,
    pub url: String,
    pub organisation: String,
    pub credits_hundredths: i64,
    /// A passage of the body, in pieces; `true` marks matched words.
    pub snippet: Vec<(String, bool)>,
    pub score: f32,
}

/// Longest query text read; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most words of a query used.
const MAX_WORDS: usize = 16;
/// Results per page at most.
pub const MAX_LIMIT: usize = 100;
/// Indexing memory per writer thread. It is used only while documents wait for a commit, so it
/// costs memory during a rebuild alone (the term table, at most 4 MB a thread, is all a small
/// update takes). At 15 MB a thread a rebuild wrote many small segments and spent most of its
/// time merging them: 100,000 lessons took 2.6× longer than at 60 MB.
const WRITER_MEMORY_PER_THREAD: usize = 60_000_000;
/// Most writer threads: more cores than this only add memory to a rebuild.
const MAX_WRITER_THREADS: usize = 4;
const FACET_FIELDS: &[&str] = &["kind", "professions", "topics", "language"];

struct LanguageFields {
    analysis: Analysis,
    title: Field,
    body: Field,
}

struct Fields {
    id: Field,
    group: Field,
    kind: Field,
    language: Field,
    professions: Field,
    topics: Field,
    competencies: Field,
    organisation: Field,
    title: Field,
    url: Field,
    credits: Field,
    /// Title and body unstemmed, in every language: where typos and prefixes are matched.
    words: Field,
    /// The title alone, unstemmed: a typo in a title word ranks above one in the body.
    title_words: Field,
    by_language: Vec<LanguageFields>,
}

/// What a search runs: the parsed text (for snippets), the searcher, the query and the page.
struct Plan {
    parsed: Parsed,
    searcher: Searcher,
    query: BooleanQuery,
    page: TopDocs,
}

/// A search's collectors: the page of top documents by score, the total, the facet counts.
fn collectors(page: TopDocs) -> impl Collector<Fruit = (Vec<(Score, DocAddress)>, usize, facets::Counts)> {
    (page.order_by_score(), Count, FacetCounts { fields: FACET_FIELDS })
}

/// The index writer's threads and its memory budget in all (threads × 60 MB): a rebuild's peak
/// memory. Public for the benchmark, which gives raw tantivy the same.
#[doc(hidden)]
pub fn writer_budget() -> (usize, usize) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_WRITER_THREADS);
    (threads, threads * WRITER_MEMORY_PER_THREAD)
}

/// An open index with its one writer. Searches run concurrently with each other and with
/// writes; writes take turns.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

impl SearchIndex {
    /// Opens the index in `dir`. A missing, unreadable or older-schema index is replaced by an
    /// empty one, whose [`position`](Self::position) is `None`: the caller rebuilds it.
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let schema = schema();
        let index = match Index::open_in_dir(dir) {
            Ok(index) if index.schema() == schema => index,
            _ => {
                for entry in std::fs::read_dir(dir)? {
                    let path = entry?.path();
                    if path.is_file() {
                        std::fs::remove_file(path)?;
                    }
                }
                Index::create_in_dir(dir, schema)?
            }
        };
        Self::from_index(index)
    }

    /// An index held in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Self, SearchError> {
        Self::from_index(Index::create_in_ram(schema()))
    }

    fn from_index(index: Index) -> Result<Self, SearchError> {
        analysis::register(&index);
        let schema = index.schema();
        let field = |name: &str| schema.get_field(name);
        let mut by_language = Vec::new();
        for analysis in Analysis::ALL {
            by_language.push(LanguageFields {
                analysis,
                title: field(&format!("title_{}", analysis.suffix()))?,
                body: field(&format!("body_{}", analysis.suffix()))?,
            });
        }
        let fields = Fields {
            id: field("id")?,
            group: field("group")?,
            kind: field("kind")?,
            language: field("language")?,
            professions: field("professions")?,
            topics: field("topics")?,
            competencies: field("competencies")?,
            organisation: field("organisation")?,
            title: field("title")?,
            url: field("url")?,
            credits: field("credits")?,
            words: field("words")?,
            title_words: field("title_words")?,
            by_language,
        };
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let (threads, memory) = writer_budget();
        let writer = Mutex::new(index.writer_with_num_threads(threads, memory)?);
        Ok(Self { index, reader, writer, fields })
    }

    /// How far in the caller's change log the last commit got; `None` for a new index.
    pub fn position(&self) -> Option<u64> {
        self.index.load_metas().ok()?.payload?.parse().ok()
    }

    /// Replaces every document and commits at `position`; returns how many were indexed.
    pub fn replace_all(
        &self,
        documents: impl IntoIterator<Item = Document>,
        position: u64,
    ) -> Result<usize, SearchError> {
        self.writer()?.delete_all_documents()?;
        let mut count = 0;
        for document in documents {
            self.add(document)?;
            count += 1;
        }
        self.commit(position)?;
        Ok(count)
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::Poisoned)
    }

    /// Adds or replaces one document (visible after [`commit`](Self::commit)).
    pub fn upsert(&self, document: Document) -> Result<(), SearchError> {
        self.writer()?.delete_term(Term::from_field_text(self.fields.id, &document.id));
        self.add(document)
    }

    /// Removes every document of a group (visible after [`commit`](Self::commit)).
    pub fn delete_group(&self, group: &str) -> Result<(), SearchError> {
        self.writer()?.delete_term(Term::from_field_text(self.fields.group, group));
        Ok(())
    }

    /// Adds a document without removing one of the same id (a rebuild, a benchmark).
    pub fn add(&self, document: Document) -> Result<(), SearchError> {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &document.id);
        doc.add_text(f.group, &document.group);
        doc.add_text(f.kind, &document.kind);
        doc.add_text(f.language, &document.language);
        doc.add_text(f.organisation, &document.organisation);
        doc.add_text(f.title, &document.title);
        doc.add_text(f.url, &document.url);
        doc.add_i64(f.credits, document.credits_hundredths);
        for profession in &document.professions {
            doc.add_text(f.professions, profession);
        }
        for topic in &document.topics {
            doc.add_text(f.topics, topic);
        }
        for code in &document.competencies {
            doc.add_text(f.competencies, code);
        }
        doc.add_text(f.title_words, &document.title);
        doc.add_text(f.words, &document.title);
        doc.add_text(f.words, &document.body);
        let analysis = Analysis::for_language(&document.language);
        if let Some(own) = f.by_language.iter().find(|l| l.analysis == analysis) {
            doc.add_text(own.title, &document.title);
            doc.add_text(own.body, &document.body);
        }
        self.writer()?.add_document(doc)?;
        Ok(())
    }

    /// Makes every change so far durable and visible, remembering `position`.
    pub fn commit(&self, position: u64) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&position.to_string());
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// How many documents are searchable.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A page of results with facet counts. An empty query with no filter finds nothing; an
    /// empty query with a filter lists what the filter allows.
    pub fn search(&self, request: &Request) -> Result<Results, SearchError> {
        let Some(Plan { parsed, searcher, query, page }) = self.plan(request) else {
            return Ok(Results::default());
        };
        let (top, total, counts) = searcher.search(&query, &collectors(page))?;
        let mut snippets: BTreeMap<&'static str, SnippetGenerator> = BTreeMap::new();
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_owned();
            let language = text(self.fields.language);
            let analysis = Analysis::for_language(&language);
            let mut snippet = Vec::new();
            if let Some(own) = self.fields.by_language.iter().find(|l| l.analysis == analysis) {
                let generator = match snippets.entry(analysis.suffix()) {
                    std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
                    std::collections::btree_map::Entry::Vacant(entry) => {
                        let mut generator = SnippetGenerator::create(&searcher, &query, own.body)?;
                        generator.set_max_num_chars(180);
                        entry.insert(generator)
                    }
                };
                let body = doc.get_first(own.body).and_then(|v| v.as_str()).unwrap_or("");
                let found = generator.snippet(window(body, &parsed));
                let fragment = found.fragment();
                let mut at = 0;
                for range in found.highlighted() {
                    if range.start > at {
                        snippet.push((fragment[at..range.start].to_owned(), false));
                    }
                    snippet.push((fragment[range.clone()].to_owned(), true));
                    at = range.end;
                }
                if at < fragment.len() {
                    snippet.push((fragment[at..].to_owned(), false));
                }
            }
            hits.push(Hit {
                id: text(self.fields.id),
                kind: text(self.fields.kind),
                title: text(self.fields.title),
                url: text(self.fields.url),
                organisation: text(self.fields.organisation),
                credits_hundredths: doc.get_first(self.fields.credits).and_then(|v| v.as_i64()).unwrap_or(0),
                language,
                snippet,
                score,
            });
        }
        let ranked = |counts: &BTreeMap<String, u64>| {
            let mut values: Vec<(String, u64)> = counts.iter().map(|(k, v)| (k.clone(), *v)).collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            values
        };
        let facets = Facets {
            kind: ranked(&counts[0]),
            profession: ranked(&counts[1]),
            topic: ranked(&counts[2]),
            language: ranked(&counts[3]),
        };
        Ok(Results { total, hits, facets })
    }

    /// The query `search` runs, with its searcher and collectors; `None` when it finds nothing.
    fn plan(&self, request: &Request) -> Option<Plan> {
        let parsed = parse(&request.text);
        let filters = self.filters(&request.filters);
        let searcher = self.reader.searcher();
        let main: Box<dyn Query> = if parsed.is_empty() {
            if filters.is_empty() {
                return None;
            }
            Box::new(AllQuery)
        } else {
            self.text_query(&parsed, &searcher)?
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
        for filter in filters {
            clauses.push((Occur::Must, Box::new(BoostQuery::new(filter, 0.0))));
        }
        for kind in &request.filters.hidden_kinds {
            let term = Term::from_field_text(self.fields.kind, kind);
            clauses.push((Occur::MustNot, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if !request.language.is_empty() {
            // Far above any text score: the searcher's language first, the rest after.
            let own = TermQuery::new(
                Term::from_field_text(self.fields.language, &request.language),
                IndexRecordOption::Basic,
            );
            clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(own), 1_000.0))));
        }
        let query = BooleanQuery::new(clauses);
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let page = TopDocs::with_limit(limit).and_offset(request.offset.min(100_000));
        Some(Plan { parsed, searcher, query, page })
    }

    /// The benchmark's baseline, "raw tantivy with the same query and collector": what
    /// [`search`](Self::search) runs on tantivy (the same query, top documents, count and facet
    /// counts), then each hit's stored id, and nothing else: no hit fields, snippets or facet
    /// lists. Returns the total and the ids. Not for use outside `benches/`.
    #[doc(hidden)]
    pub fn baseline_same_query(&self, request: &Request) -> Result<(usize, Vec<String>), SearchError> {
        let Some(Plan { searcher, query, page, .. }) = self.plan(request) else {
            return Ok((0, Vec::new()));
        };
        let (top, total, _) = searcher.search(&query, &collectors(page))?;
        let mut ids = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            ids.push(doc.get_first(self.fields.id).and_then(|v| v.as_str()).unwrap_or("").to_owned());
        }
        Ok((total, ids))
    }

    fn filters(&self, filters: &Filters) -> Vec<Box<dyn Query>> {
        [
            (self.fields.kind, &filters.kind),
            (self.fields.professions, &filters.profession),
            (self.fields.topics, &filters.topic),
            (self.fields.language, &filters.language),
            (self.fields.competencies, &filters.competency),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(field, value)| {
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
                as Box<dyn Query>
        })
        .collect()
    }

    /// The text part of a query. Every word must match a document: its stem in the document's
    /// language (title worth double), or the word itself in any field, exactly, with typos
    /// forgiven on words of 5+ letters (2 edits from 8), or as a prefix when it is the word being
    /// typed. Typos are matched on unstemmed words: a misspelling changes the stem. A stop word
    /// of any language only adds to the score. A phrase must appear, in order, in the
    /// document's language.
    fn text_query(&self, parsed: &Parsed, searcher: &Searcher) -> Option<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let last = parsed.words.len().saturating_sub(1);
        for (index, word) in parsed.words.iter().enumerate() {
            let plain = analysis::terms(Analysis::Plain, word);
            let Some(plain) = plain.first() else { continue };
            let mut stop_word = false;
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for fields in &self.fields.by_language {
                match analysis::terms(fields.analysis, word).first() {
                    Some(term) => {
                        for (field, boost) in [(fields.title, 2.0), (fields.body, 1.0)] {
                            let term = TermQuery::new(
                                Term::from_field_text(field, term),
                                IndexRecordOption::WithFreqs,
                            );
                            alternatives
                                .push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), boost))));
                        }
                    }
                    None => stop_word = true,
                }
            }
            // A word the index knows is spelt as someone wrote it: typos are looked for only for
            // the others, which also spares the union of every near spelling's postings.
            let known = searcher.doc_freq(&Term::from_field_text(self.fields.words, plain)).unwrap_or(0) > 0;
            let distance = match plain.chars().count() {
                _ if known => 0,
                0..=4 => 0,
                5..=7 => 1,
                _ => 2,
            };
            for (field, boost) in [(self.fields.title_words, 2.0), (self.fields.words, 1.0)] {
                let exact = Term::from_field_text(field, plain);
                // A Levenshtein automaton costs more to build than to run: typos are looked for
                // once, in titles and bodies together.
                if distance > 0 && field == self.fields.words {
                    let fuzzy = FuzzyTermQuery::new(exact.clone(), distance, true);
                    alternatives
                        .push((Occur::Should, Box::new(BoostQuery::new(Box::new(fuzzy), 0.3 * boost))));
                }
                if parsed.open_ended && index == last {
                    let started = FuzzyTermQuery::new_prefix(exact, 0, true);
                    alternatives
                        .push((Occur::Should, Box::new(BoostQuery::new(Box::new(started), 0.5 * boost))));
                }
            }
            let occur = if stop_word { Occur::Should } else { Occur::Must };
            clauses.push((occur, Box::new(BooleanQuery::new(alternatives))));
        }
        for phrase in &parsed.phrases {
            let mut in_any_language: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for fields in &self.fields.by_language {
                let terms = analysis::positioned_terms(fields.analysis, phrase);
                let Some(first) = terms.first().map(|(at, _)| *at) else { continue };
                for (field, boost) in [(fields.title, 2.0), (fields.body, 1.0)] {
                    let query: Box<dyn Query> = if terms.len() == 1 {
                        let term = Term::from_field_text(field, &terms[0].1);
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                    } else {
                        let terms = terms
                            .iter()
                            .map(|(at, t)| (at - first, Term::from_field_text(field, t)))
                            .collect();
                        Box::new(PhraseQuery::new_with_offset(terms))
                    };
                    in_any_language.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
                }
            }
            if !in_any_language.is_empty() {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(in_any_language))));
            }
        }
        let any_required = clauses.iter().any(|(occur, _)| *occur == Occur::Must);
        any_required.then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }
}

/// Where a snippet is looked for: 300 bytes from a little before the first place a query word
/// (or its first five letters, near enough to its stem) appears, else the start: room for the
/// best 180-character fragment. The snippet generator analyses (stems) all the text it is given,
/// which was most of what a search cost beyond tantivy's own work (the benchmark's "same query"
/// baseline): on 20,000 lessons a window of 1,000 bytes made a search 1.9× that baseline at p50,
/// this one 1.4×.
fn window<'a>(body: &'a str, parsed: &Parsed) -> &'a str {
    const BEFORE: usize = 60;
    const SIZE: usize = 300;
    let lower = body.to_lowercase();
    let first = parsed
        .words
        .iter()
        .chain(&parsed.phrases)
        .filter_map(|word| {
            let word = word.to_lowercase();
            let stem: String = word.chars().take(5).collect();
            // Lower-casing can change byte lengths; only use a position that maps back.
            lower.find(&stem).filter(|_| lower.len() == body.len())
        })
        .min()
        .unwrap_or(0);
    let mut start = first.saturating_sub(BEFORE);
    while !body.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + SIZE).min(body.len());
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    // Whole words at both ends ("clean", not "lean"), unless a word is too long to find its
    // edge nearby (a script written without spaces).
    const NEARBY: usize = 40;
    let space_len = |at: usize| body[at..].chars().next().map_or(1, char::len_utf8);
    if start > 0
        && let Some(at) = body[..start].rfind(char::is_whitespace).filter(|at| start - at <= NEARBY)
    {
        start = at + space_len(at);
    }
    if end < body.len()
        && let Some(at) =
            body[start..end].rfind(char::is_whitespace).filter(|at| end - (start + at) <= NEARBY)
    {
        end = start + at;
    }
    &body[start..end]
}

/// A query as typed: phrases in double quotes, the other words, and whether the last word is
/// still being typed (no space or quote after it). Query syntax has no meaning here: `AND`,
/// `(`, `:` and the like are words or nothing.
#[derive(Debug, Default, PartialEq, Eq)]
struct Parsed {
    words: Vec<String>,
    phrases: Vec<String>,
    open_ended: bool,
}

impl Parsed {
    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }
}

fn parse(text: &str) -> Parsed {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut parsed = Parsed::default();
    for (index, part) in text.split('"').enumerate() {
        let words = part.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
        if index % 2 == 1 && part.contains(|c: char| c.is_alphanumeric()) && text.matches('"').count() > index
        {
            parsed.phrases.push(words.collect::<Vec<_>>().join(" "));
        } else {
            parsed.words.extend(words.map(str::to_owned));
        }
    }
    parsed.words.truncate(MAX_WORDS);
    parsed.phrases.truncate(4);
    parsed.open_ended = !parsed.words.is_empty() && text.ends_with(|c: char| c.is_alphanumeric());
    parsed
}

fn schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED);
    builder.add_text_field("group", STRING);
    for name in ["kind", "language", "professions", "topics", "competencies", "organisation"] {
        builder.add_text_field(name, STRING | STORED | FAST);
    }
    builder.add_text_field("title", STORED);
    builder.add_text_field("url", STORED);
    builder.add_i64_field("credits", INDEXED | STORED | FAST);
    let words = TextFieldIndexing::default()
        .set_tokenizer(&Analysis::Plain.tokenizer_name())
        // Only fuzzy and prefix queries (automata, a constant score) and `doc_freq` read these:
        // frequencies would be written for nothing.
        .set_index_option(IndexRecordOption::Basic);
    builder.add_text_field("words", TextOptions::default().set_indexing_options(words.clone()));
    builder.add_text_field("title_words", TextOptions::default().set_indexing_options(words));
    for analysis in Analysis::ALL {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(&analysis.tokenizer_name())
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = TextOptions::default().set_indexing_options(indexing);
        builder.add_text_field(&format!("title_{}", analysis.suffix()), text.clone());
        builder.add_text_field(&format!("body_{}", analysis.suffix()), text.set_stored());
    }
    builder.build()
}

#[cfg(test)]
mod tests;
