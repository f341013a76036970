//! Certificate throughput on one thread, against raw `ed25519-dalek` on messages of the same size:
//!
//! - issued per second (build the OB 3.0 credential + sign the VC-JWT) vs `SigningKey::sign`;
//! - verified per second, one at a time (`verify`) vs `verify_strict`, and in bulk (`verify_many`)
//!   vs `verify_batch` in batches of the same size (128).
//!
//! Goals: issuing ≥ 0.5 × raw signing; bulk verification ≥ 0.5 × raw batch verification.
//! Each figure is the median of several rounds over the same certificates.
//!
//! ```sh
//! cargo bench -p lantern --bench certificates
//! CERTS=500 ROUNDS=3 cargo bench -p lantern --bench certificates   # quicker
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use lantern::credits::certificate::{
    AchievementInput, CertificateInput, CompetencyInput, CpdCredits, IssuerInput, IssuerKey, KeySet,
    RecipientInput, StatusInput, issue, verify, verify_many,
};
use lantern::credits::status_list::{
    Bitstring, StatusListCache, StatusListInput, sign_status_list, verify_status_list,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const ISSUER: &str = "https://cpd.example.org/issuers/nursing-council";
const LIST: &str = "https://cpd.example.org/issuers/nursing-council/status/1";
const BATCH: usize = 128;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn input(rng: &mut StdRng, n: usize, valid_from: DateTime<Utc>) -> CertificateInput {
    CertificateInput {
        id: format!("https://cpd.example.org/certificates/{:032x}", rng.random::<u128>()),
        issuer: IssuerInput {
            id: ISSUER.into(),
            name: "Nursing Council of Example".into(),
            url: "https://nursing.example.org".into(),
        },
        recipient: RecipientInput {
            id: format!("urn:uuid:{:032x}", rng.random::<u128>()),
            name: ["Grace Wanjiru Otieno", "Nguyễn Thị Minh Khai", "Ngozi Okonkwo-Adébáyọ̀"][n % 3].into(),
            licence_number: Some(format!("RN-{:06}", rng.random_range(0..1_000_000))),
            licence_consent: n.is_multiple_of(2),
            hashed_email: None,
        },
        achievement: AchievementInput {
            id: format!("https://cpd.example.org/courses/course-{}", n % 50),
            name: "Helping Babies Breathe: neonatal resuscitation in the first golden minute".into(),
            short_name: Some("Neonatal resuscitation (HBB)".into()),
            description: "Recognise a baby who is not breathing and ventilate with bag and mask.".into(),
            criteria: "Completed all six lessons and passed the final skills assessment (80 % or more)."
                .into(),
            credits: CpdCredits::from_hundredths(rng.random_range(25..=2_000)).unwrap(),
            category: "Clinical practice".into(),
            course_version: "2.1".into(),
        },
        competencies: (0..2)
            .map(|c| CompetencyInput {
                code: format!("NM-{c}.{}", n % 9),
                title: "Newborn care".into(),
                framework_url: "https://cpd.example.org/frameworks/primary-care-nursing-midwifery".into(),
            })
            .collect(),
        valid_from,
        valid_until: Some(valid_from + Duration::days(3 * 365)),
        awarded: Some(valid_from - Duration::days(1)),
        status: StatusInput { list_url: LIST.into(), index: rng.random_range(0..131_072) },
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn rate(n: usize, run: impl FnOnce()) -> f64 {
    let started = Instant::now();
    run();
    n as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let certs = env("CERTS", 2_000);
    let rounds = env("ROUNDS", 7);
    let mut rng = StdRng::seed_from_u64(2026);
    let key = IssuerKey::generate(&mut rng, &format!("{ISSUER}/jwks.json"), ISSUER).unwrap();
    let valid_from = DateTime::from_timestamp(1_772_352_000, 0).unwrap();
    let keys = KeySet::new(vec![key.entry(valid_from - Duration::days(30), None)]).unwrap();
    let now = valid_from + Duration::days(10);
    let list = StatusListInput {
        url: LIST.into(),
        valid_from: now - Duration::days(1),
        valid_until: now + Duration::days(6),
    };
    let mut status = StatusListCache::new();
    status.insert(
        verify_status_list(&sign_status_list(&key, &list, &Bitstring::new()).unwrap(), &keys).unwrap(),
    );

    let inputs: Vec<CertificateInput> = (0..certs).map(|n| input(&mut rng, n, valid_from)).collect();
    let jwts: Vec<String> = inputs.iter().map(|i| issue(&key, i).unwrap()).collect();
    let refs: Vec<&str> = jwts.iter().map(String::as_str).collect();
    assert!(refs.iter().all(|j| verify(j, &keys, &status, now).is_valid()), "every certificate verifies");

    // The same work for raw ed25519-dalek: sign and verify each JWT's signing input.
    let raw_key = SigningKey::from_bytes(&rng.random());
    let raw_public: VerifyingKey = raw_key.verifying_key();
    let messages: Vec<&[u8]> = refs.iter().map(|j| j.rsplit_once('.').unwrap().0.as_bytes()).collect();
    let signatures: Vec<Signature> = messages.iter().map(|m| raw_key.sign(m)).collect();
    let raw_keys = vec![raw_public; BATCH];
    let mean_len = jwts.iter().map(String::len).sum::<usize>() / certs;
    let mean_message = messages.iter().map(|m| m.len()).sum::<usize>() / certs;

    let (mut issued, mut signed, mut single, mut raw_single, mut many, mut raw_batch) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..rounds {
        issued.push(rate(certs, || {
            for i in &inputs {
                black_box(issue(&key, i).unwrap());
            }
        }));
        signed.push(rate(certs, || {
            for m in &messages {
                black_box(raw_key.sign(m));
            }
        }));
        single.push(rate(certs, || {
            for j in &refs {
                assert!(black_box(verify(j, &keys, &status, now)).is_valid());
            }
        }));
        raw_single.push(rate(certs, || {
            for (m, s) in messages.iter().zip(&signatures) {
                black_box(raw_public.verify_strict(m, s)).unwrap();
            }
        }));
        many.push(rate(certs, || {
            let verdicts = black_box(verify_many(&refs, &keys, &status, now));
            assert!(verdicts.iter().all(|v| v.is_valid()));
        }));
        raw_batch.push(rate(certs, || {
            for (m, s) in messages.chunks(BATCH).zip(signatures.chunks(BATCH)) {
                black_box(ed25519_dalek::verify_batch(m, s, &raw_keys[..m.len()])).unwrap();
            }
        }));
    }
    let [issued, signed, single, raw_single, many, raw_batch] =
        [issued, signed, single, raw_single, many, raw_batch].map(|mut v| median(&mut v));
    let verdict = |ratio: f64| if ratio >= 0.5 { "met" } else { "NOT met" };
    println!("## Certificates benchmark: {certs} certificates, one thread, median of {rounds} rounds\n");
    println!("Mean VC-JWT {mean_len} bytes (signing input {mean_message} bytes).\n");
    println!("| operation | Lantern per second | raw ed25519-dalek per second | ratio | goal ≥ 0.5 |");
    println!("|---|---|---|---|---|");
    println!(
        "| issue (build + sign) vs sign | {issued:.0} | {signed:.0} | {:.2} | {} |",
        issued / signed,
        verdict(issued / signed)
    );
    println!("| verify vs verify_strict | {single:.0} | {raw_single:.0} | {:.2} | – |", single / raw_single);
    println!(
        "| verify_many vs verify_batch ({BATCH}) | {many:.0} | {raw_batch:.0} | {:.2} | {} |",
        many / raw_batch,
        verdict(many / raw_batch)
    );
}
