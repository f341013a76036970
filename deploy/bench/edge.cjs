// Time to first lesson text over an emulated EDGE link (240 kbit/s each way, 840 ms round trip,
// through Chromium's DevTools network conditions: this kernel has no `tc netem`), for each URL
// on each server, alternating servers, a fresh browser context (empty cache, new connection) for
// every load. "First lesson text" is the first contentful paint, read from the page's Paint
// Timing entry; the page's <h1> must then be the lesson's title.
//
//   node edge.cjs ROUNDS OUT.json NAME=BASE_URL... -- PATH...
// Prints one line per load and writes every sample to OUT.json.
const { chromium } = require('playwright-core');
const fs = require('node:fs');

const [rounds, out, ...rest] = process.argv.slice(2);
const split = rest.indexOf('--');
const servers = rest.slice(0, split).map((s) => s.split(/=(.*)/s).slice(0, 2));
const paths = rest.slice(split + 1);
const EDGE = {
  offline: false,
  latency: 840, // ms, added to every request's round trip
  downloadThroughput: 240000 / 8, // bytes per second
  uploadThroughput: 240000 / 8,
};

async function load(browser, url) {
  const context = await browser.newContext({ viewport: { width: 360, height: 760 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', EDGE);
    const response = await page.goto(url, { waitUntil: 'load', timeout: 120000 });
    if (response.status() !== 200) throw new Error(`${url}: HTTP ${response.status()}`);
    const paint = await page.evaluate(async () => {
      for (let i = 0; i < 200; i++) {
        const [entry] = performance.getEntriesByName('first-contentful-paint');
        if (entry) return entry.startTime;
        await new Promise((r) => setTimeout(r, 50));
      }
      return null;
    });
    if (paint === null) throw new Error(`${url}: no first contentful paint`);
    const title = (await page.textContent('h1')) ?? '';
    const bytes = await page.evaluate(() =>
      performance.getEntries().reduce((sum, e) => sum + (e.transferSize ?? 0), 0));
    return { paint, title: title.trim(), bytes };
  } finally {
    await context.close();
  }
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const samples = [];
  try {
    for (let round = 1; round <= Number(rounds); round++) {
      for (const path of paths) {
        const titles = new Set();
        // Alternate which server goes first from round to round.
        const order = round % 2 ? servers : [...servers].reverse();
        for (const [name, base] of order) {
          const sample = await load(browser, base + path);
          titles.add(sample.title);
          samples.push({ round, path, server: name, ...sample });
          console.log(`round ${round} ${name.padEnd(7)} ${sample.paint.toFixed(0).padStart(6)} ms ` +
            `${String(sample.bytes).padStart(6)} B  ${path}`);
        }
        if (titles.size !== 1) throw new Error(`${path}: the servers showed different pages: ${[...titles]}`);
      }
    }
  } finally {
    await browser.close();
  }
  fs.writeFileSync(out, JSON.stringify(samples, null, 1));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
