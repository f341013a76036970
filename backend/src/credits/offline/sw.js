// Lantern's service worker for /verify/: keeps what the offline verifier needs so that a phone
// that opened one verify page can later check any certificate's QR code without network.
//
// Network first, cache fallback, for: verify pages (each under its own URL, and the newest as the
// shell for certificates never opened), the verifier script and the stylesheet (hashed URLs: older
// copies are dropped), the keys (/.well-known/jwks.json) and the status lists (/status/…). Each
// response is stored as the server sent it, so its Date header says when it was fetched.
'use strict';

const CACHE = 'lantern-verify-v1';
const SHELL = '/verify/.shell';

const kept = (path) =>
  path.startsWith('/verify/') ||
  path.startsWith('/offline/') ||
  path.startsWith('/static/') ||
  path === '/.well-known/jwks.json' ||
  /^\/status\/[^/]+\/revocation$/.test(path);

async function store(path, response) {
  if (!response.ok || response.type !== 'basic') return;
  const cache = await caches.open(CACHE);
  // A hashed asset replaces its older versions.
  const folder = ['/offline/', '/static/'].find((f) => path.startsWith(f));
  if (folder) {
    for (const old of await cache.keys()) {
      const oldPath = new URL(old.url).pathname;
      if (oldPath.startsWith(folder) && oldPath !== path) await cache.delete(old);
    }
  }
  await cache.put(path, response.clone());
  if (path.startsWith('/verify/') && (response.headers.get('content-type') || '').startsWith('text/html')) {
    await cache.put(SHELL, response.clone());
  }
}

async function networkFirst(request, path) {
  try {
    const response = await fetch(request);
    await store(path, response);
    return response;
  } catch (offline) {
    const cache = await caches.open(CACHE);
    const cached = (await cache.match(path, { ignoreVary: true })) ||
      (request.mode === 'navigate' && path.startsWith('/verify/') && (await cache.match(SHELL, { ignoreVary: true })));
    if (cached) return cached;
    throw offline;
  }
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !kept(url.pathname)) return;
  event.respondWith(networkFirst(event.request, url.pathname));
});

// The verify page names what it used (itself, the script, the stylesheet, the keys): keep them
// now, even before this worker controls the page, then answer so the page can tell.
self.addEventListener('message', (event) => {
  const paths = Array.isArray(event.data && event.data.keep) ? event.data.keep.filter((p) => typeof p === 'string' && kept(p)) : [];
  const done = async () => {
    await Promise.all(paths.map((path) => fetch(path, { credentials: 'same-origin' }).then((r) => store(path, r)).catch(() => {})));
    // The status lists of every issuer in the keys just kept (id {base}/issuers/{slug}).
    const keys = await (await caches.open(CACHE)).match('/.well-known/jwks.json');
    const jwks = keys ? await keys.json().catch(() => null) : null;
    const lists = new Set(
      (jwks && Array.isArray(jwks.keys) ? jwks.keys : [])
        .map((k) => /\/issuers\/([^/?#]+)$/.exec(String(k.iss)))
        .filter(Boolean)
        .map((m) => `/status/${m[1]}/revocation`),
    );
    await Promise.all([...lists].map((path) => fetch(path).then((r) => store(path, r)).catch(() => {})));
    if (event.ports[0]) event.ports[0].postMessage('kept');
  };
  event.waitUntil(done());
});
