//! Bulk verification for regulators: a batch of certificate ids and licence numbers answered
//! row by row. Certificates are checked as anyone would check them (signature against the
//! issuers' published keys, dates, the issuer's revocations), 128 signatures at a time; licence
//! numbers are looked up on the regulator's own roster and, where the holder consented, answered
//! with their compliance. Each batch costs a fixed number of queries whatever its size, so a
//! caller streaming 100,000 rows through in batches of [`BATCH`] keeps memory flat.

use super::bulk::{CsvReader, Item, JsonArrayReader, Query};
use super::certificate::{self, KeySet, StatusAnswer, StatusRef, Verdict};
use super::compliance::Compliance;
use super::entity::{certificate as certificate_row, credit_consent, roster_entry};
use super::rules::Status;
use super::service::{Credits, CreditsError, format_credits};
use crate::accounts::entity::{licence, organisation};
use crate::platform::ui::spreadsheet;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Rows answered together: one round of queries and signature batches.
pub const BATCH: usize = 1000;

/// The answer for one row. Absent fields are not part of that row's kind of answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Answer {
    pub row: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licence_number: Option<String>,
    /// Certificates: valid, revoked, expired, not_yet_valid, status_unknown, not_genuine or
    /// not_found. Licences: compliant, on_track, at_risk, non_compliant (with the holder's
    /// consent), no_consent, not_linked (on the roster, no confirmed Lantern account), no_rules
    /// (no CPD rules for the profession) or not_on_roster. A row that could not be read: invalid.
    pub result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achievement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profession: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle_ends_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The CSV form's columns, in order (every field of [`Answer`]).
pub const CSV_COLUMNS: [&str; 17] = [
    "row",
    "certificate_id",
    "licence_number",
    "result",
    "name",
    "achievement",
    "issuer",
    "credits",
    "category",
    "issued_on",
    "expires_on",
    "profession",
    "region",
    "counted",
    "shortfall",
    "cycle_ends_on",
    "problem",
];

impl Answer {
    /// The row as CSV fields, in [`CSV_COLUMNS`] order.
    pub fn csv_record(&self) -> [String; 17] {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            self.row.to_string(),
            text(&self.certificate_id),
            text(&self.licence_number),
            self.result.to_owned(),
            text(&self.name),
            text(&self.achievement),
            text(&self.issuer),
            text(&self.credits),
            text(&self.category),
            text(&self.issued_on),
            text(&self.expires_on),
            text(&self.profession),
            text(&self.region),
            text(&self.counted),
            text(&self.shortfall),
            text(&self.cycle_ends_on),
            text(&self.problem),
        ]
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Compliant => "compliant",
        Status::OnTrack => "on_track",
        Status::AtRisk => "at_risk",
        Status::NonCompliant => "non_compliant",
    }
}

fn verdict_word(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Valid(_) => "valid",
        Verdict::Revoked(_) => "revoked",
        Verdict::Expired(_) => "expired",
        Verdict::NotYetValid(_) => "not_yet_valid",
        Verdict::StatusUnknown(_) => "status_unknown",
        Verdict::NotGenuine(_) => "not_genuine",
    }
}

/// Answers a batch of rows for a regulator: two queries for the certificates, five for the
/// licences, whatever the batch's size.
pub async fn answer_batch(
    credits: &Credits,
    compliance: &Compliance,
    keys: &KeySet,
    regulator_id: i32,
    items: &[Item],
) -> Result<Vec<Answer>, CreditsError> {
    let mut ids = Vec::new();
    let mut numbers = Vec::new();
    for item in items {
        match &item.query {
            Ok(Query::Certificate(id)) => ids.push(id.as_str()),
            Ok(Query::Licence(number)) => numbers.push(number.to_uppercase()),
            Err(_) => {}
        }
    }
    let certificates = credits.verify_public_ids(keys, &ids).await?;
    let licences = compliance.answer_licences(regulator_id, &numbers).await?;
    Ok(items
        .iter()
        .map(|item| match &item.query {
            Ok(Query::Certificate(id)) => {
                let mut answer = certificates
                    .get(id.as_str())
                    .cloned()
                    .unwrap_or_else(|| Answer { result: "not_found", ..Answer::default() });
                answer.row = item.row;
                answer.certificate_id = Some(id.clone());
                answer
            }
            Ok(Query::Licence(number)) => {
                let mut answer = licences
                    .get(&number.to_uppercase())
                    .cloned()
                    .unwrap_or_else(|| Answer { result: "not_on_roster", ..Answer::default() });
                answer.row = item.row;
                answer.licence_number = Some(number.clone());
                answer
            }
            Err(problem) => Answer {
                row: item.row,
                result: "invalid",
                problem: Some(problem.clone()),
                ..Answer::default()
            },
        })
        .collect())
}

