//! Lantern's full-text index: tantivy behind a narrow API. Knows nothing of the database or of
//! HTTP; the backend feeds it documents and asks it questions. No tantivy type crosses this API.

use std::path::Path;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, STORED, STRING, Schema, TEXT, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

/// Why the index could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("search query: {0}")]
    Query(#[from] tantivy::query::QueryParserError),
}

/// A document to index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Unique across kinds, e.g. `course:12`.
    pub id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
}

/// A result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub score: f32,
}

struct Fields {
    id: Field,
    kind: Field,
    title: Field,
    body: Field,
}

/// An open index with its one writer.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: IndexWriter,
    fields: Fields,
}

const WRITER_MEMORY: usize = 50_000_000;

impl SearchIndex {
    /// Opens the index in `dir`, creating it (or recreating it when its schema is not this one).
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let schema = schema();
        let index = match Index::open_in_dir(dir) {
            Ok(index) if index.schema() == schema => index,
            _ => {
                // A schema change rebuilds: the database is the source of truth.
                for entry in std::fs::read_dir(dir)? {
                    let path = entry?.path();
                    if path.is_file() {
                        std::fs::remove_file(path)?;
                    }
                }
                Index::create_in_dir(dir, schema.clone())?
            }
        };
        Self::from_index(index)
    }

    /// An index held in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Self, SearchError> {
        Self::from_index(Index::create_in_ram(schema()))
    }

    fn from_index(index: Index) -> Result<Self, SearchError> {
        let schema = index.schema();
        let field = |name: &str| schema.get_field(name);
        let fields =
            Fields { id: field("id")?, kind: field("kind")?, title: field("title")?, body: field("body")? };
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let writer = index.writer(WRITER_MEMORY)?;
        Ok(Self { index, reader, writer, fields })
    }

    /// Replaces every document with `documents` and commits; returns how many were indexed.
    pub fn replace_all(&mut self, documents: Vec<Document>) -> Result<usize, SearchError> {
        self.writer.delete_all_documents()?;
        let count = documents.len();
        for document in documents {
            self.add(document)?;
        }
        self.commit()?;
        Ok(count)
    }

    /// Adds or replaces one document (visible after [`SearchIndex::commit`]).
    pub fn upsert(&mut self, document: Document) -> Result<(), SearchError> {
        self.writer.delete_term(Term::from_field_text(self.fields.id, &document.id));
        self.add(document)
    }

    fn add(&mut self, document: Document) -> Result<(), SearchError> {
        let f = &self.fields;
        self.writer.add_document(doc!(
            f.id => document.id,
            f.kind => document.kind,
            f.title => document.title,
            f.body => document.body,
        ))?;
        Ok(())
    }

    /// Makes every change so far durable and visible.
    pub fn commit(&mut self) -> Result<(), SearchError> {
        self.writer.commit()?;
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

    /// The best `limit` documents for a plain query over titles and bodies.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let searcher = self.reader.searcher();
        let mut parser = QueryParser::for_index(&self.index, vec![self.fields.title, self.fields.body]);
        parser.set_field_boost(self.fields.title, 2.0);
        let (query, _) = parser.parse_query_lenient(query);
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_owned();
            hits.push(Hit { id: text(self.fields.id), title: text(self.fields.title), score });
        }
        Ok(hits)
    }
}

fn schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED);
    builder.add_text_field("kind", STRING | STORED);
    builder.add_text_field("title", TEXT | STORED);
    builder.add_text_field("body", TEXT);
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(id: &str, title: &str, body: &str) -> Document {
        Document { id: id.into(), kind: "lesson".into(), title: title.into(), body: body.into() }
    }

    #[test]
    fn documents_are_found_replaced_and_rebuilt() {
        let mut index = SearchIndex::in_memory().expect("index");
        index.upsert(document("lesson:1", "Hand hygiene", "the five moments")).expect("add");
        index.upsert(document("lesson:2", "Newborn care", "drying and skin to skin")).expect("add");
        index.commit().expect("commit");
        assert_eq!(index.search("hygiene", 10).expect("search")[0].id, "lesson:1");
        index.upsert(document("lesson:1", "Hand hygiene, revised", "moments")).expect("replace");
        index.commit().expect("commit");
        assert_eq!(index.len(), 2);
        assert_eq!(index.replace_all(vec![]).expect("rebuild"), 0);
        assert!(index.is_empty());
    }

    #[test]
    fn a_reopened_index_keeps_its_documents() {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let mut index = SearchIndex::open_or_create(dir.path()).expect("create");
            index.replace_all(vec![document("lesson:1", "Safe medication", "the rights")]).expect("rebuild");
        }
        let index = SearchIndex::open_or_create(dir.path()).expect("reopen");
        assert_eq!(index.len(), 1);
        assert_eq!(index.search("medication", 5).expect("search").len(), 1);
    }
}
