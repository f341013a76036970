//! Media, end to end: delivery (ranges, 416, ETag/304, immutable caching, HEAD), one stored copy
//! per content, image variants made and served, metadata stripped, data saver, MP4 fast start,
//! refusals that store nothing, and a 1 GB file streamed with flat memory. The same suite runs on
//! local files and, in CI, on Garage (`LANTERN_TEST_S3_*`, see `.ci/run`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use futures_util::StreamExt;
use lantern::courses::package;
use lantern_tests::{TestApp, with_media, zip_package};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use std::io::Write;

const GPS_PHOTO: &[u8] = include_bytes!("../fixtures/media/gps_rot6.jpg");
const SLOW_START_MP4: &[u8] = include_bytes!("../fixtures/media/video_moov_end.mp4");

/// The `/media/…` addresses a page refers to (src, srcset, href), without duplicates.
fn media_addresses(html: &str) -> Vec<String> {
    let mut found: Vec<String> =
        html.split(['"', ' ', ',']).filter(|part| part.starts_with("/media/")).map(str::to_owned).collect();
    found.sort();
    found.dedup();
    found
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn media_answer_ranges_etags_and_cache_for_a_year() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let page = browser.get_text("/courses/hand-hygiene/lessons/the-five-moments").await;
    let original = media_addresses(&page)
        .into_iter()
        .find(|a| a.len() == "/media/".len() + 64)
        .or_else(|| {
            // The page shows variants; their object is the part before the width.
            media_addresses(&page).first().map(|a| a.rsplit_once('/').unwrap().0.to_owned())
        })
        .expect("the lesson shows an image");
    let whole = browser.get(&original).await;
    assert_eq!(whole.status(), StatusCode::OK);
    let headers = whole.headers().clone();
    assert!(!headers.contains_key("set-cookie"), "public media sets no cookie (shared caches keep it)");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(headers["accept-ranges"], "bytes");
    assert!(headers["content-type"].to_str().unwrap().starts_with("image/"), "{headers:?}");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let body = whole.bytes().await.unwrap();
    assert_eq!(headers["content-length"].to_str().unwrap(), body.len().to_string());
    let size = body.len();

    let client = reqwest::Client::new();
    let url = browser.url(&original);
    let part = client.get(&url).header("Range", "bytes=10-19").send().await.unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.headers()["content-range"], format!("bytes 10-19/{size}").as_str());
    assert_eq!(part.bytes().await.unwrap(), body.slice(10..20));
    let tail = client.get(&url).header("Range", "bytes=-7").send().await.unwrap();
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes().await.unwrap(), body.slice(size - 7..));
    let open = client.get(&url).header("Range", format!("bytes={}-", size - 3)).send().await.unwrap();
    assert_eq!(open.bytes().await.unwrap(), body.slice(size - 3..));

    let beyond = client.get(&url).header("Range", format!("bytes={size}-")).send().await.unwrap();
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(beyond.headers()["content-range"], format!("bytes */{size}").as_str());

    let again = client.get(&url).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
    let stale_range =
        client.get(&url).header("Range", "bytes=0-0").header("If-Range", "\"other\"").send().await.unwrap();
    assert_eq!(stale_range.status(), StatusCode::OK, "If-Range with another tag gets the whole body");

    let head = client.head(&url).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["content-length"].to_str().unwrap(), size.to_string());

    for missing in [
        "/media/0000000000000000000000000000000000000000000000000000000000000000",
        "/media/not-a-hash",
        "/media/../../etc/passwd",
    ] {
        assert_eq!(client.get(browser.url(missing)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn published_images_have_phone_sized_variants_and_data_savers_get_links() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let page = browser.get_text("/courses/hand-hygiene/lessons/the-five-moments").await;
    let document = lantern_tests::html(&page);
    let img =
        document.select(&scraper::Selector::parse("article picture img").unwrap()).next().expect("a picture");
    for attribute in ["srcset", "sizes", "width", "height", "alt"] {
        assert!(img.value().attr(attribute).is_some_and(|v| !v.is_empty()), "img has {attribute}: {page}");
    }
    assert_eq!(img.value().attr("loading"), Some("lazy"));
    let webp = document
        .select(&scraper::Selector::parse("article picture source[type='image/webp']").unwrap())
        .next()
        .expect("a WebP source");
    let candidates: Vec<&str> = webp.value().attr("srcset").unwrap().split(',').map(str::trim).collect();
    assert!(candidates.iter().any(|c| c.contains(".webp ")), "{candidates:?}");
    for candidate in candidates.iter().filter(|c| c.split(' ').next().unwrap().ends_with(".webp")) {
        let address = candidate.split(' ').next().unwrap();
        let response = browser.get(address).await;
        assert_eq!(response.status(), StatusCode::OK, "{address}");
        assert_eq!(response.headers()["content-type"], "image/webp");
        let bytes = response.bytes().await.unwrap();
        assert_eq!(&bytes[..4], b"RIFF");
        assert!(matches!(&bytes[12..16], b"VP8 " | b"VP8L" | b"VP8X"), "a WebP image");
    }
    // The phone's variant is smaller than the original.
    let first = candidates[0].split(' ').next().unwrap();
    let object = first.rsplit_once('/').unwrap().0;
    let original = browser.get(object).await.bytes().await.unwrap().len();
    let small = browser.get(candidates[0].split(' ').next().unwrap()).await.bytes().await.unwrap().len();
    assert!(small < original, "360 px WebP {small} B < original {original} B");

    // Data saver, by the browser's header: links that say the size, no image downloaded.
    let saver = reqwest::Client::new()
        .get(browser.url("/courses/hand-hygiene/lessons/the-five-moments"))
        .header("Save-Data", "on")
        .send()
        .await
        .unwrap();
    assert!(saver.headers()["vary"].to_str().unwrap().contains("Save-Data"));
    let saver = saver.text().await.unwrap();
    let document = lantern_tests::html(&saver);
    assert_eq!(document.select(&scraper::Selector::parse("article img").unwrap()).count(), 0, "{saver}");
    let link = document.select(&scraper::Selector::parse("article a.saved-image").unwrap()).next().unwrap();
    let text = link.text().collect::<String>();
    assert!(text.contains(" KB)"), "the link says the size: {text}");
    assert!(link.value().attr("href").unwrap().starts_with(object), "the smallest variant of the image");

    // Data saver, by the learner's setting.
    let learner = app.sign_up("Dembe Saver", "dembe@example.org").await;
    let settings = lantern_tests::html(&learner.get_text("/account").await);
    let form = settings.select(&scraper::Selector::parse("form[action='/account']").unwrap()).next().unwrap();
    let mut fields: Vec<(String, String)> = Vec::new();
    for input in form.select(&scraper::Selector::parse("input, select").unwrap()) {
        let element = input.value();
        let (Some(name), kind) = (element.attr("name"), element.attr("type").unwrap_or("text")) else {
            continue;
        };
        if name == "csrf_token" || name == "data_saver" {
            continue;
        }
        let value = if element.name() == "select" {
            input
                .select(&scraper::Selector::parse("option[selected]").unwrap())
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or("")
        } else if kind == "radio" && element.attr("checked").is_none() {
            continue;
        } else {
            element.attr("value").unwrap_or("")
        };
        fields.push((name.to_owned(), value.to_owned()));
    }
    fields.push(("data_saver".into(), "on".into()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = learner.post_form("/account", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", response.text().await.unwrap());
    let page = learner.get_text("/courses/hand-hygiene/lessons/the-five-moments").await;
    assert!(page.contains("saved-image") && !page.contains("<picture"), "{page}");
}

#[tokio::test]
async fn the_same_file_is_stored_once_and_photos_lose_their_location() {
    let app = TestApp::spawn().await;
    let before = count(&app, "select count(*) from media_object").await;
    let package = app.state.courses.export("hand-hygiene").await.unwrap();
    let package = with_media(
        package,
        "ward-round.jpg",
        GPS_PHOTO,
        "![A nurse cleaning her hands with handrub at the bedside](../media/ward-round.jpg)",
    );
    app.state.courses.import_package(&package, None).await.unwrap();
    // Every earlier image was already stored: only the photo and its variants are new.
    assert_eq!(count(&app, "select count(*) from media_object").await, before + 1);
    let mut again = app.state.courses.export("hand-hygiene").await.unwrap();
    again.modules[0].lessons[0].markdown.push_str("\n\nOne more line.\n");
    let files = package::write(&again).unwrap();
    app.state
        .courses
        .import_package(&package::parse(&files, Some("hand-hygiene")).unwrap(), None)
        .await
        .unwrap();
    assert_eq!(count(&app, "select count(*) from media_object").await, before + 1, "stored once");

    let page = app.browser().get_text("/courses/hand-hygiene/lessons/why-hands-matter").await;
    let addresses = media_addresses(&page);
    assert!(!addresses.is_empty(), "{page}");
    for address in addresses {
        let bytes = app.browser().get(&address).await.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Exif") && !text.contains("GPS"), "{address} carries no EXIF or GPS");
    }
    // The photo's original as stored has no metadata either.
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "select sha256 from media_object where content_type = 'image/jpeg' order by id desc",
        ))
        .await
        .unwrap()
        .unwrap();
    let sha: String = row.try_get_by_index(0).unwrap();
    let stored = app.browser().get(&format!("/media/{sha}")).await.bytes().await.unwrap();
    assert!(!stored.windows(6).any(|w| w == b"Exif\0\0"), "no EXIF block in the stored original");
    assert_eq!(&stored[..3], &[0xFF, 0xD8, 0xFF]);
}

#[tokio::test]
async fn videos_are_moved_to_fast_start_and_say_their_length_and_size() {
    let app = TestApp::spawn().await;
    let package = app.state.courses.export("hand-hygiene").await.unwrap();
    let package = with_media(
        package,
        "handrub.mp4",
        SLOW_START_MP4,
        "![Handrub technique, all six steps](../media/handrub.mp4)",
    );
    app.state.courses.import_package(&package, None).await.unwrap();
    let page = app.browser().get_text("/courses/hand-hygiene/lessons/why-hands-matter").await;
    let document = lantern_tests::html(&page);
    let video = document.select(&scraper::Selector::parse("article video").unwrap()).next().expect("a video");
    assert_eq!(video.value().attr("preload"), Some("none"), "nothing downloads before a tap");
    let facts = document
        .select(&scraper::Selector::parse("article .media-facts").unwrap())
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert!(facts.contains("0:0") && facts.contains("KB"), "length and size shown: {facts}");
    let address = video.value().attr("src").unwrap();
    let bytes = app.browser().get(address).await.bytes().await.unwrap();
    let info = lantern::media::av::inspect("video/mp4", &mut std::io::Cursor::new(bytes.as_ref()))
        .expect("a readable MP4");
    assert!(info.fast_start, "the moov box comes before the media data");
    let original =
        lantern::media::av::inspect("video/mp4", &mut std::io::Cursor::new(SLOW_START_MP4)).unwrap();
    assert!(!original.fast_start, "the fixture really was slow to start");
    assert_eq!(info.duration_ms, original.duration_ms);
}

#[tokio::test]
async fn wrong_types_and_oversized_files_are_refused_by_name_and_nothing_is_stored() {
    let app = TestApp::spawn_with(|config| config.media.image_max_mb = 1).await;
    let admin = app.platform_admin("root@example.org").await;
    let author = app.sign_up("Abena Author", "abena@example.org").await;
    app.join(&admin, &author, "abena@example.org", "eanma", "author").await;
    let objects = count(&app, "select count(*) from media_object").await;
    let stored_files = || walk(&app.data_dir.join("media"));
    let files_before = stored_files();

    let exported = app.state.courses.export("hand-hygiene").await.unwrap();
    let executable: Vec<u8> = b"MZ\x90\x00\x03 this is a program, not a picture".repeat(40);
    // Padded with bytes that do not compress, so that the zip's own bomb guard lets it through.
    let mut big_png = GPS_PHOTO.to_vec();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    while big_png.len() < 1024 * 1024 + 10 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        big_png.extend_from_slice(&state.to_le_bytes());
    }
    for (file, bytes, expected) in [
        ("diagram.png", executable.as_slice(), "media/diagram.png"),
        ("huge.jpg", big_png.as_slice(), "1.0 MB; an image may be at most 1 MB"),
    ] {
        let package = with_media(
            exported.clone(),
            file,
            bytes,
            &format!("![A diagram of the hand-washing steps](../media/{file})"),
        );
        let zipped = zip_package(&package::write(&package).unwrap());
        let response =
            author.post_multipart("/orgs/eanma/courses", &[], ("package", "course.zip", zipped)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{file}");
        let text = response.text().await.unwrap();
        assert!(text.contains(&format!("media/{file}")) && text.contains(expected), "{file}: {text}");
    }
    assert_eq!(count(&app, "select count(*) from media_object").await, objects, "no object recorded");
    if lantern_tests::test_s3().is_none() {
        assert_eq!(stored_files(), files_before, "no file stored");
    }
}

/// Every file under a folder.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(walk(&path));
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The resident memory of this process (server and client both), in bytes.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

#[tokio::test]
async fn a_one_gigabyte_file_streams_with_flat_memory() {
    const SIZE: u64 = 1024 * 1024 * 1024;
    let app = TestApp::spawn().await;
    // A 1 GB "video" written in 1 MiB pieces, never whole in memory.
    let path = app.data_dir.join("big.mp4");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut piece = vec![0u8; 1024 * 1024];
        for i in 0..(SIZE / piece.len() as u64) {
            piece[..8].copy_from_slice(&i.to_le_bytes());
            file.write_all(&piece).unwrap();
        }
    }
    // Stored from the file in pieces (S3: a multipart upload), never whole in memory.
    let before = resident_bytes();
    let (sha, size) = app.state.media.storage().put_file(&path).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(size, SIZE);
    let stored = resident_bytes().saturating_sub(before);
    println!("1 GB stored; resident memory grew by {} MiB", stored / (1024 * 1024));
    assert!(stored < 128 * 1024 * 1024, "storing kept memory flat: grew {} MiB", stored / (1024 * 1024));
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        format!(
            "insert into media_object (sha256, content_type, size_bytes, created_at, kind) \
             values ('{sha}', 'video/mp4', {SIZE}, '2026-11-22 09:00:00+00:00', 'video')"
        ),
    ))
    .await
    .unwrap();

    // Delivered from the store as a stream; measured from here, so the upload's buffers (which
    // the allocator keeps) are not counted twice.
    let before = resident_bytes();
    // No overall timeout: through an S3 store on a busy machine, 1 GB takes a while.
    let response =
        reqwest::Client::new().get(app.browser().url(&format!("/media/{sha}"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-length"].to_str().unwrap(), SIZE.to_string());
    let mut stream = response.bytes_stream();
    let (mut received, mut peak) = (0u64, 0u64);
    while let Some(chunk) = stream.next().await {
        received += chunk.unwrap().len() as u64;
        if received % (64 * 1024 * 1024) < 300_000 {
            peak = peak.max(resident_bytes());
        }
    }
    assert_eq!(received, SIZE);
    let grown = peak.saturating_sub(before);
    println!("1 GB streamed; resident memory grew by {} MiB", grown / (1024 * 1024));
    assert!(grown < 128 * 1024 * 1024, "memory stayed flat: grew {} MiB", grown / (1024 * 1024));

    // A range deep inside comes straight from the store.
    let tail = reqwest::Client::new()
        .get(app.browser().url(&format!("/media/{sha}")))
        .header("Range", format!("bytes={}-{}", SIZE - 1024 * 1024, SIZE - 1024 * 1024 + 7))
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes().await.unwrap().as_ref(), &(SIZE / (1024 * 1024) - 1).to_le_bytes());
}

/// Small ranges are cut from 256 KiB blocks that the server keeps in memory: a range across two
/// blocks, the short last block, the same range again (from memory), and with the memory cache
/// turned off, each from the store.
#[tokio::test]
async fn small_ranges_across_blocks_come_back_exact_with_and_without_the_memory_cache() {
    // 700,001 bytes: two whole blocks and a short third; each byte says where it is.
    let object: Vec<u8> = (0..700_001u32).map(|i| (i % 251) as u8).collect();
    for cache_mb in [64, 0] {
        let app = TestApp::spawn_with(|config| config.media.memory_cache_mb = cache_mb).await;
        let sha = app.state.media.storage().put(&object).await.unwrap();
        let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
        db.execute_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "insert into media_object (sha256, content_type, size_bytes, created_at, kind) \
                 values ('{sha}', 'application/pdf', {}, '2026-11-22 09:00:00+00:00', 'document')",
                object.len()
            ),
        ))
        .await
        .unwrap();
        let url = app.browser().url(&format!("/media/{sha}"));
        let block = 256 * 1024;
        let ranges = [
            (0, 65_535),
            (block - 10, block + 9),             // across the first two blocks
            (2 * block - 65_536, 2 * block - 1), // the end of a block, exactly
            (2 * block + 5, 700_000),            // in the short last block, to the end
            (block - 10, block + 9),             // again: from memory when kept
            (699_990, 700_000),
        ];
        for (first, last) in ranges {
            let response = reqwest::Client::new()
                .get(&url)
                .header("Range", format!("bytes={first}-{last}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT, "{first}-{last}, cache {cache_mb} MB");
            assert_eq!(
                response.headers()["content-range"].to_str().unwrap(),
                format!("bytes {first}-{last}/{}", object.len())
            );
            let body = response.bytes().await.unwrap();
            assert!(body[..] == object[first..=last], "bytes {first}-{last} differ, cache {cache_mb} MB");
        }
        // A range larger than a block streams from the store in chunks.
        let whole = reqwest::Client::new().get(&url).header("Range", "bytes=0-").send().await.unwrap();
        assert_eq!(whole.bytes().await.unwrap().len(), object.len());
    }
}

/// The bytes a learner's phone downloads for the images of every demo lesson: the originals, the
/// variant a 360 px wide phone at 2× density picks (720 px WebP), and with data saver on (none
/// until tapped). Printed as the README's table; run with `--nocapture` to see it.
#[tokio::test]
async fn demo_lessons_cost_fewer_bytes_as_variants_and_fewer_still_with_data_saver() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let (mut originals, mut pages, mut saver_pages) = (0usize, 0usize, 0usize);
    let (mut one_x, mut two_x) = (0usize, 0usize);
    let catalogue = lantern_tests::html(&browser.get_text("/courses").await);
    let courses: Vec<String> = catalogue
        .select(&scraper::Selector::parse("a[href^='/courses/']").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| href.matches('/').count() == 2)
        .map(str::to_owned)
        .collect();
    assert!(courses.len() >= 5, "{courses:?}");
    for course in courses {
        let outline = lantern_tests::html(&browser.get_text(&course).await);
        let lessons: Vec<String> = outline
            .select(&scraper::Selector::parse("a[href*='/lessons/']").unwrap())
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect();
        for lesson in lessons {
            let page = browser.get_text(&lesson).await;
            pages += page.len();
            let saver = reqwest::Client::new()
                .get(browser.url(&lesson))
                .header("Save-Data", "on")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            saver_pages += saver.len();
            let document = lantern_tests::html(&page);
            for img in document.select(&scraper::Selector::parse("article picture").unwrap()) {
                // What a 360 px wide phone picks: the narrowest candidate at least 360 (1×) or
                // 720 (2×) pixels wide, from the WebP source when there is one.
                let source = img.select(&scraper::Selector::parse("source").unwrap()).next();
                let fallback = img.select(&scraper::Selector::parse("img").unwrap()).next().unwrap();
                let srcset = source.unwrap_or(fallback).value().attr("srcset").unwrap();
                let mut list: Vec<(u32, String)> = srcset
                    .split(',')
                    .map(|c| {
                        let (url, width) = c.trim().split_once(' ').unwrap();
                        (width.trim_end_matches('w').parse().unwrap(), url.to_owned())
                    })
                    .collect();
                list.sort();
                let pick =
                    |want: u32| list.iter().find(|(w, _)| *w >= want).or(list.last()).unwrap().1.clone();
                one_x += browser.get(&pick(360)).await.bytes().await.unwrap().len();
                two_x += browser.get(&pick(720)).await.bytes().await.unwrap().len();
                let original = fallback.value().attr("src").unwrap();
                let object = if original.matches('/').count() == 3 {
                    original.rsplit_once('/').unwrap().0
                } else {
                    original
                };
                originals += browser.get(object).await.bytes().await.unwrap().len();
            }
        }
    }
    println!("| demo lessons | page HTML | images | total |");
    println!("|---|---|---|---|");
    let row = |name: &str, page: usize, images: usize| {
        println!("| {name} | {} KB | {} KB | {} KB |", page / 1024, images / 1024, (page + images) / 1024)
    };
    row("originals", pages, originals);
    row("variants, 360 px phone at 1x", pages, one_x);
    row("variants, 360 px phone at 2x", pages, two_x);
    row("data saver (images not loaded)", saver_pages, 0);
    assert!(originals > 0 && one_x < originals && two_x <= originals, "{one_x} / {two_x} / {originals}");
}

