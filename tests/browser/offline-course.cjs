// A course saved for offline at phone size (360 px), JavaScript on: a learner enrols, reads the size
// shown, taps "Save for offline" and waits until it is saved; with no network she opens a lesson
// (its text and its picture show), opens the quiz, starts it, answers every question right and
// submits: the answers wait on the phone. With the network back, a page load sends them, and the
// server shows exactly one submitted attempt with its score, even after the same answers are sent
// again; online, forms still pass through the worker. My learning lists the saved course, which
// she removes; signing out leaves nothing kept.
// Runs after flows.cjs on the same server. Usage (tests/browser/run.sh does all of it):
//   node tests/browser/offline-course.cjs BASE_URL DATA_DIR OUT_DIR
const { check, launch, phone, screenshot } = require('./phone.cjs');
const fs = require('node:fs');
const path = require('node:path');

const [base, dataDir, out] = process.argv.slice(2);
const course = 'hand-hygiene';
const lesson = 'the-five-moments';
fs.mkdirSync(out, { recursive: true });
let shots = 0;

// A full-page screenshot; wider than the viewport means the page scrolls sideways on a phone.
async function shot(page, name) {
  const file = path.join(out, `offline-course-${String(++shots).padStart(2, '0')}-${name}.png`);
  await screenshot(page, file, name);
  const heading = await page.locator('h1').first().textContent().catch(() => '');
  console.log(`${file}  ${heading.trim()}`);
}

// The ids of every right quiz option, read from the server's SQLite database.
function rightOptions() {
  const script = 'import sqlite3,sys; print(",".join(str(r[0]) for r in sqlite3.connect(sys.argv[1]).execute("select id from question_option where correct")))';
  return new Set(require('node:child_process').execFileSync('python3', ['-c', script, path.join(dataDir, 'lantern.db')]).toString().trim().split(','));
}

// What waits in the phone's queue (the service worker's IndexedDB).
function queued(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('lantern-offline', 1);
        open.onsuccess = () => {
          const request = open.result.transaction('queue').objectStore('queue').getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

const keptCaches = (page) => page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('lantern-course:')));

