// The offline certificate check at phone size (360 px), JavaScript on: an inspector's phone opens a
// certificate's verify URL once online (the service worker keeps the page, the script, the keys and
// the revocation list), then, with no network, opens it again and gets the verdict computed on
// the phone; a code with one digit changed is "not genuine". Runs after flows.cjs, which writes the
// learner's verify URL to OUT_DIR/verify-url.txt. Usage (tests/browser/run.sh does all of it):
//   node tests/browser/offline.cjs OUT_DIR
const { check, launch, phone, screenshot } = require('./phone.cjs');
const fs = require('node:fs');
const path = require('node:path');

const [out] = process.argv.slice(2);
const verifyUrl = fs.readFileSync(path.join(out, 'verify-url.txt'), 'utf8').trim();
let shots = 0;

// A full-page screenshot; wider than the viewport means the page scrolls sideways on a phone.
async function shot(page, name) {
  const file = path.join(out, `offline-${String(++shots).padStart(2, '0')}-${name}.png`);
  await screenshot(page, file, name);
  console.log(`${file}  ${(await verdict(page)) || '(no offline verdict)'}`);
}

// What the offline verifier concluded (the data-verdict of its alert), waiting for it.
async function verdict(page) {
  const alert = page.locator('#offline-verdict [data-verdict]');
  await alert.waitFor({ timeout: 15000 }).catch(() => {});
  return alert.getAttribute('data-verdict').catch(() => null);
}

// The same URL with one digit of the code changed.
function tampered(url) {
  const [page, code] = url.split('#');
  const at = Math.floor(code.length / 2);
  const digit = String((Number(code[at]) + 1) % 10);
  return `${page}#${code.slice(0, at)}${digit}${code.slice(at + 1)}`;
}

(async () => {
  const browser = await launch();
  try {
    const { context, page, errors } = await phone(browser);

    await page.goto(verifyUrl);
    check((await verdict(page)) === 'valid', 'online, the phone finds the QR code valid');
    await page.waitForSelector('#offline-verdict[data-offline-ready]', { timeout: 15000 });
    await shot(page, 'online');

    await context.setOffline(true);
    await page.goto('about:blank');
    const offline = await page.goto(verifyUrl);
    check(offline && offline.fromServiceWorker(), 'offline, the page comes from the service worker');
    check((await verdict(page)) === 'valid', 'offline, the phone still finds the QR code valid');
    const section = await page.locator('#offline-verdict').textContent();
    check(section.includes('Lerato Learner'), `offline, the verdict names the recipient: ${section}`);
    check(/Keys as of .*revocation list as of/.test(section), `the verdict says how old its keys and list are: ${section}`);
    check(await page.locator('link[rel=stylesheet]').count() === 1, 'the stylesheet link is there');
    await shot(page, 'offline-valid');

    await page.goto('about:blank');
    await page.goto(tampered(verifyUrl));
    check((await verdict(page)) === 'not-genuine', 'offline, a changed digit is not genuine');
    await shot(page, 'offline-not-genuine');

    // A certificate this phone never opened: the kept shell answers (proof that the network is
    // really gone: online, the server would say 404), the stale server verdict is hidden, and
    // the code, bound to its own certificate's id, does not pass under another.
    await page.goto('about:blank');
    await page.goto(verifyUrl.replace(/\/verify\/[^#]+/, '/verify/never-opened'));
    check((await verdict(page)) === 'not-genuine', 'a code under another id is not genuine');
    check(await page.locator('#server-verdict').isHidden(), "the kept shell's server verdict is hidden");
    await shot(page, 'offline-other-id');

    check(errors.length === 0, `no script errors: ${errors.join(' | ')}`);
    await context.close();
    console.log(`offline verification passed: ${shots} pages at 360 px`);
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
