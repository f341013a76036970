//! Facet counts over every matching document, read from the fast (columnar) string fields: per
//! segment the collector counts term ordinals, and only the merge turns them into words.

use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per value of some multi-valued string fields.
pub struct FacetCounts {
    pub fields: &'static [&'static str],
}

pub struct SegmentCounts {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
}

/// For each field, value → number of matching documents.
pub type Counts = Vec<BTreeMap<String, u64>>;

impl Collector for FacetCounts {
    type Fruit = Counts;
    type Child = SegmentCounts;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentCounts> {
        let mut columns = Vec::new();
        let mut counts = Vec::new();
        for field in self.fields {
            let column = reader.fast_fields().str(field)?;
            counts.push(vec![0; column.as_ref().map_or(0, |c| c.num_terms())]);
            columns.push(column);
        }
        Ok(SegmentCounts { columns, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged: Counts = vec![BTreeMap::new(); self.fields.len()];
        for segment in segments {
            for (into, from) in merged.iter_mut().zip(segment) {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in self.columns.iter().zip(&mut self.counts) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(count) = counts.get_mut(ord as usize) {
                        *count += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut out = Vec::new();
        for (column, counts) in self.columns.iter().zip(self.counts) {
            let mut values = BTreeMap::new();
            if let Some(column) = column {
                let mut text = String::new();
                for (ord, count) in counts.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                    if column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                        values.insert(text.clone(), count);
                    }
                }
            }
            out.push(values);
        }
        out
    }
}