// The attempts the quiz page lists, read from the server (online).
async function attemptsOnServer(context, quiz) {
  const response = await context.request.get(`${base}${quiz}`, { headers: { 'Cache-Control': 'no-cache' } });
  check(response.ok(), `the quiz page answers: ${response.status()}`);
  const html = await response.text();
  return [...html.matchAll(/<li class="row">([\s\S]*?)<\/li>/g)].map((m) => m[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

(async () => {
  const browser = await launch();
  try {
    const { context, page, errors } = await phone(browser);

    await page.goto(`${base}/sign-up`);
    await page.fill('#f-name', 'Odile Offline');
    await page.fill('#f-email', 'offline@example.org');
    await page.fill('#f-password', 'kettle orange lantern river');
    await page.click('main button[type=submit]');
    await page.goto(`${base}/courses/${course}`);
    await page.click('form[action$="/enrol"] button');

    // The size first, then saving.
    const section = page.locator('#offline-course');
    await section.waitFor({ state: 'visible', timeout: 15000 });
    await page.waitForFunction(() => /about .+ on this phone/.test(document.getElementById('offline-course-status').textContent));
    const size = await page.locator('#offline-course-status').textContent();
    check(/Saving this course keeps about \d+(\.\d)? (KB|MB) on this phone\./.test(size), `the size is shown first: ${size}`);
    await shot(page, 'course-size');
    await page.click('#offline-course-save');
    await page.waitForSelector('#offline-course[data-state=saved]', { timeout: 60000 });
    const saved = await page.locator('#offline-course-status').textContent();
    check(saved.startsWith('Saved on this phone on'), `saved, with its date and size: ${saved}`);
    check(await page.locator('#offline-course-remove').isVisible(), 'a Remove button');
    await shot(page, 'course-saved');
    const quiz = await page.locator('a[href*="/quizzes/"]').first().getAttribute('href');

    // No network.
    await context.setOffline(true);
    const lessonPage = await page.goto(`${base}/courses/${course}/lessons/${lesson}`);
    check(lessonPage && lessonPage.fromServiceWorker(), 'offline, the lesson comes from the service worker');
    check((await page.locator('h1').textContent()).includes('five moments'), 'the lesson text shows');
    const picture = page.locator('article picture img').first();
    await picture.scrollIntoViewIfNeeded();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await picture.elementHandle(), { timeout: 10000 });
    await shot(page, 'lesson-offline');

    await page.goto(`${base}${quiz}`);
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/attempts\/\d+$/);
    const right = rightOptions();
    let answered = 0;
    for (const input of await page.locator('input[name^=q]').all()) {
      if (right.has(await input.getAttribute('value'))) {
        await input.check();
        answered++;
      }
    }
    check(answered > 0, 'the kept attempt page has the questions');
    await shot(page, 'attempt-offline');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/offline\/saved$/);
    check(
      (await page.locator('main').textContent()).includes('Your answers are saved on this phone and will be sent when you are back online.'),
      'the answers wait on the phone',
    );
    await shot(page, 'answers-saved-offline');
    const waiting = await queued(page);
    check(waiting.length === 1, `one submission waits: ${waiting.length}`);
    check(/idempotency_key=[0-9a-f-]{36}$/.test(waiting[0].body), 'with its idempotency key');

    // The network is back: a page load sends what waits.
    await context.setOffline(false);
    await page.reload();
    await page.waitForSelector('html[data-offline-waiting="0"]', { timeout: 15000 });
    check((await queued(page)).length === 0, 'nothing waits any more');
    let attempts = await attemptsOnServer(context, quiz);
    check(attempts.length === 1, `one attempt on the server: ${JSON.stringify(attempts)}`);
    check(/100% · passed/.test(attempts[0]), `submitted, with its score: ${attempts[0]}`);

    // The same answers sent again (a lost reply, a second flush) change nothing.
    for (let i = 0; i < 2; i++) {
      const status = await page.evaluate(
        async ({ url, body }) =>
          (await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body })).status,
        waiting[0],
      );
      check(status === 200, `sent again: answered ${status}`);
    }
    await page.reload();
    await page.waitForSelector('html[data-offline-waiting="0"]', { timeout: 15000 });
    attempts = await attemptsOnServer(context, quiz);
    check(attempts.length === 1 && /100% · passed/.test(attempts[0]), `still one attempt: ${JSON.stringify(attempts)}`);
    await page.goto(`${base}${quiz}`);
    await shot(page, 'quiz-recorded-once');

    // Online, forms pass through the worker as before: a lesson marked read leads to the next,
    // and a new attempt is started, answered and scored at once.
    await page.goto(`${base}/courses/${course}/lessons/${lesson}`);
    await page.click('form.lesson-done button');
    await page.waitForURL((url) => !url.pathname.endsWith(lesson));
    check(page.url().includes('/lessons/'), `on to the next lesson: ${page.url()}`);
    await page.goto(`${base}${quiz}`);
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/attempts\/\d+$/);
    await page.click('main form button[type=submit]');
    await page.waitForSelector('div.alert[role=status]');
    check((await page.locator('div.alert[role=status]').textContent()).includes('You scored 0%'), 'scored online at once');
    check((await attemptsOnServer(context, quiz)).length === 2, 'a second attempt, online');

    // What is saved, and removing it.
    await page.goto(`${base}/learning`);
    const list = page.locator('#offline-saved-list li');
    await list.first().waitFor({ timeout: 15000 });
    check((await list.count()) === 1 && (await list.first().textContent()).toLowerCase().includes('hand hygiene'), 'My learning lists the saved course');
    await shot(page, 'learning-saved');
    await list.first().locator('button').click();
    await page.locator('#offline-saved-none').waitFor({ state: 'visible', timeout: 15000 });
    check((await keptCaches(page)).length === 0, 'removed: its cache is gone');
    await shot(page, 'learning-removed');

    // Saved again, then signing out leaves nothing of this learner on the phone.
    await page.goto(`${base}/courses/${course}`);
    await page.click('#offline-course-save');
    await page.waitForSelector('#offline-course[data-state=saved]', { timeout: 60000 });
    check((await keptCaches(page)).length === 1, 'saved again');
    await page.click('form[action="/sign-out"] button');
    await page.waitForURL(/notice=signed-out/);
    check((await keptCaches(page)).length === 0, 'signed out: nothing kept');

    check(errors.length === 0, `no script errors: ${errors.join(' | ')}`);
    await context.close();
    console.log(`offline course passed: ${shots} pages at 360 px`);
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
