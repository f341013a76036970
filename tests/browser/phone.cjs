// What the offline browser scripts share: a headless Chromium, a 360 px phone with JavaScript on
// whose script errors are collected, checks that fail loudly, and full-page screenshots that
// prove the page does not scroll sideways.
const { chromium } = require('playwright-core');

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}

// A 360 × 760 phone with JavaScript on; `errors` collects uncaught errors and console errors.
async function phone(browser) {
  const context = await browser.newContext({ viewport: { width: 360, height: 760 }, javaScriptEnabled: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  return { context, page, errors };
}

// A full-page screenshot to `file`; wider than the viewport means the page scrolls sideways.
async function screenshot(page, file, name) {
  const png = await page.screenshot({ path: file, fullPage: true });
  const width = png.readUInt32BE(16);
  check(width <= 360, `${name} (${page.url()}) is ${width}px wide`);
}

module.exports = { check, launch, phone, screenshot };