/// The `base` fingerprint a page's forms carry.
fn base(page: &str) -> String {
    let document = lantern_tests::html(page);
    let selector = scraper::Selector::parse("input[name=base]").unwrap();
    document.select(&selector).next().expect("a base field").value().attr("value").unwrap().to_owned()
}

#[tokio::test]
async fn an_author_adds_a_photo_to_a_lesson_in_the_browser_and_a_bad_file_is_refused_by_name() {
    let app = TestApp::spawn().await;
    let admin = app.platform_admin("root@example.org").await;
    let author = app.sign_up("Abena Author", "abena@example.org").await;
    app.join(&admin, &author, "abena@example.org", "eanma", "author").await;
    let published = "/orgs/eanma/courses/hand-hygiene/versions/1";
    assert_eq!(author.post_form(&format!("{published}/draft"), &[]).await.status(), StatusCode::SEE_OTHER);
    let lesson = "/orgs/eanma/courses/hand-hygiene/versions/2/lessons/why-hands-matter";
    let page = author.get_text(lesson).await;
    assert!(page.contains("enctype=\"multipart/form-data\""), "the lesson editor offers an upload");

    // A program renamed .jpg: refused, named, nothing saved.
    let refused = author
        .post_multipart(
            &format!("{lesson}/media"),
            &[("base", &base(&page)), ("caption", "A nurse at a sink")],
            ("file", "Sink Photo.jpg", b"MZ\x90\x00 not a photo at all".repeat(20)),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text().await.unwrap();
    assert!(text.contains("media/sink-photo.jpg") && text.contains("not a file Lantern accepts"), "{text}");

    // No caption: refused by field.
    let page = author.get_text(lesson).await;
    let response = author
        .post_multipart(
            &format!("{lesson}/media"),
            &[("base", &base(&page))],
            ("file", "ward.jpg", GPS_PHOTO.to_vec()),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A real photo with its caption: placed at the end of the lesson, cleaned of its location.
    let response = author
        .post_multipart(
            &format!("{lesson}/media"),
            &[("base", &base(&page)), ("caption", "A nurse cleaning her hands at the bedside")],
            ("file", "Ward Round.JPG", GPS_PHOTO.to_vec()),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", response.text().await.unwrap());
    let page = author.get_text(lesson).await;
    assert!(
        page.contains("![A nurse cleaning her hands at the bedside](")
            && page.contains("media/ward-round.jpg)"),
        "{page}"
    );
    let draft = app.state.courses.export("hand-hygiene").await.unwrap();
    assert!(!draft.media.contains_key("media/ward-round.jpg"), "the published version is untouched");
}
