//! The accounts feature's rules, free of I/O: roles and who may do what, professions, password
//! and email rules. Unit-tested here.

use std::fmt;

/// An opaque name for one account's data kept in a browser (the offline course caches): stable
/// for the account, saying nothing of its id or email. Not a secret: the device is the boundary.
pub fn storage_key(account_id: i32, created_at: chrono::DateTime<chrono::Utc>) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("lantern-storage\0{account_id}\0{}", created_at.timestamp_micros()));
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The kind of an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgKind {
    /// A professional association: authors curricula, accredits courses, runs mentorship.
    Association,
    /// A nursing or medical council: sets CPD rules, confirms licences, verifies credits.
    Regulator,
}

impl OrgKind {
    pub const ALL: [OrgKind; 2] = [OrgKind::Association, OrgKind::Regulator];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Association => "association",
            OrgKind::Regulator => "regulator",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The roles members of this kind of organisation may hold.
    pub fn roles(self) -> &'static [Role] {
        match self {
            OrgKind::Association => &[Role::Member, Role::Author, Role::Reviewer, Role::Admin],
            OrgKind::Regulator => &[Role::Officer, Role::Admin],
        }
    }
}

/// A role a member holds in an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A health worker who belongs to an association: counted in its workforce figures, with
    /// no say in its work.
    Member,
    Author,
    Reviewer,
    /// Association admin (or regulator admin): manages members and the organisation's settings.
    Admin,
    /// Regulator officer.
    Officer,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Member, Role::Author, Role::Reviewer, Role::Admin, Role::Officer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Author => "author",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
            Role::Officer => "officer",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The cadres Lantern serves.
pub const PROFESSIONS: [&str; 7] = [
    "nurse",
    "midwife",
    "medical-doctor",
    "clinical-officer",
    "community-health-worker",
    "pharmacist",
    "other",
];

/// Where a clinician works.
pub const SETTINGS: [&str; 2] = ["rural", "urban"];

/// Who is acting: an account, whether it administers the platform, and its memberships.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub account_id: i32,
    pub is_platform_admin: bool,
    /// (organisation id, role)
    pub memberships: Vec<(i32, Role)>,
}

/// Something an actor may be allowed to do, in the context it applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capability {
    /// Create organisations, see every organisation, run the platform.
    AdministerPlatform,
    /// See an organisation's page and member list.
    ViewOrganisation { organisation_id: i32 },
    /// Invite and remove members of an organisation.
    ManageMembers { organisation_id: i32 },
    /// Write courses for an association.
    AuthorFor { organisation_id: i32 },
    /// Review (approve or return) an association's course versions.
    ReviewFor { organisation_id: i32 },
    /// Act for a regulator.
    OfficerOf { organisation_id: i32 },
    /// See aggregated, anonymised figures about an association's members.
    SeeWorkforce { organisation_id: i32 },
    /// Run an association's mentoring programmes: rounds, proposals, concerns.
    RunMentoring { organisation_id: i32 },
}

impl Actor {
    /// Whether the actor holds `role` in `organisation_id`.
    pub fn has_role(&self, organisation_id: i32, role: Role) -> bool {
        self.memberships.iter().any(|(org, r)| *org == organisation_id && *r == role)
    }

    /// Whether the actor works for the organisation: any role but [`Role::Member`].
    fn is_staff(&self, organisation_id: i32) -> bool {
        self.memberships.iter().any(|(org, role)| *org == organisation_id && *role != Role::Member)
    }
}

/// The one authorisation rule: may `actor` do `capability`? Platform admins run the platform
/// and manage organisations; they do not author, review or act for a regulator unless they are
/// members with that role.
pub fn authorize(actor: &Actor, capability: Capability) -> bool {
    match capability {
        Capability::AdministerPlatform => actor.is_platform_admin,
        Capability::ViewOrganisation { organisation_id } => {
            actor.is_platform_admin || actor.is_staff(organisation_id)
        }
        Capability::SeeWorkforce { organisation_id } => actor.is_staff(organisation_id),
        Capability::RunMentoring { organisation_id } => actor.has_role(organisation_id, Role::Admin),
        Capability::ManageMembers { organisation_id } => {
            actor.is_platform_admin || actor.has_role(organisation_id, Role::Admin)
        }
        Capability::AuthorFor { organisation_id } => actor.has_role(organisation_id, Role::Author),
        Capability::ReviewFor { organisation_id } => actor.has_role(organisation_id, Role::Reviewer),
        Capability::OfficerOf { organisation_id } => actor.has_role(organisation_id, Role::Officer),
    }
}

