//! The courses feature's rules, free of I/O: supported languages, topics, competency codes,
//! version states and quiz scoring. Unit-tested here.

/// Languages a course can be written in (each has stemming in search, or accent folding).
pub const COURSE_LANGUAGES: [&str; 5] = ["en", "fr", "es", "pt", "sw"];

pub fn language_supported(code: &str) -> bool {
    COURSE_LANGUAGES.contains(&code)
}

/// A topic slug: lower-case kebab-case, 2–40 characters.
pub fn is_topic(topic: &str) -> bool {
    (2..=40).contains(&topic.len())
        && topic.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !topic.starts_with('-')
        && !topic.ends_with('-')
}

/// `IPC.1` → (`IPC`, 1): a domain code of 2–5 upper-case letters, a dot and a number.
pub fn parse_competency_code(code: &str) -> Option<(&str, u32)> {
    let (domain, number) = code.split_once('.')?;
    let domain_ok = (2..=5).contains(&domain.len()) && domain.bytes().all(|b| b.is_ascii_uppercase());
    let number = number.parse::<u32>().ok().filter(|n| (1..=999).contains(n))?;
    domain_ok.then_some((domain, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_topics_and_languages() {
        assert_eq!(parse_competency_code("IPC.1"), Some(("IPC", 1)));
        assert_eq!(parse_competency_code("NEO.12"), Some(("NEO", 12)));
        for bad in ["ipc.1", "I.1", "IPC", "IPC.", "IPC.0", "IPC.x", "TOOLONG.1"] {
            assert_eq!(parse_competency_code(bad), None, "{bad}");
        }
        assert!(is_topic("infection-prevention"));
        assert!(!is_topic("Infection Prevention"));
        assert!(language_supported("sw"));
        assert!(!language_supported("de"));
    }
}
