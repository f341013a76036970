// Screenshots of Lantern's pages at phone size (360 px) in headless Chromium, for people to look
// at. Usage: node tests/browser/screenshots.mjs http://127.0.0.1:8080 OUT_DIR
// Needs playwright-core (npm) and Debian's chromium; `.ci/run` installs both when asked to.
const { chromium } = require('playwright-core');
const { mkdirSync } = require('node:fs');

(async () => {

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const out = process.argv[3] ?? 'screenshots';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, javaScriptEnabled: false });
const page = await context.newPage();
const shot = async (name) => { await page.screenshot({ path: `${out}/${name}.png`, fullPage: true }); console.log(`${out}/${name}.png`); };

await page.goto(`${base}/`); await shot('home');
await page.goto(`${base}/sign-in`); await shot('sign-in');
await page.goto(`${base}/sign-up`);
await page.fill('#f-name', 'Amina Otieno');
await page.fill('#f-email', 'not-an-email');
await page.fill('#f-password', 'password1');
await page.click('button[type=submit]');
await shot('sign-up-errors');
const email = `amina.${Date.now()}@example.org`;
await page.fill('#f-email', email);
await page.fill('#f-password', 'kettle orange lantern river');
await page.click('button[type=submit]');
await page.goto(`${base}/account`);
await page.selectOption('#f-profession', 'nurse');
await page.fill('#f-country', 'KE');
await page.fill('#f-region', 'Kisumu');
await page.check('input[name=setting][value=rural]');
await page.fill('#f-languages', 'sw, en');
await page.click('form[action="/account"] button[type=submit]');
await shot('profile');
await page.goto(`${base}/no-such-page`); await shot('not-found');
await page.goto(`${base}/courses`); await shot('catalogue');
await page.goto(`${base}/courses/hand-hygiene`);
await page.click('form[action="/courses/hand-hygiene/enrol"] button');
await shot('course');
await page.goto(`${base}/courses/hand-hygiene/lessons/the-five-moments`); await shot('lesson');
await page.goto(`${base}/courses/newborn-first-hour/lessons/the-golden-minute`); await shot('lesson-callouts');
await page.goto(`${base}/courses/hand-hygiene`);
const quiz = await page.getAttribute('a[href*="/quizzes/"]', 'href');
await page.goto(`${base}${quiz}`);
await page.click('form[action$="/attempts"] button');
for (const group of await page.$$eval('fieldset.question', (sets) => sets.map((s) => s.querySelector('input').name))) {
  await page.check(`input[name="${group}"] >> nth=0`);
}
await page.click('form button[type=submit] >> text=Submit');
await shot('quiz-result');
await browser.close();
})().catch((error) => { console.error(error); process.exit(1); });
