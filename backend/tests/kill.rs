//! `kill -9` in the middle of a course import (RELIABILITY.md B5 #8): a 300-lesson package is
//! imported by the real `lantern import` in a child process, killed at instants spread over the
//! import. After each kill the SQLite database passes `integrity_check` and `foreign_key_check`,
//! the course is either all there (every lesson) or not there at all, and every media object the
//! database records is whole in the store. Then the import runs to the end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::courses::package::{self, LessonSpec, Limits, ModuleSpec, PackageFiles};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use std::path::Path;
use std::time::{Duration, Instant};

mod common;

use common::lantern;

const LESSONS: usize = 300;

/// The demo's hand-hygiene course grown to LESSONS lessons in ten modules, as a package folder.
fn big_package(dir: &Path) {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/courses/hand-hygiene");
    let files = PackageFiles::from_dir(&content, Limits::default()).unwrap();
    let mut package = package::parse(&files, None).unwrap();
    package.slug = "big-course".into();
    package.title = "A very long course".into();
    let model: LessonSpec = package.modules[0].lessons[0].clone();
    let quiz = package.modules[0].quiz.clone();
    package.modules = (0..10)
        .map(|m| ModuleSpec {
            title: format!("Module {m}"),
            lessons: (0..LESSONS / 10)
                .map(|l| {
                    let n = m * LESSONS / 10 + l;
                    LessonSpec {
                        path: format!("lessons/{n:03}-lesson-{n}.md"),
                        slug: format!("lesson-{n}"),
                        title: format!("Lesson {n}"),
                        ..model.clone()
                    }
                })
                .collect(),
            quiz: if m == 0 { quiz.clone() } else { None },
        })
        .collect();
    package::write_to_dir(&package::write(&package).unwrap(), dir).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

async fn number(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn text(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let rows = db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap();
    rows.iter().map(|row| row.try_get_by_index::<String>(0).unwrap()).collect()
}

/// What must hold after any kill: a sound database, the course whole or absent, objects whole.
async fn check(data: &Path, after: &str) -> bool {
    let db = Database::connect(format!("sqlite://{}/lantern.db", data.display())).await.unwrap();
    assert_eq!(text(&db, "PRAGMA integrity_check").await, ["ok"], "{after}");
    assert!(text(&db, "PRAGMA foreign_key_check").await.is_empty(), "{after}");
    let versions = number(&db, "SELECT COUNT(*) FROM course_version v JOIN course c ON c.id = v.course_id WHERE c.slug = 'big-course'").await;
    let lessons = number(&db, "SELECT COUNT(*) FROM lesson l JOIN course_version v ON v.id = l.version_id JOIN course c ON c.id = v.course_id WHERE c.slug = 'big-course'").await;
    assert!(versions <= 1, "{after}: {versions} versions");
    assert_eq!(lessons, versions * LESSONS as i64, "{after}: all {LESSONS} lessons or none");
    let objects = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT sha256, size_bytes FROM media_object",
        ))
        .await
        .unwrap();
    for object in objects {
        let sha256: String = object.try_get_by_index(0).unwrap();
        let size: i64 = object.try_get_by_index(1).unwrap();
        let file = data.join("media").join(&sha256[..2]).join(&sha256);
        let stored = std::fs::metadata(&file).map(|m| m.len() as i64).unwrap_or(-1);
        assert_eq!(stored, size, "{after}: object {sha256} recorded and whole in the store");
    }
    db.close().await.unwrap();
    versions == 1
}

#[tokio::test]
async fn an_import_killed_at_any_instant_leaves_the_course_whole_or_absent_and_runs_again() {
    let temp = tempfile::tempdir().unwrap();
    let (data, folder) = (temp.path().join("data"), temp.path().join("big-course"));
    big_package(&folder);
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let output = lantern(&data, &["import", content.to_str().unwrap()]).output().unwrap();
    assert!(output.status.success(), "demo imported: {}", String::from_utf8_lossy(&output.stderr));

    let folder = folder.to_str().unwrap();
    // How long an import takes here, timed on a copy: the kills are spread over that time.
    let scratch = temp.path().join("scratch");
    copy_dir(&data, &scratch);
    let started = Instant::now();
    assert!(lantern(&scratch, &["import", folder]).status().unwrap().success());
    let whole = started.elapsed();
    eprintln!("a whole import of {LESSONS} lessons: {whole:?}");

    let mut killed = 0;
    for tenth in 1..=9 {
        let delay = whole * tenth / 10;
        let mut child = lantern(&data, &["import", folder]).spawn().unwrap();
        let started = Instant::now();
        while started.elapsed() < delay && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(1));
        }
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        let status = child.wait().unwrap();
        let after = format!("import killed after {delay:?} ({status})");
        let there = check(&data, &after).await;
        eprintln!("{after}: course {}", if there { "whole" } else { "absent" });
        if there {
            break; // It finished before this kill: later instants would only repeat this.
        }
        assert!(!finished, "{after}: an import that ran to the end left no course");
    }
    assert!(killed >= 5, "killed only {killed} times: the import was too quick to cut");

    let output = lantern(&data, &["import", folder]).output().unwrap();
    assert!(output.status.success(), "runs again: {}", String::from_utf8_lossy(&output.stderr));
    assert!(check(&data, "the import run to the end").await, "the course is there");
}
