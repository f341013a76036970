// The main flows in a real browser at phone size (360 px wide), JavaScript off: an association
// admin invites an author and a reviewer (the invitations arrive as .eml files), the author writes
// a course in the browser and submits it, the reviewer publishes it, an anonymous visitor finds it
// by search and reads it, a learner enrols and answers the quiz, works on her competencies and
// is matched with a mentor. Every page is screenshotted and
// must not scroll sideways. Usage (tests/browser/run.sh does all of it):
//   node tests/browser/flows.cjs BASE_URL DATA_DIR OUT_DIR ADMIN_EMAIL ADMIN_PASSWORD
const { chromium } = require('playwright-core');
const fs = require('node:fs');
const path = require('node:path');

const [base, dataDir, out, adminEmail, adminPassword] = process.argv.slice(2);
const password = 'kettle orange lantern river';
fs.mkdirSync(out, { recursive: true });
let shots = 0;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 360, height: 760 }, javaScriptEnabled: false });
  return context.newPage();
}

// A full-page screenshot; wider than the viewport means the page scrolls sideways on a phone.
async function shot(page, name) {
  const file = path.join(out, `${String(++shots).padStart(2, '0')}-${name}.png`);
  const png = await page.screenshot({ path: file, fullPage: true });
  const width = png.readUInt32BE(16);
  check(width <= 360, `${name} (${page.url()}) is ${width}px wide`);
  const status = await page.locator('h1').first().textContent().catch(() => '');
  console.log(`${file}  ${status.trim()}`);
}

