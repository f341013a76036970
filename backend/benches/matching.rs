//! Mentor–mentee matching at scale: the exact solver (`mentorship::solver::solve`), the greedy
//! baseline, and `pathfinding::kuhn_munkres` (the Hungarian algorithm) on the slot-expanded matrix,
//! over deterministic, realistic instances:
//!
//! - mentees want 3–6 of 35 competencies (popular ones more often) at a level 2–4; mentors offer
//!   8–15 competencies at levels 1–4 and take 10 mentees each;
//! - the hard constraint is a shared language (5 languages, some people speak two); the score of an
//!   allowed pair is integer coverage: 10 + 5 × min(offered, wanted level) per wanted competency
//!   the mentor offers, plus 15 when all are covered; pairs with no coverage are not listed;
//! - and a dense worst case: 5,000 × 500 with every pair allowed, where everyone ranks mentors
//!   alike (score 1–100 by the mentor's rank plus 0–9 of personal taste), so all compete for the
//!   same mentors (2.5 million edges).
//!
//! Each measurement runs in a child process of its own so that its peak memory is its own: the
//! child builds the instance, resets the peak resident set (`VmHWM`, by writing `5` to
//! `/proc/self/clear_refs`), runs one method and reports the time and the peak's growth over the
//! resident set just before the call (the instance itself is not counted; for kuhn_munkres the
//! slot-expanded matrix is, and its construction is timed with it). The exact solver and greedy
//! report the median of 3 runs, kuhn_munkres a single run. A child that runs longer than
//! `MATCHING_TIMEOUT` seconds (default 180) is killed and reported as such.
//!
//! ```sh
//! cargo bench -p lantern --bench matching
//! MATCHING_SIZES=small,5k cargo bench -p lantern --bench matching   # skip the largest instance
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use lantern::mentorship::solver::{self, Assignment, Edge, Problem};
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CAPACITY: u32 = 10;
const COMPETENCIES: usize = 35;
/// How often each of the 5 languages is a person's first language, per 100.
const LANGUAGES: [u64; 5] = [40, 20, 20, 10, 10];
/// The goal for re-placing the mentees of a mentor who leaves.
const REPLACE_GOAL: Duration = Duration::from_millis(100);

/// An instance: its size and whether every pair is allowed (the dense worst case).
struct Size {
    name: &'static str,
    mentees: u32,
    mentors: u32,
    dense: bool,
}

