// Screenshots of the course editor at phone size (360 px), JavaScript off, for people to look at.
// Usage: node tests/browser/editor-screenshots.cjs BASE_URL OUT_DIR AUTHOR_EMAIL PASSWORD
// The account must be an author of the association `eanma`. Needs playwright-core and chromium.
const { chromium } = require('playwright-core');
const { mkdirSync } = require('node:fs');

(async () => {
const [base, out, email, password] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const context = await browser.newContext({ viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, javaScriptEnabled: false });
const page = await context.newPage();
const shot = async (name) => { await page.screenshot({ path: `${out}/${name}.png`, fullPage: true }); console.log(`${out}/${name}.png`); };

await page.goto(`${base}/sign-in`);
await page.fill('#f-email', email);
await page.fill('#f-password', password);
await page.click('main button[type=submit]');
await page.goto(`${base}/orgs/eanma/courses`); await shot('editor-courses');
await page.goto(`${base}/orgs/eanma/courses/new`);
await page.fill('#f-slug', 'Wound Care');
await page.fill('#f-title', 'Wound care at the health centre');
await page.click('main form button[type=submit]');
await shot('editor-new-errors');
await page.fill('#f-slug', 'wound-care');
await page.fill('#f-summary', 'Clean, assess and dress a wound.');
await page.check('input[name=professions][value=nurse]');
await page.fill('#f-topics', 'wound-care');
await page.fill('#f-objectives', 'Assess a wound\nChoose a dressing');
await page.click('main form button[type=submit]');
await page.fill('#f-new-module', 'Dressings');
await page.click('form:has(#f-new-module) button[type=submit]');
await shot('editor-draft');
await page.click('ol.edit-list li a >> nth=0');
await page.fill('#f-markdown', 'Clean from the centre outwards.\n\n## Steps\n\n1. Wash your hands.\n2. Irrigate with clean water.\n\n> [!WARNING]\n> Never reuse gauze.\n\n| Wound | Dressing |\n| --- | --- |\n| Dry | Hydrogel |\n| Wet | Foam |');
await page.click('button[value=preview]');
await shot('editor-lesson-preview');
await page.fill('#f-markdown', 'Text with <b>raw html</b>.');
await page.click('button[value=preview]');
await shot('editor-lesson-error');
await page.goto(page.url().replace(/\/lessons\/.*$/, '/modules/0/quiz'));
await shot('editor-quiz');
await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