impl Credits {
    /// Verifies stored certificates by public id, in one query and batched signature checks;
    /// the issuer's revocations are read from the same rows its status list is made of.
    pub async fn verify_public_ids(
        &self,
        keys: &KeySet,
        ids: &[&str],
    ) -> Result<HashMap<String, Answer>, CreditsError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let db = self.db().read();
        let rows = certificate_row::Entity::find()
            .select_only()
            .columns([
                certificate_row::Column::PublicId,
                certificate_row::Column::OrganisationId,
                certificate_row::Column::StatusIndex,
                certificate_row::Column::Jwt,
                certificate_row::Column::RevokedAt,
            ])
            .filter(certificate_row::Column::PublicId.is_in(ids.iter().copied()))
            .into_tuple::<(String, i32, i32, String, Option<chrono::DateTime<chrono::Utc>>)>()
            .all(db)
            .await?;
        // The issuers by their Open Badges id (the URL a certificate names), with their names.
        let issuers: HashMap<String, (i32, String)> = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(rows.iter().map(|r| r.1).collect::<HashSet<i32>>()))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (format!("{}/issuers/{}", self.base_url(), o.slug), (o.id, o.name)))
            .collect();
        // The status list's bits for these certificates: revoked, or issued and in force.
        let bits: HashMap<(i32, i32), bool> = rows.iter().map(|r| ((r.1, r.2), r.4.is_some())).collect();
        let status = |entry: &StatusRef, _| {
            let issuer = issuers.get(&entry.issuer_id).map(|(id, _)| *id);
            let index = i32::try_from(entry.index).ok();
            match issuer.zip(index).and_then(|key| bits.get(&key)) {
                Some(true) => StatusAnswer::Revoked,
                Some(false) => StatusAnswer::Active,
                None => StatusAnswer::Unknown,
            }
        };
        let jwts: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
        let verdicts = certificate::verify_many(&jwts, keys, &status, self.clock().now());
        Ok(rows
            .iter()
            .zip(verdicts)
            .map(|(row, verdict)| {
                let mut answer = Answer { result: verdict_word(&verdict), ..Answer::default() };
                if let Some(summary) = verdict.summary() {
                    answer.name = Some(summary.recipient_name.clone());
                    answer.achievement = Some(summary.achievement_name.clone());
                    answer.issuer = issuers
                        .get(&summary.issuer_id)
                        .map(|(_, name)| name.clone())
                        .or(summary.issuer_name.clone());
                    answer.credits = Some(format_credits(i64::from(summary.credits.hundredths())));
                    answer.category = Some(summary.category.clone());
                    answer.issued_on = Some(summary.valid_from.date_naive().to_string());
                    answer.expires_on = summary.valid_until.map(|d| d.date_naive().to_string());
                }
                (row.0.clone(), answer)
            })
            .collect())
    }
}

