//! Text analysis per document language: Snowball stemming and stop words for the languages that
//! have them here (English, French, Spanish, Portuguese), lower-casing and accent folding for all,
//! so "prevention" finds "prévention" and a Swahili text is still searchable word by word.

use std::sync::OnceLock;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter,
    TextAnalyzer,
};

/// An analysis a document language maps to; each has its own title and body fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Analysis {
    English,
    French,
    Spanish,
    Portuguese,
    /// Any other language: words lower-cased and accent-folded, no stemming.
    Plain,
}

impl Analysis {
    pub const ALL: [Analysis; 5] =
        [Analysis::English, Analysis::French, Analysis::Spanish, Analysis::Portuguese, Analysis::Plain];

    /// The analysis for an ISO 639-1 code (`sw`, `wo` and the rest are plain).
    pub fn for_language(code: &str) -> Self {
        match code {
            "en" => Self::English,
            "fr" => Self::French,
            "es" => Self::Spanish,
            "pt" => Self::Portuguese,
            _ => Self::Plain,
        }
    }

    /// Suffix of its field names and tokenizer name.
    pub fn suffix(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::French => "fr",
            Self::Spanish => "es",
            Self::Portuguese => "pt",
            Self::Plain => "plain",
        }
    }

    pub fn tokenizer_name(self) -> String {
        format!("lantern_{}", self.suffix())
    }

    fn snowball(self) -> Option<Language> {
        match self {
            Self::English => Some(Language::English),
            Self::French => Some(Language::French),
            Self::Spanish => Some(Language::Spanish),
            Self::Portuguese => Some(Language::Portuguese),
            Self::Plain => None,
        }
    }

    /// Stop words are dropped before stemming, and accents folded after it: stemmers know the
    /// accents of their language, and folding last makes a query typed without accents match.
    pub fn analyzer(self) -> TextAnalyzer {
        let base = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser);
        match self.snowball() {
            Some(language) => match StopWordFilter::new(language) {
                Some(stop) => {
                    base.filter(stop).filter(Stemmer::new(language)).filter(AsciiFoldingFilter).build()
                }
                None => base.filter(Stemmer::new(language)).filter(AsciiFoldingFilter).build(),
            },
            None => base.filter(AsciiFoldingFilter).build(),
        }
    }
}

/// Registers every analysis with an index (tokenizers are not stored in the index).
pub fn register(index: &Index) {
    for analysis in Analysis::ALL {
        index.tokenizers().register(&analysis.tokenizer_name(), analysis.analyzer());
    }
}

/// The terms a piece of text becomes under an analysis.
pub fn terms(analysis: Analysis, text: &str) -> Vec<String> {
    positioned_terms(analysis, text).into_iter().map(|(_, term)| term).collect()
}

/// Each analysis built once (stop-word sets are not small); a query clones what it uses, which
/// shares those sets.
fn built(analysis: Analysis) -> TextAnalyzer {
    static BUILT: OnceLock<Vec<TextAnalyzer>> = OnceLock::new();
    let all = BUILT.get_or_init(|| Analysis::ALL.iter().map(|a| a.analyzer()).collect());
    let index = Analysis::ALL.iter().position(|a| *a == analysis).unwrap_or(0);
    all.get(index).cloned().unwrap_or_else(|| analysis.analyzer())
}

/// The terms with their word positions (a dropped stop word leaves its gap, as in the index).
pub fn positioned_terms(analysis: Analysis, text: &str) -> Vec<(usize, String)> {
    let mut analyzer = built(analysis);
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        let token = stream.token();
        terms.push((token.position, token.text.clone()));
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_stemmed_folded_and_stop_words_dropped() {
        assert_eq!(terms(Analysis::English, "The washing of hands"), ["wash", "hand"]);
        assert_eq!(terms(Analysis::French, "la prévention"), terms(Analysis::French, "prevention"));
        assert_eq!(terms(Analysis::Plain, "Usafi wa Mikono"), ["usafi", "wa", "mikono"]);
        assert_eq!(terms(Analysis::Spanish, "hemorragias"), terms(Analysis::Spanish, "hemorragia"));
    }
}