const SIZES: [Size; 4] = [
    Size { name: "small", mentees: 2_000, mentors: 200, dense: false },
    Size { name: "5k", mentees: 5_000, mentors: 500, dense: false },
    Size { name: "dense5k", mentees: 5_000, mentors: 500, dense: true },
    Size { name: "10k", mentees: 10_000, mentors: 1_000, dense: false },
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--child") {
        child(&args[at + 1], &args[at + 2]);
        return;
    }
    let timeout = Duration::from_secs(
        std::env::var("MATCHING_TIMEOUT").ok().and_then(|v| v.parse().ok()).unwrap_or(180),
    );
    let wanted = std::env::var("MATCHING_SIZES").unwrap_or_else(|_| "small,5k,dense5k,10k".to_owned());
    println!("## Matching benchmark: mentors take {CAPACITY} mentees each\n");
    println!(
        "| instance | edges (density) | method | time | peak memory (growth) | total score | of optimum |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut notes = Vec::new();
    // The last kuhn_munkres time and size, to estimate the next.
    let mut km_seconds = None;
    for size in SIZES.iter().filter(|s| wanted.split(',').any(|w| w == s.name)) {
        let exact = run(size, "exact", timeout).expect("the exact solver finishes");
        let greedy = run(size, "greedy", timeout).expect("the greedy baseline finishes");
        let edges = exact.edges;
        let density = edges as f64 / (f64::from(size.mentees) * f64::from(size.mentors));
        let instance = format!(
            "{} × {} mentors{}",
            thousands(size.mentees.into()),
            thousands(size.mentors.into()),
            if size.dense { ", dense" } else { "" }
        );
        let row = |method: &str, r: &Measured| {
            println!(
                "| {instance} | {} ({:.0} %) | {method} | {} | {} ({}) | {} | {:.3} |",
                thousands(edges),
                density * 100.0,
                seconds(r.seconds),
                mebibytes(r.peak_kib),
                mebibytes(r.growth_kib),
                thousands(r.total as u64),
                r.total as f64 / exact.total as f64
            );
        };
        row("exact (solver::solve)", &exact);
        row("greedy baseline", &greedy);
        assert!(exact.total >= greedy.total, "the optimum is at least the greedy total");
        notes.push(format!(
            "- {instance}: greedy reaches {:.2} % of the optimum; re-placing the {} mentees of a mentor \
             who leaves takes {:.1} ms (goal < {} ms, {}).",
            100.0 * greedy.total as f64 / exact.total as f64,
            exact.replaced,
            exact.replace_ms,
            REPLACE_GOAL.as_millis(),
            if exact.replace_ms < REPLACE_GOAL.as_secs_f64() * 1_000.0 { "met" } else { "NOT met" }
        ));
        // kuhn_munkres is O(n³) on an n × n matrix of i64: skip it where the cubic estimate from a
        // smaller run says it would not finish in time.
        let matrix_mib = (u64::from(size.mentees) * u64::from(size.mentors * CAPACITY) * 8) >> 20;
        let estimate =
            km_seconds.map(|(secs, n): (f64, u32)| secs * (f64::from(size.mentees) / f64::from(n)).powi(3));
        if estimate.is_some_and(|e| e > timeout.as_secs_f64()) {
            notes.push(format!(
                "- {instance}: kuhn_munkres skipped: its {}-MiB matrix would fit, but the cubic estimate \
                 from the smaller instance is {:.0} s, over the {} s limit.",
                thousands(matrix_mib),
                estimate.unwrap_or_default(),
                timeout.as_secs()
            ));
            continue;
        }
        match run(size, "km", timeout) {
            Some(km) => {
                row("pathfinding::kuhn_munkres, slot-expanded", &km);
                assert_eq!(exact.total, km.total, "the exact solver and kuhn_munkres agree on the optimum");
                km_seconds = Some((km.seconds, size.mentees));
                notes.push(format!(
                    "- {instance}: exact / kuhn_munkres time = {:.4} (goal ≤ 0.2); both reach {}.",
                    exact.seconds / km.seconds,
                    thousands(exact.total as u64)
                ));
            }
            None => notes.push(format!(
                "- {instance}: kuhn_munkres killed after {} s (matrix {} MiB).",
                timeout.as_secs(),
                thousands(matrix_mib)
            )),
        }
    }
    println!();
    for note in notes {
        println!("{note}");
    }
}

/// What a child reports.
struct Measured {
    seconds: f64,
    /// The process's peak resident set during the call, and its growth over the set before it.
    peak_kib: Option<u64>,
    growth_kib: Option<u64>,
    total: i64,
    edges: u64,
    replaced: usize,
    replace_ms: f64,
}

/// Runs one method on one size in a child process; None if it ran out of time.
fn run(size: &Size, method: &str, timeout: Duration) -> Option<Measured> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--child", method, size.name])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{method} on {} failed", size.name);
            break;
        }
        if started.elapsed() > timeout {
            child.kill().unwrap();
            child.wait().unwrap();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let field = |name: &str| -> String {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
            .unwrap_or_else(|| panic!("{name} missing from {text:?}"))
            .to_owned()
    };
    Some(Measured {
        seconds: field("seconds").parse().unwrap(),
        peak_kib: field("peak_kib").parse().ok(),
        growth_kib: field("growth_kib").parse().ok(),
        total: field("total").parse().unwrap(),
        edges: field("edges").parse().unwrap(),
        replaced: field("replaced").parse().unwrap(),
        replace_ms: field("replace_ms").parse().unwrap(),
    })
}

