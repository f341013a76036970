// Lantern's service worker for /courses/: keeps the courses a learner saved for offline, and the
// quiz answers they give with no network until the network returns. Plain JavaScript, no build.
//
// What it keeps. One cache per account and course, 'lantern-course:<account>:<slug>', filled when
// the page script asks ("save", with the course's manifest from GET /courses/<slug>/offline) and
// only then: the course page, its lesson and quiz pages, an attempt page per quiz (started or
// resumed by the ordinary POST, so the questions are there), the page queued answers lead to,
// the stylesheet, the page script and the images' phone-sized variants. A course counts as saved
// once its record is written (IndexedDB 'courses'), after every file is in. The account comes
// from the signed-in pages (data-account); caches of any other account are deleted at once, and
// signing out clears everything (the server sends Clear-Site-Data).
//
// How it answers. /media/, /static/ and /offline/: the kept copy first (for an image, any kept
// variant of the same picture), else the network. Pages of a saved course: the network first, the
// kept copy after TIMEOUT_MS or when the network fails; a kept page is refreshed from the network.
// Nothing else is stored.
//
// Offline answers. A POST of answers (/courses/<slug>/attempts/<id>) or of a lesson read
// (/lessons/<lesson>/complete) that fails for lack of network, in a saved course, is queued in
// IndexedDB ('queue': the URL, the form as sent, which carries the CSRF token, plus an
// idempotency key) and answered with a redirect to the saved page (answers) or the next lesson.
// Starting a quiz offline leads to the kept attempt page. The queue is sent on "flush" (the page
// script asks on every page load and on the 'online' event) and on Background Sync where the
// browser has it. An entry leaves the queue only once the server answered it (not on a network
// failure, a 5xx, a 429 or a 401: signed out, kept for when the learner signs in again). Sending
// twice is harmless: the server records an attempt's answers once and ignores a repeat.
'use strict';

const PREFIX = 'lantern-course:';
const TIMEOUT_MS = 3000;
const SYNC_TAG = 'lantern-answers';
const ANSWERS = /^\/courses\/([^/]+)\/attempts\/\d+$/;
const LESSON_READ = /^\/courses\/([^/]+)\/lessons\/([^/]+)\/complete$/;
const START = /^\/courses\/([^/]+)\/quizzes\/\d+\/attempts$/;

// ----- IndexedDB ---------------------------------------------------------------------------------

