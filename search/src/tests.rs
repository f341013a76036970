use super::*;

fn doc(id: &str, language: &str, title: &str, body: &str) -> Document {
    Document {
        id: id.into(),
        group: format!("course:{}", id.split(['/', ':']).nth(1).unwrap_or(id)),
        kind: if id.starts_with("course") { "course" } else { "lesson" }.into(),
        language: language.into(),
        title: title.into(),
        body: body.into(),
        url: format!("/{id}"),
        professions: vec!["nurse".into()],
        topics: vec!["infection-prevention".into()],
        competencies: vec!["IPC.1".into()],
        organisation: "East African Nurses".into(),
        credits_hundredths: 100,
    }
}

fn corpus() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut midwives = doc(
        "lesson:newborn/drying",
        "en",
        "Drying the baby",
        "Dry the newborn thoroughly and keep skin to skin contact with the mother.",
    );
    midwives.professions = vec!["midwife".into()];
    midwives.topics = vec!["newborn-care".into()];
    midwives.competencies = vec!["NEO.1".into(), "NEO.2".into()];
    for document in [
        doc(
            "lesson:hands/moments",
            "en",
            "The five moments for hand hygiene",
            "Clean your hands before touching a patient and after body fluid exposure.",
        ),
        doc(
            "lesson:hands/rub",
            "en",
            "Handrub or handwash",
            "Alcohol-based handrub takes 20 to 30 seconds; washing with soap takes 40 to 60 seconds.",
        ),
        doc(
            "lesson:prevention/mains",
            "fr",
            "L'hygiène des mains",
            "La prévention des infections commence par des mains propres avant chaque soin.",
        ),
        doc(
            "lesson:hemorragia/signos",
            "es",
            "Signos de hemorragia posparto",
            "La hemorragia después del parto es una emergencia obstétrica.",
        ),
        doc(
            "lesson:usafi/mikono",
            "sw",
            "Usafi wa mikono",
            "Nawa mikono kwa sabuni na maji safi kabla ya kumgusa mgonjwa.",
        ),
        midwives,
    ] {
        index.upsert(document).unwrap();
    }
    index.commit(7).unwrap();
    index
}

fn ask(index: &SearchIndex, text: &str) -> Results {
    index
        .search(&Request { text: text.into(), language: "en".into(), limit: 10, ..Request::default() })
        .unwrap()
}

fn ids(results: &Results) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn stemmed_misspelt_prefixed_and_phrased_queries_find_their_lesson() {
    let index = corpus();
    assert_eq!(ids(&ask(&index, "soap washes"))[0], "lesson:hands/rub", "washes → wash ← washing");
    assert_eq!(ids(&ask(&index, "hygeine"))[0], "lesson:hands/moments", "one transposition forgiven");
    assert_eq!(ids(&ask(&index, "newbo"))[0], "lesson:newborn/drying", "the last word as a prefix");
    assert_eq!(ids(&ask(&index, "\"skin to skin\"")), ["lesson:newborn/drying"]);
    assert!(ask(&index, "\"skin the mother\"").hits.is_empty(), "a phrase is in order");
    assert_eq!(ids(&ask(&index, "prevention infections"))[0], "lesson:prevention/mains", "accents folded");
    assert_eq!(ids(&ask(&index, "hemorragias")), ["lesson:hemorragia/signos"], "Spanish plural stemmed");
    assert_eq!(ids(&ask(&index, "mikono")), ["lesson:usafi/mikono"], "Swahili, plain analysis");
    assert!(ask(&index, "cat").hits.is_empty(), "short words are not fuzzed");
}

#[test]
fn the_searchers_language_ranks_first_and_the_others_are_still_found() {
    let index = corpus();
    let french = index
        .search(&Request {
            text: "mains hands".into(),
            language: "fr".into(),
            limit: 10,
            ..Request::default()
        })
        .unwrap();
    assert!(french.hits.is_empty(), "every word must match in one language");
    let results = index
        .search(&Request { text: "hygiene".into(), language: "fr".into(), limit: 10, ..Request::default() })
        .unwrap();
    assert_eq!(ids(&results), ["lesson:prevention/mains", "lesson:hands/moments"]);
}