/// The child: builds the instance, measures one method, prints `key=value` pairs.
fn child(method: &str, size: &str) {
    let size = SIZES.iter().find(|s| s.name == size).unwrap();
    let problem = if size.dense {
        dense_instance(size.mentees, size.mentors, 0x5eed_2026)
    } else {
        instance(size.mentees, size.mentors, 0x5eed_2026)
    };
    let before = reset_peak();
    // The exact solver and greedy are timed as the median of 3 runs (the machine may be busy);
    // kuhn_munkres runs once. The peak covers every run.
    let runs = if method == "km" { 1 } else { 3 };
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..runs {
        let started = Instant::now();
        result = Some(match method {
            "exact" => {
                let assignment = solver::solve(&problem).unwrap();
                let total = assignment.total;
                (Some(assignment), total)
            }
            "greedy" => (None, solver::greedy(&problem).unwrap().total),
            "km" => (None, hungarian(&problem)),
            _ => panic!("unknown method {method}"),
        });
        times.push(started.elapsed().as_secs_f64());
    }
    let (assignment, total) = result.unwrap();
    times.sort_by(f64::total_cmp);
    let seconds = times[times.len() / 2];
    let peak = status_kib("VmHWM:").filter(|_| before.is_some());
    let growth = peak.zip(before).map(|(p, b)| p.saturating_sub(b));
    let (replaced, replace_ms) = assignment.map_or((0, 0.0), |a| replace_after_leave(&problem, &a));
    let text = |kib: Option<u64>| kib.map_or_else(|| "n/a".to_owned(), |k| k.to_string());
    println!(
        "seconds={seconds:.6} peak_kib={} growth_kib={} total={total} edges={} replaced={replaced} \
         replace_ms={replace_ms:.3}",
        text(peak),
        text(growth),
        problem.edges.len()
    );
}

/// The first full mentor leaves: their capacity drops to 0 and their mentees are re-placed around
/// everyone else. Returns how many were re-placed and the median time of 5 runs, in ms.
fn replace_after_leave(problem: &Problem, current: &Assignment) -> (usize, f64) {
    let mut load = vec![0_u32; problem.capacities.len()];
    for mentor in current.mentor_of.iter().flatten() {
        load[*mentor as usize] += 1;
    }
    let leaving = load.iter().position(|&l| l == CAPACITY).unwrap() as u32;
    let affected: Vec<u32> =
        (0..problem.mentees).filter(|&i| current.mentor_of[i as usize] == Some(leaving)).collect();
    let mut without = problem.clone();
    without.capacities[leaving as usize] = 0;
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let after = solver::replace(&without, current, &affected, &[]).unwrap();
        times.push(started.elapsed().as_secs_f64() * 1_000.0);
        assert!(after.mentor_of.iter().all(|m| *m != Some(leaving)), "nobody keeps the mentor who left");
    }
    times.sort_by(f64::total_cmp);
    (affected.len(), times[times.len() / 2])
}

/// The optimum by the Hungarian algorithm: rows are mentees, columns are mentor slots (padded
/// with empty columns if there are more mentees than slots); a forbidden pair weighs 0, as much as
/// leaving the mentee unmatched.
fn hungarian(problem: &Problem) -> i64 {
    let slots: Vec<usize> = problem
        .capacities
        .iter()
        .enumerate()
        .flat_map(|(j, &c)| std::iter::repeat_n(j, c as usize))
        .collect();
    let mentees = problem.mentees as usize;
    let mentors = problem.capacities.len();
    let mut score = vec![0_i64; mentees * mentors];
    for e in &problem.edges {
        let cell = &mut score[e.mentee as usize * mentors + e.mentor as usize];
        *cell = (*cell).max(e.score);
    }
    let columns = slots.len().max(mentees);
    let weights =
        Matrix::from_fn(mentees, columns, |(i, c)| slots.get(c).map_or(0, |&j| score[i * mentors + j]));
    drop(score);
    kuhn_munkres(&weights).0
}

/// Resets the peak resident set (`VmHWM`) to the current one; returns the current one in KiB,
/// or None where the kernel does not allow it (then no memory figure is reported).
fn reset_peak() -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    status_kib("VmRSS:")
}

fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix(key))?.trim().trim_end_matches("kB").trim().parse().ok()
}

/// Every pair allowed; everyone ranks the mentors alike (1–100 by rank) plus 0–9 of their own.
fn dense_instance(mentees: u32, mentors: u32, seed: u64) -> Problem {
    let mut rng = Rng(seed);
    let mut edges = Vec::with_capacity(mentees as usize * mentors as usize);
    for mentee in 0..mentees {
        for mentor in 0..mentors {
            let rank = i64::from(mentor) * 100 / i64::from(mentors);
            edges.push(Edge { mentee, mentor, score: 1 + rank + rng.below(10) as i64 });
        }
    }
    Problem { mentees, capacities: vec![CAPACITY; mentors as usize], edges }
}

/// A person: the languages they speak (bit set) and a level per competency (0: none).
struct Person {
    languages: u8,
    levels: [u8; COMPETENCIES],
}

/// The deterministic instance for a seed; see the file's doc for the model.
fn instance(mentees: u32, mentors: u32, seed: u64) -> Problem {
    let mut rng = Rng(seed);
    // Popular competencies are wanted more often: weight 12 for the first, down to 2.
    let popularity: Vec<u64> = (0..COMPETENCIES as u64).map(|c| 12 - c * 10 / 34).collect();
    let uniform = vec![1_u64; COMPETENCIES];
    let wants: Vec<Person> = (0..mentees).map(|_| person(&mut rng, &popularity, 3, 6, 2)).collect();
    let offers: Vec<Person> = (0..mentors).map(|_| person(&mut rng, &uniform, 8, 15, 1)).collect();
    let mut edges = Vec::new();
    for (i, mentee) in wants.iter().enumerate() {
        for (j, mentor) in offers.iter().enumerate() {
            if mentee.languages & mentor.languages == 0 {
                continue;
            }
            let mut score = 0;
            let mut covered_all = true;
            for (&want, &offer) in mentee.levels.iter().zip(&mentor.levels) {
                if want == 0 {
                    continue;
                }
                if offer == 0 {
                    covered_all = false;
                } else {
                    score += 10 + 5 * i64::from(offer.min(want));
                }
            }
            if score > 0 {
                score += if covered_all { 15 } else { 0 };
                edges.push(Edge { mentee: i as u32, mentor: j as u32, score });
            }
        }
    }
    Problem { mentees, capacities: vec![CAPACITY; mentors as usize], edges }
}

/// Draws a person with `low..=high` distinct competencies (by `weights`) at levels
/// `min_level..=4`, and one language, or two for 30 %.
fn person(rng: &mut Rng, weights: &[u64], low: u64, high: u64, min_level: u64) -> Person {
    let mut levels = [0_u8; COMPETENCIES];
    let count = low + rng.below(high - low + 1);
    let mut left: u64 = weights.iter().sum();
    let mut chosen = 0;
    while chosen < count {
        let mut pick = rng.below(left);
        for (c, &w) in weights.iter().enumerate() {
            if levels[c] != 0 {
                continue;
            }
            if pick < w {
                levels[c] = (min_level + rng.below(5 - min_level)) as u8;
                left -= w;
                chosen += 1;
                break;
            }
            pick -= w;
        }
    }
    let language = |rng: &mut Rng| {
        let mut pick = rng.below(LANGUAGES.iter().sum());
        LANGUAGES
            .iter()
            .position(|&w| {
                let hit = pick < w;
                pick = pick.saturating_sub(w);
                hit
            })
            .unwrap_or(0)
    };
    let mut languages = 1 << language(rng);
    if rng.below(10) < 3 {
        languages |= 1 << language(rng);
    }
    Person { languages, levels }
}

/// SplitMix64: small, fast and good enough for test data; the seed fixes every instance.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

fn seconds(s: f64) -> String {
    if s < 1.0 { format!("{:.1} ms", s * 1_000.0) } else { format!("{s:.2} s") }
}

fn mebibytes(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