impl Compliance {
    /// A regulator's answers for licence numbers (upper case): its roster row, whether a Lantern
    /// account holds the confirmed licence, whether its holder consented, and if so their
    /// standing. Numbers not on the roster are left out.
    pub async fn answer_licences(
        &self,
        regulator_id: i32,
        numbers: &[String],
    ) -> Result<HashMap<String, Answer>, CreditsError> {
        if numbers.is_empty() {
            return Ok(HashMap::new());
        }
        let db = self.db().read();
        let roster = roster_entry::Entity::find()
            .filter(roster_entry::Column::RegulatorId.eq(regulator_id))
            .filter(roster_entry::Column::Number.is_in(numbers.iter().cloned()))
            .all(db)
            .await?;
        let linked = licence::Entity::find()
            .filter(licence::Column::RegulatorId.eq(regulator_id))
            .filter(licence::Column::Status.eq("verified"))
            .filter(licence::Column::Number.is_in(numbers.iter().cloned()))
            .all(db)
            .await?;
        let consenting: HashSet<i32> = credit_consent::Entity::find()
            .filter(credit_consent::Column::RegulatorId.eq(regulator_id))
            .filter(credit_consent::Column::AccountId.is_in(linked.iter().map(|l| l.account_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.account_id)
            .collect();
        let holders: HashMap<&str, i32> = linked.iter().map(|l| (l.number.as_str(), l.account_id)).collect();
        let mut answers: HashMap<String, Answer> = roster
            .iter()
            .map(|row| {
                let result = match holders.get(row.number.as_str()) {
                    None => "not_linked",
                    Some(account) if !consenting.contains(account) => "no_consent",
                    Some(_) => "no_rules",
                };
                let answer = Answer {
                    result,
                    name: Some(row.name.clone()),
                    profession: Some(row.profession.clone()),
                    region: Some(row.region.clone()),
                    ..Answer::default()
                };
                (row.number.clone(), answer)
            })
            .collect();
        let wanted: Vec<String> = roster.iter().map(|r| r.number.clone()).collect();
        self.evaluate_licences(regulator_id, true, Some(&wanted), |licence, _, evaluation| {
            if let Some(answer) = answers.get_mut(&licence.number) {
                answer.result = status_word(evaluation.status);
                answer.counted = Some(format_credits(evaluation.counted));
                answer.shortfall = Some(format_credits(evaluation.shortfall));
                answer.cycle_ends_on = Some(evaluation.last_day().to_string());
            }
        })
        .await?;
        Ok(answers)
    }
}

// ----- Streaming ------------------------------------------------------------------------------

/// How rows come in and answers go out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A JSON array of `{"certificate_id": …}` / `{"licence_number": …}`; answers as
    /// `{"results": [...], "rows": n, "error": null}`.
    Json,
    /// A CSV with a `certificate_id` and/or `licence_number` column; answers as CSV.
    Csv,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
}

enum Reader {
    Json(JsonArrayReader),
    Csv(CsvReader),
}

/// Bytes at most read from one request: 100,000 rows of at most 1 KiB, with room for spacing.
pub const MAX_BODY_BYTES: usize = 128 * 1024 * 1024;

/// Rows read from a body stream, a batch at a time.
pub struct BulkInput<S> {
    input: S,
    reader: Reader,
    pending: std::collections::VecDeque<Item>,
    read: usize,
    ended: bool,
}

impl<S, E> BulkInput<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    pub fn new(input: S, format: Format) -> Self {
        let reader = match format {
            Format::Json => Reader::Json(JsonArrayReader::new()),
            Format::Csv => Reader::Csv(CsvReader::new()),
        };
        Self { input, reader, pending: std::collections::VecDeque::new(), read: 0, ended: false }
    }

    /// The next rows, at most [`BATCH`]; None when the input is used up. An error is the whole
    /// input's problem (its structure, its size, or the connection), said with where it is.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Item>>, String> {
        let mut out = Vec::new();
        while self.pending.len() < BATCH && !self.ended {
            match self.input.next().await {
                Some(Ok(chunk)) => {
                    self.read += chunk.len();
                    if self.read > MAX_BODY_BYTES {
                        return Err(format!("the body is larger than {} MB", MAX_BODY_BYTES / (1024 * 1024)));
                    }
                    match &mut self.reader {
                        Reader::Json(r) => r.push(&chunk, &mut out),
                        Reader::Csv(r) => r.push(&chunk, &mut out),
                    }
                    .map_err(|e| e.to_string())?;
                }
                Some(Err(error)) => return Err(format!("the body could not be read: {error}")),
                None => {
                    self.ended = true;
                    match &mut self.reader {
                        Reader::Json(r) => r.finish(&mut out),
                        Reader::Csv(r) => r.finish(&mut out),
                    }
                    .map_err(|e| e.to_string())?;
                }
            }
            self.pending.extend(out.drain(..));
        }
        if self.pending.is_empty() {
            return Ok(None);
        }
        let take = self.pending.len().min(BATCH);
        Ok(Some(self.pending.drain(..take).collect()))
    }
}