#[test]
fn filters_facets_snippets_and_pages() {
    let index = corpus();
    let all = ask(&index, "skin");
    assert_eq!(all.total, 1);
    let hit = &all.hits[0];
    assert!(hit.snippet.iter().any(|(text, marked)| *marked && text == "skin"), "{:?}", hit.snippet);
    let hands = ask(&index, "hand");
    assert_eq!(hands.total, 2);
    assert_eq!(hands.facets.profession, [("nurse".to_owned(), 2)]);
    let filtered = index
        .search(&Request {
            text: String::new(),
            filters: Filters { profession: "midwife".into(), ..Filters::default() },
            limit: 10,
            ..Request::default()
        })
        .unwrap();
    assert_eq!(ids(&filtered), ["lesson:newborn/drying"], "a filter alone lists");
    assert_eq!(filtered.facets.topic, [("newborn-care".to_owned(), 1)]);
    let second =
        index.search(&Request { text: "hand".into(), offset: 1, limit: 1, ..Request::default() }).unwrap();
    assert_eq!((second.total, second.hits.len()), (2, 1));
    let past =
        index.search(&Request { text: "hand".into(), offset: 50, limit: 10, ..Request::default() }).unwrap();
    assert_eq!((past.total, past.hits.len()), (2, 0), "a page past the end is empty, not an error");
}

#[test]
fn query_syntax_and_nonsense_are_just_words() {
    let index = corpus();
    for text in ["", "   ", "\"", "(", ":", "AND", "title:hands", "hands AND (", "\"unclosed phrase", "*?~^"]
    {
        let results = ask(&index, text);
        assert!(results.total <= 6, "{text}: {}", results.total);
    }
    assert_eq!(ask(&index, "hands AND").total, ask(&index, "hands ").total, "AND: an English stop word");
    assert_eq!(ask(&index, "title:hands").total, 0, "field syntax is two words, not a field");
    let long = "handrub ".repeat(2_000);
    assert_eq!(ids(&ask(&index, &long)), ["lesson:hands/rub"], "a 16 KB query is cut, not refused");
}

#[test]
fn groups_are_deleted_together_and_the_position_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open_or_create(dir.path()).unwrap();
        assert_eq!(index.position(), None, "a new index needs a build");
        index
            .replace_all(
                vec![
                    doc("course:hands", "en", "Hands", "hygiene"),
                    doc("lesson:hands/rub", "en", "Rub", "handrub"),
                ],
                41,
            )
            .unwrap();
    }
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!((index.len(), index.position()), (2, Some(41)));
    index.delete_group("course:hands").unwrap();
    index.commit(42).unwrap();
    assert!(index.is_empty());
    assert_eq!(index.position(), Some(42));
    std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
    drop(index);
    let rebuilt = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(rebuilt.position(), None, "a corrupt index starts again empty");
}

#[test]
fn a_competency_filter_lists_what_teaches_it() {
    let index = corpus();
    let teaching = |code: &str| {
        let filters = Filters { competency: code.into(), ..Filters::default() };
        index.search(&Request { filters, limit: 10, ..Request::default() }).unwrap()
    };
    assert_eq!(ids(&teaching("NEO.2")), ["lesson:newborn/drying"]);
    assert_eq!(teaching("IPC.1").total, 5);
    assert_eq!(teaching("XYZ.9").total, 0);
}

#[test]
fn a_snippet_window_starts_and_ends_on_whole_words() {
    let body = format!(
        "{} Clean from the centre outwards with clean water. Never reuse gauze. {}",
        "Wash your hands before and after. ".repeat(4),
        "Dispose of the dressing safely. ".repeat(20)
    );
    let found = window(&body, &parse("gauze"));
    assert!(found.contains("gauze"), "{found:?}");
    let first = found.split_whitespace().next().unwrap_or("");
    let last = found.split_whitespace().last().unwrap_or("");
    assert!(body.split_whitespace().any(|word| word == first), "starts mid-word: {found:?}");
    assert!(body.split_whitespace().any(|word| word == last), "ends mid-word: {found:?}");
    // Text without spaces is still cut, at a character boundary.
    let unbroken = "ก".repeat(2_000);
    assert!(window(&unbroken, &parse("ข")).len() <= 300);
}