/// A problem with one field of a form: the field's name and the message's translation key.
pub type Problem = (&'static str, &'static str);

/// Normalises an email address for storage and comparison: trimmed, lower-cased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A plausible address: one `@`, something before, a dotted domain after, no spaces, ≤ 254 bytes.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',')
}

/// Longest password accepted, in characters: far beyond the 64 that OWASP ASVS 6.2.9 requires,
/// and short enough that hashing it stays cheap.
pub const PASSWORD_MAX_CHARS: usize = 1024;

/// Checks a new password: long enough, not too long, and not guessable (zxcvbn score 2 or more,
/// which rejects every entry of its common-password lists and words built from the person's own
/// name and email). No composition rules (ASVS 6.2.5).
pub fn check_password(password: &str, min_chars: usize, user_inputs: &[&str]) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars < min_chars {
        return Err("password-too-short");
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err("password-too-long");
    }
    // Strength is estimated on the first 100 characters: anything longer is a passphrase already.
    let sample: String = password.chars().take(100).collect();
    let entropy = zxcvbn::zxcvbn(&sample, user_inputs);
    if (entropy.score() as u8) < 2 {
        return Err("password-too-weak");
    }
    Ok(())
}

/// A slug: 2–60 of `a-z`, `0-9` and `-`, not starting or ending with `-`.
pub fn is_valid_slug(slug: &str) -> bool {
    (2..=60).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// ISO 3166-1 alpha-2 codes in use.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK \
FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM \
JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM \
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Normalises and checks an ISO 3166-1 alpha-2 country code.
pub fn parse_country(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    (code.len() == 2 && COUNTRIES.split_whitespace().any(|c| c == code)).then_some(code)
}

/// Parses a comma- or space-separated list of language tags (`sw, en`, `fr-CI`), each 2–3 letters
/// with an optional region; at most 8.
pub fn parse_languages(text: &str) -> Result<Vec<String>, &'static str> {
    let mut languages = Vec::new();
    for tag in text.split([',', ' ']).map(str::trim).filter(|t| !t.is_empty()) {
        let mut parts = tag.split(['-', '_']);
        let primary = parts.next().unwrap_or("");
        let region = parts.next();
        let ok = (2..=3).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_alphabetic())
            && region.is_none_or(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()))
            && parts.next().is_none();
        if !ok {
            return Err("languages-invalid");
        }
        let tag = match region {
            Some(r) => format!("{}-{}", primary.to_ascii_lowercase(), r.to_ascii_uppercase()),
            None => primary.to_ascii_lowercase(),
        };
        if !languages.contains(&tag) {
            languages.push(tag);
        }
    }
    if languages.len() > 8 {
        return Err("languages-too-many");
    }
    Ok(languages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(admin: bool, memberships: &[(i32, Role)]) -> Actor {
        Actor { account_id: 1, is_platform_admin: admin, memberships: memberships.to_vec() }
    }

    #[test]
    fn roles_grant_only_their_own_organisation() {
        let author_of_1 = actor(false, &[(1, Role::Author)]);
        assert!(authorize(&author_of_1, Capability::AuthorFor { organisation_id: 1 }));
        assert!(!authorize(&author_of_1, Capability::AuthorFor { organisation_id: 2 }));
        assert!(!authorize(&author_of_1, Capability::ReviewFor { organisation_id: 1 }));
        assert!(!authorize(&author_of_1, Capability::ManageMembers { organisation_id: 1 }));
        assert!(authorize(&author_of_1, Capability::ViewOrganisation { organisation_id: 1 }));
        assert!(!authorize(&author_of_1, Capability::ViewOrganisation { organisation_id: 2 }));
        assert!(!authorize(&author_of_1, Capability::AdministerPlatform));
    }

    #[test]
    fn platform_admins_manage_but_do_not_author() {
        let admin = actor(true, &[]);
        assert!(authorize(&admin, Capability::AdministerPlatform));
        assert!(authorize(&admin, Capability::ManageMembers { organisation_id: 7 }));
        assert!(!authorize(&admin, Capability::AuthorFor { organisation_id: 7 }));
        assert!(!authorize(&admin, Capability::OfficerOf { organisation_id: 7 }));
    }

    /// Every capability for every role, in its own organisation (1) and asked of another (2).
    #[test]
    fn each_capability_is_granted_exactly_to_the_roles_it_names() {
        use Capability::*;
        let org = |organisation_id| {
            [
                ViewOrganisation { organisation_id },
                ManageMembers { organisation_id },
                AuthorFor { organisation_id },
                ReviewFor { organisation_id },
                OfficerOf { organisation_id },
                SeeWorkforce { organisation_id },
                RunMentoring { organisation_id },
            ]
        };
        // The capabilities of org(1) each role is granted, in org()'s order.
        let granted = |role| match role {
            Role::Member => [false; 7],
            Role::Author => [true, false, true, false, false, true, false],
            Role::Reviewer => [true, false, false, true, false, true, false],
            Role::Admin => [true, true, false, false, false, true, true],
            Role::Officer => [true, false, false, false, true, true, false],
        };
        for role in Role::ALL {
            let member = actor(false, &[(1, role)]);
            for (capability, expected) in org(1).into_iter().zip(granted(role)) {
                assert_eq!(authorize(&member, capability), expected, "{role} {capability:?}");
            }
            for capability in org(2) {
                assert!(!authorize(&member, capability), "{role} of 1 asking {capability:?}");
            }
            assert!(!authorize(&member, AdministerPlatform), "{role}");
        }
        // A platform admin without memberships: sees and manages every organisation, no more.
        let admin = actor(true, &[]);
        let admin_may = [true, true, false, false, false, false, false];
        for (capability, expected) in org(3).into_iter().zip(admin_may) {
            assert_eq!(authorize(&admin, capability), expected, "platform admin {capability:?}");
        }
        // Roles add up, organisation by organisation.
        let both = actor(false, &[(1, Role::Author), (1, Role::Reviewer), (2, Role::Member)]);
        assert!(authorize(&both, AuthorFor { organisation_id: 1 }));
        assert!(authorize(&both, ReviewFor { organisation_id: 1 }));
        assert!(!authorize(&both, ViewOrganisation { organisation_id: 2 }));
        assert!(both.has_role(2, Role::Member) && !both.has_role(2, Role::Author));
    }

    #[test]
    fn roles_read_back_from_their_stored_names_and_nothing_else_is_a_role() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for other in ["", "Admin", "owner", "admin "] {
            assert_eq!(Role::parse(other), None, "{other:?}");
        }
    }

    #[test]
    fn a_learner_may_do_nothing_organisational() {
        let learner = actor(false, &[]);
        for capability in [
            Capability::AdministerPlatform,
            Capability::ViewOrganisation { organisation_id: 1 },
            Capability::ManageMembers { organisation_id: 1 },
            Capability::AuthorFor { organisation_id: 1 },
            Capability::ReviewFor { organisation_id: 1 },
            Capability::OfficerOf { organisation_id: 1 },
        ] {
            assert!(!authorize(&learner, capability), "{capability:?}");
        }
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(normalise_email("  Amina.Otieno@Example.ORG "), "amina.otieno@example.org");
        assert!(is_valid_email("amina@example.org"));
        for bad in ["", "amina", "amina@", "@example.org", "a b@example.org", "a@b", "a@b@c.org", "a@.org"] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn weak_passwords_are_refused_and_passphrases_accepted() {
        for weak in ["password123", "qwertyuiop", "1234567890", "iloveyou12", "aminaotieno"] {
            assert!(check_password(weak, 10, &["amina", "otieno"]).is_err(), "{weak} should be refused");
        }
        assert_eq!(check_password("short", 10, &[]), Err("password-too-short"));
        assert!(check_password("correct horse battery staple", 10, &[]).is_ok());
        assert!(check_password("Mama-Lishe ni muhimu sana kwa watoto!", 10, &[]).is_ok());
        let long = "ñandú ".repeat(30);
        assert!(check_password(&long, 10, &[]).is_ok(), "non-ASCII passphrases of 180 characters");
        assert_eq!(check_password(&"x".repeat(2000), 10, &[]), Err("password-too-long"));
    }

    #[test]
    fn slugs_countries_and_languages() {
        assert!(is_valid_slug("eanma"));
        assert!(!is_valid_slug("East African"));
        assert!(!is_valid_slug("-x"));
        assert_eq!(parse_country(" ke "), Some("KE".into()));
        assert_eq!(parse_country("XX"), None);
        assert_eq!(parse_languages("sw, EN fr-ci"), Ok(vec!["sw".into(), "en".into(), "fr-CI".into()]));
        assert_eq!(parse_languages("english"), Err("languages-invalid"));
        assert_eq!(parse_languages(""), Ok(vec![]));
    }
}