let database = null;
function db() {
  if (!database) {
    database = new Promise((resolve, reject) => {
      const open = indexedDB.open('lantern-offline', 1);
      open.onupgradeneeded = () => {
        open.result.createObjectStore('meta');
        open.result.createObjectStore('courses', { keyPath: 'id' });
        open.result.createObjectStore('queue', { keyPath: 'id', autoIncrement: true });
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    database.catch(() => (database = null));
  }
  return database;
}

async function store(name, mode, work) {
  const tx = (await db()).transaction(name, mode);
  const request = work(tx.objectStore(name));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}
const get = (name, key) => store(name, 'readonly', (s) => s.get(key));
const all = (name) => store(name, 'readonly', (s) => s.getAll());
const put = (name, value, key) => store(name, 'readwrite', (s) => (key === undefined ? s.put(value) : s.put(value, key)));
const remove = (name, key) => store(name, 'readwrite', (s) => s.delete(key));

// ----- The account ---------------------------------------------------------------------------------

let account = null;
async function currentAccount() {
  if (account === null) account = (await get('meta', 'account').catch(() => undefined)) || '';
  return account;
}

// A signed-in page names its account: another account's courses go (a shared phone).
async function setAccount(name) {
  if (typeof name !== 'string' || !/^[0-9a-f]{8,64}$/.test(name)) return;
  if ((await currentAccount()) === name) return;
  account = name;
  await put('meta', name, 'account');
  for (const cache of await caches.keys()) {
    if (cache.startsWith(PREFIX) && !cache.startsWith(`${PREFIX}${name}:`)) await caches.delete(cache);
  }
  for (const record of await all('courses')) {
    if (record.account !== name) await remove('courses', record.id);
  }
}

const cacheName = (who, slug) => `${PREFIX}${who}:${slug}`;

async function savedCourse(slug) {
  const who = await currentAccount();
  if (!who) return null;
  const record = await get('courses', `${who}:${slug}`).catch(() => undefined);
  return record ? { record, cache: await caches.open(cacheName(who, slug)) } : null;
}

async function accountCaches() {
  const who = await currentAccount();
  if (!who) return [];
  const names = (await caches.keys()).filter((n) => n.startsWith(`${PREFIX}${who}:`));
  return Promise.all(names.map((n) => caches.open(n)));
}

// ----- Keeping responses ------------------------------------------------------------------------

// A copy fit to answer a navigation later: a response that followed a redirect may not.
async function keepable(response) {
  return new Response(await response.blob(), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

async function fetchKept(url, init) {
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-cache', ...init });
  if (!response.ok || response.type !== 'basic') throw new Error(`${url}: ${response.status}`);
  return keepable(response);
}

async function save(manifest, csrf, report) {
  const who = manifest && manifest.account;
  if (typeof who !== 'string' || typeof manifest.course !== 'string') throw new Error('manifest');
  await setAccount(who);
  const name = cacheName(who, manifest.course);
  await remove('courses', `${who}:${manifest.course}`);
  await caches.delete(name);
  const cache = await caches.open(name);
  const total = Math.max(1, manifest.total_bytes);
  let done = 0;
  let bytes = 0;
  const step = async (url, response, estimate) => {
    const body = await response.clone().blob();
    await cache.put(url, response);
    bytes += body.size;
    done += estimate;
    report(Math.min(99, Math.floor((done * 100) / total)));
  };
  try {
    // Attempts first (a POST: starts one, or resumes the open one), so quiz pages show them.
    const attempts = {};
    for (const quiz of manifest.quizzes) {
      if (!quiz.start) continue;
      const response = await fetch(quiz.start, { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } });
      if (!response.ok || !response.redirected) continue; // no attempt left: the quiz page says so
      const path = new URL(response.url).pathname;
      attempts[quiz.start] = path;
      await step(path, await keepable(response), quiz.bytes);
    }
    for (const file of manifest.files) {
      await step(file.url, await fetchKept(file.url), file.bytes);
    }
    const record = {
      id: `${who}:${manifest.course}`,
      account: who,
      slug: manifest.course,
      title: manifest.title,
      savedAt: Date.now(),
      bytes,
      attempts,
      lessons: manifest.lessons,
      savedPage: manifest.saved_page,
    };
    await put('courses', record);
    return record;
  } catch (error) {
    await caches.delete(name);
    throw error;
  }
}

async function removeCourse(slug) {
  const who = await currentAccount();
  await remove('courses', `${who}:${slug}`);
  await caches.delete(cacheName(who, slug));
}

async function list() {
  const who = await currentAccount();
  return (await all('courses')).filter((r) => r.account === who).sort((a, b) => a.title.localeCompare(b.title));
}

// ----- Answers given offline ---------------------------------------------------------------------

async function queue(slug, path, body) {
  const key = crypto.randomUUID();
  const separator = body ? '&' : '';
  await put('queue', { account: await currentAccount(), slug, url: path, body: `${body}${separator}idempotency_key=${key}`, key, at: Date.now() });
  if (self.registration.sync) self.registration.sync.register(SYNC_TAG).catch(() => {});
}

// Sends what waits, oldest first; one run at a time. Returns how many were sent and how many wait.
let flushing = null;
function flush() {
  if (!flushing) flushing = sendQueued().finally(() => (flushing = null));
  return flushing;
}

async function sendQueued() {
  const who = await currentAccount();
  let sent = 0;
  for (const entry of await all('queue')) {
    if (entry.account !== who) continue;
    let response;
    try {
      response = await fetch(entry.url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: entry.body,
      });
    } catch (offline) {
      break; // still no network
    }
    if (response.status >= 500 || response.status === 429 || response.status === 401) continue;
    await remove('queue', entry.id);
    sent++;
    // The recorded result replaces the kept attempt page.
    const saved = await savedCourse(entry.slug);
    const path = new URL(response.url).pathname;
    if (saved && response.ok && (await saved.cache.match(path))) await saved.cache.put(path, await keepable(response));
  }
  const waiting = (await all('queue')).filter((e) => e.account === who).length;
  if (sent > 0) {
    for (const client of await self.clients.matchAll({ includeUncontrolled: true })) {
      client.postMessage({ type: 'sent', sent, waiting });
    }
  }
  return { sent, waiting };
}

// ----- Answering requests ------------------------------------------------------------------------

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function keptAsset(request, path) {
  for (const cache of await accountCaches()) {
    const hit = await cache.match(path, { ignoreVary: true });
    if (hit) return hit;
  }
  try {
    return await fetch(request);
  } catch (offline) {
    // Another width of the same picture, when the screen asked for one not kept.
    const picture = /^\/media\/([0-9a-f]{64})/.exec(path);
    if (picture) {
      for (const cache of await accountCaches()) {
        for (const key of await cache.keys()) {
          if (new URL(key.url).pathname.startsWith(`/media/${picture[1]}`)) return cache.match(key);
        }
      }
    }
    throw offline;
  }
}

async function page(request, path) {
  const saved = await savedCourse(path.split('/')[2]);
  const kept = saved && (await saved.cache.match(path, { ignoreVary: true, ignoreSearch: true }));
  const network = fetch(request).then(async (response) => {
    if (kept && response.ok && response.type === 'basic' && !response.redirected) {
      await saved.cache.put(path, await keepable(response.clone()));
    }
    return response;
  });
  if (!kept) return network;
  return Promise.race([network.catch(() => kept), delay(TIMEOUT_MS).then(() => kept)]);
}

async function sendOrQueue(request, path, slug) {
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (offline) {
    const saved = await savedCourse(slug);
    if (!saved) throw offline;
    await queue(slug, path, body);
    const read = LESSON_READ.exec(path);
    if (read) {
      const lessons = saved.record.lessons || [];
      const next = lessons[lessons.indexOf(`/courses/${slug}/lessons/${read[2]}`) + 1];
      return Response.redirect(next || `/courses/${slug}`, 303);
    }
    return Response.redirect(saved.record.savedPage, 303);
  }
}

async function startOrKept(request, path, slug) {
  try {
    return await fetch(request);
  } catch (offline) {
    const saved = await savedCourse(slug);
    const attempt = saved && saved.record.attempts[path];
    if (!attempt) throw offline;
    return Response.redirect(attempt, 303);
  }
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (request.method === 'POST') {
    const answers = ANSWERS.exec(path) || LESSON_READ.exec(path);
    const start = START.exec(path);
    if (answers) event.respondWith(sendOrQueue(request, path, answers[1]));
    else if (start) event.respondWith(startOrKept(request, path, start[1]));
    return;
  }
  if (request.method !== 'GET' || request.headers.has('range')) return;
  if (/^\/(media|static|offline)\//.test(path)) event.respondWith(keptAsset(request, path));
  else if (path.startsWith('/courses/') && !path.endsWith('/offline')) event.respondWith(page(request, path));
});

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(flush());
});

// Requests from the page script, answered on the port it gives: {ok, …} or {error}.
self.addEventListener('message', (event) => {
  const port = event.ports[0];
  const data = event.data || {};
  const answer = (message) => port && port.postMessage(message);
  const work = async () => {
    if (data.account) await setAccount(data.account);
    switch (data.type) {
      case 'save':
        return { record: await save(data.manifest, String(data.csrf || ''), (percent) => answer({ progress: percent })) };
      case 'status': {
        const saved = await savedCourse(String(data.course));
        return { record: saved ? saved.record : null };
      }
      case 'remove':
        await removeCourse(String(data.course));
        return {};
      case 'list':
        return { records: await list() };
      case 'flush':
        return flush();
      default:
        return {};
    }
  };
  event.waitUntil(
    work()
      .then((result) => answer({ ok: true, ...result }))
      .catch((error) => answer({ error: String(error && error.message ? error.message : error) })),
  );
});