// The newest link to `prefix` in an email to `to` (data/mail/*.eml, quoted-printable).
async function linkFromMail(to, prefix) {
  for (let i = 0; i < 100; i++) {
    const dir = path.join(dataDir, 'mail');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort() : [];
    for (const file of files.reverse()) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!text.includes(`To: ${to}`) && !text.includes(`<${to}>`)) continue;
      const found = text.match(new RegExp(`https?://[^\\s"<]*${prefix}[A-Za-z0-9_-]+`));
      if (found) return found[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${to} with ${prefix}`);
}

async function signUp(browser, name, email) {
  const page = await newPage(browser);
  await page.goto(`${base}/sign-up`);
  await page.fill('#f-name', name);
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await page.click('main button[type=submit]');
  return page;
}

async function invite(admin, email, role, org = 'eanma') {
  await admin.goto(`${base}/orgs/${org}`);
  await admin.fill('#f-email', email);
  await admin.selectOption('#f-role', role);
  await admin.click(`form[action="/orgs/${org}/invitations"] button[type=submit]`);
}

// The ids of every right quiz option, read from the server's SQLite database.
function rightOptions() {
  const script = 'import sqlite3,sys; print(",".join(str(r[0]) for r in sqlite3.connect(sys.argv[1]).execute("select id from question_option where correct")))';
  return new Set(require('node:child_process').execFileSync('python3', ['-c', script, path.join(dataDir, 'lantern.db')]).toString().trim().split(','));
}

async function accept(page, email) {
  await page.goto(await linkFromMail(email, '/invitations/'));
  await page.click('main form button[type=submit]');
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const admin = await newPage(browser);
    await admin.goto(`${base}/sign-in`);
    await admin.fill('#f-email', adminEmail);
    await admin.fill('#f-password', adminPassword);
    await admin.click('main button[type=submit]');
    await invite(admin, 'author@example.org', 'author');
    await shot(admin, 'organisation');
    await invite(admin, 'reviewer@example.org', 'reviewer');

    const author = await signUp(browser, 'Amina Author', 'author@example.org');
    await accept(author, 'author@example.org');
    const reviewer = await signUp(browser, 'Rashid Reviewer', 'reviewer@example.org');
    await accept(reviewer, 'reviewer@example.org');

    // The author writes a course.
    await author.goto(`${base}/orgs/eanma/courses/new`);
    await author.fill('#f-slug', 'Wound Care');
    await author.fill('#f-title', 'Wound care at the health centre');
    await author.click('main form button[type=submit]');
    check((await author.locator('.field.invalid').count()) >= 2, 'bad details are refused field by field');
    await shot(author, 'new-course-errors');
    await author.fill('#f-slug', 'wound-care');
    await author.fill('#f-summary', 'Clean, assess and dress a wound at a health centre.');
    await author.check('input[name=professions][value=nurse]');
    await author.fill('#f-topics', 'wound-care');
    await author.fill('#f-objectives', 'Assess a wound\nChoose a dressing');
    await author.click('main form button[type=submit]');
    await author.fill('#f-new-module', 'Dressings');
    await author.click('form:has(#f-new-module) button[type=submit]');
    await shot(author, 'draft');
    await author.click('ol.edit-list li a >> nth=0');
    await author.fill('#f-markdown', 'Clean from the centre outwards with clean water.\n\n> [!WARNING]\n> Never reuse gauze.');
    await author.click('button[value=preview]');
    check(await author.locator('.preview aside.callout').count() === 1, 'the preview renders the callout');
    await shot(author, 'lesson-preview');
    await author.click('button[value=save]');
    for (const module of [0, 1]) {
      const draft = author.url().replace(/\/lessons\/.*$/, '').replace(/\?.*$/, '');
      await author.goto(`${draft}/modules/${module}/quiz`);
      if (module === 0) await shot(author, 'quiz-editor');
      await author.click('button[value=save]');
    }
    await author.click('form[action$="/submit"] button');
    await shot(author, 'submitted');

    // The reviewer publishes.
    await reviewer.goto(`${base}/orgs/eanma/courses/wound-care/versions/1`);
    await reviewer.fill('#f-comment', 'Clear and correct.');
    await reviewer.click('form[action$="/approve"] button[type=submit]');
    check((await reviewer.content()).includes('published'), 'published');

    // Anyone finds it and reads it.
    const visitor = await newPage(browser);
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await visitor.goto(`${base}/search?q=wound+gauze`);
      found = (await visitor.locator('ol.results a[href="/courses/wound-care/lessons/wound-care-at-the-health-centre"]').count()) > 0;
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    check(found, 'the new lesson is found by search');
    await shot(visitor, 'search');
    await visitor.goto(`${base}/courses/wound-care/lessons/wound-care-at-the-health-centre`);
    check((await visitor.content()).includes('Never reuse gauze.'), 'the published lesson');
    await shot(visitor, 'lesson');
    for (const [url, name] of [['/', 'home'], ['/courses', 'catalogue'], ['/courses/hand-hygiene', 'course'],
      ['/courses/hand-hygiene/lessons/the-five-moments', 'demo-lesson'], ['/sign-in', 'sign-in']]) {
      await visitor.goto(`${base}${url}`);
      await shot(visitor, name);
    }

    // A learner enrols, reads and answers the quiz.
    const learner = await signUp(browser, 'Lerato Learner', 'learner@example.org');
    await learner.goto(`${base}/courses/hand-hygiene`);
    await learner.click('form[action$="/enrol"] button');
    await learner.goto(`${base}/courses/hand-hygiene/lessons/why-hands-matter`);
    await learner.click('form.lesson-done button');
    check(learner.url().includes('/lessons/'), 'on to the next lesson');
    await learner.goto(`${base}/courses/hand-hygiene`);
    const quiz = await learner.locator('a[href*="/quizzes/"]').first().getAttribute('href');
    await learner.goto(`${base}${quiz}`);
    await learner.click('main form button[type=submit]');
    await shot(learner, 'quiz-attempt');
    await learner.locator('input[type=radio]').first().check();
    await learner.click('main form button[type=submit]');
    await shot(learner, 'quiz-result');
    await learner.goto(`${base}/learning`);
    await shot(learner, 'my-learning');

    // Competencies: the framework, a self-assessment on the profile, gaps against a role, and
    // a colleague's observation that the learner co-signs.
    await learner.goto(`${base}/frameworks/primary-care-nursing-midwifery`);
    await shot(learner, 'framework');
    await learner.goto(`${base}/me/competencies`);
    await learner.selectOption('#f-code', 'IPC.2');
    await learner.selectOption('#f-level', '3');
    await learner.click('form[action^="/me/competencies/self"] button');
    check((await learner.content()).includes('you rate yourself'), 'self-assessment shown');
    await learner.goto(`${base}/me/competencies/gaps?role=rural-midwife`);
    await shot(learner, 'competency-gaps');
    const colleague = await signUp(browser, 'Grace Colleague', 'grace@example.org');
    await colleague.goto(`${base}/observations`);
    await colleague.fill('#f-learner', 'learner@example.org');
    await colleague.selectOption('#f-code', 'IPC.1');
    await colleague.selectOption('#f-level', '3');
    await colleague.check('input[value="observation-item-technique"]');
    await colleague.fill('#f-observed_on', new Date().toISOString().slice(0, 10));
    await colleague.click('form[action^="/observations?"] button[type=submit]');
    await shot(colleague, 'observation-recorded');
    await learner.goto(`${base}/me/competencies`);
    await learner.click('form[action$="/sign"] button');
    await shot(learner, 'competencies');
    check((await learner.content()).includes('Observed by Grace Colleague'), 'co-signed observation sets the level');

    // Mentoring: the association's admin starts a programme; Grace offers to mentor; the learner
    // asks from her gaps; a round proposes Grace with its reasons; both accept.
    for (const [email, role] of [['esther@example.org', 'admin'], ['learner@example.org', 'member'], ['grace@example.org', 'member']]) {
      await invite(admin, email, role);
    }
    const esther = await signUp(browser, 'Esther Admin', 'esther@example.org');
    await accept(esther, 'esther@example.org');
    await accept(learner, 'learner@example.org');
    await accept(colleague, 'grace@example.org');
    await colleague.goto(`${base}/me/mentoring/mentor`);
    await colleague.fill('#f-languages', 'en, sw');
    await colleague.click('details:has(select[name="offer-IPC.1"]) > summary');
    await colleague.selectOption('select[name="offer-IPC.1"]', '3');
    await colleague.selectOption('select[name="offer-IPC.2"]', '3');
    await shot(colleague, 'mentor-profile');
    await colleague.click('form[action="/me/mentoring/mentor"] button[type=submit]');
    check(colleague.url().includes('/me/mentoring'), 'mentor profile saved');
    await esther.goto(`${base}/orgs/eanma/mentoring`);
    await esther.fill('#f-title', 'Rural midwifery mentoring');
    await esther.click('form[action="/orgs/eanma/mentoring"] button[type=submit]');
    await learner.goto(`${base}/me/competencies/gaps?role=rural-midwife`);
    await learner.click('a[href="/me/mentoring/request?role=rural-midwife"]');
    await shot(learner, 'mentoring-request');
    await learner.click('form[action="/me/mentoring/request"] button[type=submit]');
    check(learner.url().includes('/me/mentoring'), 'request sent');
    await esther.click('form[action$="/rounds"] button');
    await shot(esther, 'matching-round');
    check((await esther.content()).includes('Grace Colleague'), 'Grace proposed');
    await esther.click('form[action$="/publish"] button');
    await learner.goto(`${base}/me/mentoring`);
    await learner.click('a[href^="/mentorships/"]');
    await learner.click('form[action$="/accept"] button');
    await colleague.goto(learner.url());
    await colleague.click('form[action$="/accept"] button');
    await shot(colleague, 'mentorship');
    check((await colleague.content()).includes('mailto:learner@example.org'), 'contact shown once both accept');

    // Credits: the reviewer accredits the demo course; the learner completes it and gets a
    // certificate anyone can verify; a regulator sets its CPD rules.
    await reviewer.goto(`${base}/orgs/eanma/accreditations`);
    await reviewer.selectOption('#f-course', 'hand-hygiene');
    await reviewer.fill('#f-version', '1');
    await reviewer.fill('#f-credits', '2.5');
    await reviewer.selectOption('#f-category', 'clinical');
    await reviewer.fill('#f-valid_from', new Date().toISOString().slice(0, 10));
    await reviewer.fill('#f-certificate_months', '24');
    await reviewer.click('form[action="/orgs/eanma/accreditations"] button[type=submit]');
    await shot(reviewer, 'accreditations');
    await learner.goto(`${base}/courses/hand-hygiene`);
    const lessons = await learner.locator('a[href^="/courses/hand-hygiene/lessons/"]').evaluateAll((links) => [...new Set(links.map((a) => a.getAttribute('href')))]);
    for (const lesson of lessons) {
      await learner.goto(`${base}${lesson}`);
      if (await learner.locator('form.lesson-done button').count()) await learner.click('form.lesson-done button');
    }
    await learner.goto(`${base}/courses/hand-hygiene`);
    const quizzes = await learner.locator('a[href*="/quizzes/"]').evaluateAll((links) => [...new Set(links.map((a) => a.getAttribute('href')))]);
    const right = rightOptions();
    for (const quiz of quizzes) {
      await learner.goto(`${base}${quiz}`);
      await learner.click('main form button[type=submit]');
      for (const input of await learner.locator('input[name^=q]').all()) {
        if (right.has(await input.getAttribute('value'))) await input.check();
      }
      await learner.click('main form button[type=submit]');
    }
    await learner.goto(`${base}/courses/hand-hygiene`);
    check((await learner.content()).includes('You have completed this course'), 'the demo course completed');
    await learner.goto(`${base}/me/credits`);
    await shot(learner, 'credits');
    check((await learner.content()).includes('2.5 credits in total'), 'credits from the accredited course');
    await learner.goto(`${base}/me/certificates`);
    await learner.click('a[href^="/me/certificates/"]');
    await shot(learner, 'certificate');
    check((await learner.content()).includes('Valid: genuine'), 'the certificate verifies');
    const certificate = learner.url().split('/').pop();
    // The QR code's full URL, code in the fragment, for tests/browser/offline.cjs.
    const verifyUrl = new URL(await learner.getAttribute('a.verify-link', 'href'), base).href;
    check(verifyUrl.includes(`/verify/${certificate}#`), 'the certificate links to its full verify URL');
    fs.writeFileSync(path.join(out, 'verify-url.txt'), verifyUrl);
    await visitor.goto(`${base}/verify/${certificate}`);
    await shot(visitor, 'verify');
    await invite(admin, 'officer@example.org', 'officer', 'dnmc');
    const officer = await signUp(browser, 'Olive Officer', 'officer@example.org');
    await accept(officer, 'officer@example.org');
    await officer.goto(`${base}/orgs/dnmc/cpd-rules`);
    await officer.selectOption('#f-profession', 'midwife');
    await officer.fill('#f-total', '30');
    await officer.fill('#f-minimums', 'ethics:5');
    await officer.click('form[action="/orgs/dnmc/cpd-rules"] button[type=submit]');
    await shot(officer, 'cpd-rules');
    await officer.goto(`${base}/orgs/dnmc/roster`);
    await shot(officer, 'roster');

    // The learner claims her licence; the officer's roster confirms it; she shares her credits.
    await learner.goto(`${base}/account`);
    await learner.selectOption('#f-regulator', { label: 'Demo Nursing and Midwifery Council' });
    await learner.fill('#f-number', 'KM-7001');
    await learner.click('form[action="/account/licences"] button[type=submit]');
    const roster = path.join(out, 'roster.csv');
    fs.writeFileSync(roster, 'licence_number,name,profession,renewed_on,region\nKM-7001,Lerato Learner,midwife,2026-01-15,Turkana\n');
    await officer.goto(`${base}/orgs/dnmc/roster`);
    await officer.setInputFiles('#f-file', roster);
    await officer.click('form[enctype="multipart/form-data"] button[type=submit]');
    await shot(officer, 'roster-preview');
    await officer.click('form input[name=confirm] ~ button[type=submit]');
    await learner.goto(`${base}/me/credits`);
    await learner.click('form[action^="/me/credits/consent/"] button[type=submit]');
    await learner.click('a[href^="/me/credits/transcripts/"]');
    await shot(learner, 'transcript');
    check((await learner.content()).includes('KM-7001'), 'the transcript names the licence');

    // The officer's dashboard, filtered; an audit; bulk verification; an API token.
    await officer.goto(`${base}/orgs/dnmc/compliance?region=Turkana`);
    await shot(officer, 'compliance');
    check((await officer.content()).includes('Lerato Learner'), 'the consenting licensee is listed');
    // Insights: charts drawn on the server, figures of one person hidden, names never shown.
    await officer.goto(`${base}/orgs/dnmc/insights`);
    await shot(officer, 'insights-regulator');
    const regulatorInsights = await officer.content();
    check(regulatorInsights.includes('class="chart"'), 'the regulator insights draw charts');
    check(!regulatorInsights.includes('Lerato Learner'), 'insights name no one');
    await reviewer.goto(`${base}/orgs/eanma/insights`);
    await shot(reviewer, 'insights-association');
    check((await reviewer.content()).includes('/orgs/eanma/insights/members.csv'), 'each table has its CSV');
    await officer.goto(`${base}/orgs/dnmc/audits`);
    await officer.fill('#f-title', 'Spot check');
    await officer.fill('#f-percent', '100');
    await officer.click('form[action="/orgs/dnmc/audits"] button[type=submit]');
    await shot(officer, 'audit');
    await officer.click('a[href*="/cases/"]');
    await officer.selectOption('#f-outcome', 'satisfactory');
    await shot(officer, 'audit-case');
    await officer.click('main form.card button[type=submit]');
    check((await officer.content()).includes('satisfactory'), 'the outcome is recorded');
    await officer.goto(`${base}/orgs/dnmc/verifications`);
    await shot(officer, 'bulk-verification');
    await officer.goto(`${base}/account/tokens`);
    await officer.fill('#f-name', 'Licensing system');
    await officer.check('input[value="credits:read"]');
    await officer.click('form[action="/account/tokens"] button[type=submit]');
    await shot(officer, 'api-token');
    check((await officer.content()).includes('lt_'), 'the new token is shown once');
    // The API's reference, drawn from its OpenAPI document, readable on a phone.
    await officer.goto(`${base}/api`);
    await shot(officer, 'api-reference');
    check((await officer.content()).includes('POST /api/v1/regulators/{slug}/verifications'), 'the reference lists the API');
    console.log(`browser flows passed: ${shots} pages at 360 px, none scrolls sideways`);
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