/// What answering needs, shared by every batch of one request.
#[derive(Clone)]
pub struct Verifier {
    pub credits: Credits,
    pub compliance: Compliance,
    pub keys: std::sync::Arc<KeySet>,
    pub regulator_id: i32,
}

fn encode(format: Format, answers: &[Answer], first: bool) -> Bytes {
    let mut out = Vec::with_capacity(answers.len() * 160);
    match format {
        Format::Json => {
            for (i, answer) in answers.iter().enumerate() {
                if !(first && i == 0) {
                    out.push(b',');
                }
                // An Answer is plain strings and numbers: it always serialises.
                let _ = serde_json::to_writer(&mut out, answer);
            }
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            for answer in answers {
                let _ = spreadsheet::write_row(&mut writer, answer.csv_record());
            }
            let _ = writer.flush();
        }
    }
    Bytes::from(out)
}

fn opening(format: Format) -> Bytes {
    match format {
        Format::Json => Bytes::from_static(b"{\"results\":["),
        Format::Csv => Bytes::from(format!("{}\r\n", CSV_COLUMNS.join(","))),
    }
}

fn closing(format: Format, rows: usize, error: Option<&str>) -> Bytes {
    match format {
        Format::Json => Bytes::from(format!("],\"rows\":{rows},\"error\":{}}}", serde_json::json!(error))),
        Format::Csv => match error {
            None => Bytes::new(),
            Some(error) => {
                let stopped =
                    Answer { result: "stopped", problem: Some(error.to_owned()), ..Answer::default() };
                let mut record = stopped.csv_record();
                record[0] = String::new();
                let mut out = Vec::new();
                let mut writer = csv::Writer::from_writer(&mut out);
                let _ = spreadsheet::write_row(&mut writer, record);
                let _ = writer.flush();
                drop(writer);
                Bytes::from(out)
            }
        },
    }
}

enum Step {
    Open(Vec<Item>),
    Next,
    Done,
}

/// The answers as a byte stream: the first batch (already read, so a malformed start was
/// refused before anything was sent), then each following batch as it is read. A problem
/// after the start ends the answer with it ("error" in JSON, a last "stopped" row in CSV).
pub fn answer_stream<S, E>(
    input: BulkInput<S>,
    first: Vec<Item>,
    verifier: Verifier,
    format: Format,
) -> impl Stream<Item = Result<Bytes, std::io::Error>>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + 'static,
    E: std::fmt::Display + 'static,
{
    let state = (input, Step::Open(first), 0_usize, verifier);
    futures_util::stream::unfold(state, move |(mut input, step, rows, verifier)| async move {
        let (batch, opening_bytes) = match step {
            Step::Done => return None,
            Step::Open(first) => (Ok(Some(first)), Some(opening(format))),
            Step::Next => (input.next_batch().await, None),
        };
        let answered = match batch {
            Ok(Some(items)) => answer_batch(
                &verifier.credits,
                &verifier.compliance,
                &verifier.keys,
                verifier.regulator_id,
                &items,
            )
            .await
            .map(Some)
            .map_err(|error| {
                tracing::error!(%error, "bulk verification stopped");
                format!("the server failed after {rows} rows; the rest were not answered")
            }),
            Ok(None) => Ok(None),
            Err(problem) => Err(problem),
        };
        let mut out = opening_bytes.map(Vec::from).unwrap_or_default();
        let next = match answered {
            Ok(Some(answers)) => {
                out.extend_from_slice(&encode(format, &answers, rows == 0));
                (input, Step::Next, rows + answers.len(), verifier)
            }
            Ok(None) => {
                out.extend_from_slice(&closing(format, rows, None));
                (input, Step::Done, rows, verifier)
            }
            Err(problem) => {
                out.extend_from_slice(&closing(format, rows, Some(&problem)));
                (input, Step::Done, rows, verifier)
            }
        };
        Some((Ok(Bytes::from(out)), next))
    })
}
