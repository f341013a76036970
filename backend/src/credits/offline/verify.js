// Lantern's offline certificate verifier, loaded (deferred) by /verify pages. No dependencies, no
// build: plain ES2020 with WebCrypto Ed25519, SHA-256 and DecompressionStream('gzip').
//
// It ports, rule for rule, the compact-form checks of backend/src/credits/certificate.rs (module
// documentation: "The compact form in the QR code", "Verification rules" steps 1-9) and the status
// list checks of backend/src/credits/status_list.rs. Any doubt fails closed: nothing is shown as
// valid without a genuine signature, a key in service at validFrom and a fresh signed status list.
//
// It also registers the service worker (/verify-sw.js) that keeps the page, this script, the
// stylesheet, the keys and the status lists, so that it works on a phone that has no network.
// Words come from data-* attributes rendered by the server (Fluent), dates are the responses' Date
// headers (when the server sent them: the service worker stores responses as they came).
'use strict';

(() => {
  const section = document.getElementById('offline-verdict');
  if (!section) return;
  const words = section.dataset;
  const script = document.currentScript;

  // ----- Service worker -------------------------------------------------------------------------

  // The URLs a phone needs to verify offline later: kept by the worker (network first).
  const keep = new Set([words.jwks]);
  if (script) keep.add(new URL(script.src).pathname);
  const sheet = document.querySelector('link[rel=stylesheet]');
  if (sheet) keep.add(new URL(sheet.href).pathname);
  if (location.pathname.startsWith('/verify/')) keep.add(location.pathname);

  function registerWorker() {
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker
      .register(words.worker, { scope: '/verify/' })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => (section.dataset.offlineReady = 'yes');
        registration.active.postMessage({ keep: [...keep] }, [channel.port2]);
      })
      .catch(() => {});
  }

  // A shell kept for another certificate: its server verdict is not about this one.
  if (location.pathname.startsWith('/verify/') && words.page !== location.pathname) {
    const server = document.getElementById('server-verdict');
    if (server) server.hidden = true;
  }

  // ----- Bytes, base64url, SHA-256 --------------------------------------------------------------

  class Rejected extends Error {}
  const reject = (why) => {
    throw new Rejected(why);
  };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const ascii = new TextEncoder();

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));

  function b64(bytes) {
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  // Canonical base64url without padding only (step 1: non-zero spare bits are rejected).
  function unb64(text) {
    if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
      reject('base64url');
    }
    const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    if (b64(bytes) !== text) reject('non-canonical base64url');
    return bytes;
  }

  // ----- Strict JSON (steps 2 and 5): no duplicate member names at any depth --------------------

  // A number that is not an integer literal (serde_json's as_i64 refuses it).
  class NotInteger {}
  const isInteger = (v) => typeof v === 'number';

  function parseObject(bytes) {
    const text = utf8.decode(bytes);
    let at = 0;
    const space = () => {
      while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
    };
    const token = (pattern) => {
      pattern.lastIndex = at;
      const m = pattern.exec(text);
      if (!m) reject('JSON');
      at = pattern.lastIndex;
      return m[0];
    };
    const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
    const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    const string = () => {
      const s = JSON.parse(token(STRING));
      if (/\p{Cs}/u.test(s)) reject('lone surrogate');
      return s;
    };
    function value(depth) {
      if (depth > 128) reject('JSON nesting');
      space();
      const c = text[at];
      if (c === '{') {
        at++;
        const object = Object.create(null);
        space();
        if (text[at] === '}') return at++, object;
        for (;;) {
          space();
          const name = string();
          if (name in object) reject('duplicate JSON member name');
          space();
          if (text[at++] !== ':') reject('JSON');
          object[name] = value(depth + 1);
          space();
          const next = text[at++];
          if (next === '}') return object;
          if (next !== ',') reject('JSON');
        }
      }
      if (c === '[') {
        at++;
        const array = [];
        space();
        if (text[at] === ']') return at++, array;
        for (;;) {
          array.push(value(depth + 1));
          space();
          const next = text[at++];
          if (next === ']') return array;
          if (next !== ',') reject('JSON');
        }
      }
      if (c === '"') return string();
      for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
        if (text.startsWith(word, at)) return (at += word.length), v;
      }
      const number = token(NUMBER);
      const n = Number(number);
      return /^-?\d+$/.test(number) && Number.isSafeInteger(n) ? n : new NotInteger();
    }
    const top = value(0);
    space();
    if (at !== text.length || !isObject(top)) reject('not one JSON object');
    return top;
  }

  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof NotInteger);
  const has = (object, name) => Object.prototype.hasOwnProperty.call(object, name);

  // ----- Time -------------------------------------------------------------------------------------

  // DateTime::from_timestamp's range (chrono: years -262143 to 262142), in Unix seconds.
  const inChronoRange = (secs) => isInteger(secs) && Math.abs(secs) <= 8210266876799;

  // RFC 3339 as chrono's parse_from_rfc3339 reads it, kept only when it is a whole second.
  function parseInstant(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(
      typeof text === 'string' ? text : '',
    );
    if (!m) return null;
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    const days = new Date(Date.UTC(2000, mo, 0)).getUTCDate();
    const leapFeb = mo === 2 && d === 29 && (y % 4 !== 0 || (y % 100 === 0 && y % 400 !== 0));
    if (mo < 1 || mo > 12 || d < 1 || d > days || leapFeb || h > 23 || mi > 59 || s > 59) return null;
    if (m[7] && /[1-9]/.test(m[7].slice(1, 10))) return null;
    let offset = 0;
    if (!m[8]) {
      const [oh, om] = [Number(m[10]), Number(m[11])];
      if (oh > 23 || om > 59) return null;
      offset = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
    }
    const date = new Date(0);
    date.setUTCFullYear(y, mo - 1, d);
    date.setUTCHours(h, mi, s, 0);
    return date.getTime() / 1000 - offset;
  }

  // ----- Ed25519, strict (step 4) -----------------------------------------------------------------

  const P = 2n ** 255n - 19n;
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const littleEndian = (bytes) => bytes.reduceRight((n, b) => (n << 8n) | BigInt(b), 0n);
  // Canonical encodings of the eight points of small order (RFC 8032 §5.1.7 leaves them allowed;
  // strict verification, as ed25519-dalek's verify_strict, refuses them as keys and as R).
  const SMALL_ORDER = [
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000080',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  ];
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const smallOrder = (point) => SMALL_ORDER.includes(hex(point));

  // A canonical point encoding of large order (y < p; no "negative zero" x).
  function strongKey(x) {
    const y = littleEndian(x) & (2n ** 255n - 1n);
    const signed = (x[31] & 0x80) !== 0;
    return y < P && !(signed && (y === 1n || y === P - 1n)) && !smallOrder(x);
  }

  async function verifyStrict(key, signature, message) {
    if (signature.length !== 64) return false;
    const r = signature.slice(0, 32);
    if (littleEndian(signature.slice(32)) >= L || smallOrder(r)) return false;
    // WebCrypto recomputes R and compares encodings, so a non-canonical R fails there.
    return crypto.subtle.verify({ name: 'Ed25519' }, key.crypto, signature, message).catch(() => false);
  }

  // ----- Keys (KeySet::from_jwks) -----------------------------------------------------------------

  const isUri = (t) =>
    typeof t === 'string' &&
    /^(?:https:\/\/|http:\/\/|urn:)./.test(t) &&
    !/[\s\u0000-\u001f\u007f-\u009f]/u.test(t);

  // The whole JWKS is refused if any key is wrong, as the Rust reader does.
  async function readKeys(bytes) {
    const doc = parseObject(bytes);
    if (!Array.isArray(doc.keys)) reject('no keys array');
    const keys = [];
    for (const jwk of doc.keys) {
      if (!isObject(jwk) || has(jwk, 'd') || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') reject('key type');
      if ((has(jwk, 'alg') && jwk.alg !== 'EdDSA') || (has(jwk, 'use') && jwk.use !== 'sig')) reject('alg/use');
      const x = unb64(jwk.x);
      if (x.length !== 32 || !strongKey(x)) reject('x');
      const nbf = jwk.nbf;
      const exp = has(jwk, 'exp') ? jwk.exp : null;
      if (!inChronoRange(nbf) || (exp !== null && !inChronoRange(exp)) || (exp !== null && exp <= nbf)) {
        reject('nbf/exp');
      }
      const thumbprint = await sha256(ascii.encode(`{"crv":"Ed25519","kty":"OKP","x":"${b64(x)}"}`));
      const kid = typeof jwk.kid === 'string' ? jwk.kid : reject('kid');
      const cut = kid.lastIndexOf('#');
      if (cut < 0 || !isUri(kid.slice(0, cut)) || kid.slice(cut + 1) !== b64(thumbprint)) reject('kid');
      if (!isUri(jwk.iss) || keys.some((k) => k.kid === kid)) reject('iss or duplicate kid');
      const crypto_ = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
      keys.push({ kid, iss: jwk.iss, nbf, exp, tag: thumbprint.slice(0, 4), crypto: crypto_ });
    }
    return keys;
  }

  // The rotation rule: a key counts for credentials whose validFrom lies in nbf <= T < exp.
  const covers = (key, issued) => key.nbf <= issued && (key.exp === null || issued < key.exp);

  // ----- Status lists (status_list::verify_status_list) -------------------------------------------

  const MIN_LIST_BYTES = 131072 / 8;
  const MAX_LIST_BYTES = 2 ** 27 / 8;

  async function gunzip(bytes) {
    const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_LIST_BYTES) {
        reader.cancel();
        reject('list too long');
      }
      chunks.push(value);
    }
    if (size < MIN_LIST_BYTES) reject('list too short');
    return concat(...chunks);
  }

  // Steps 1-4 for a JWS: its key (by kid) and its payload object, signature verified.
  async function openJws(jwt, keys) {
    if (ascii.encode(jwt).length > 32 * 1024) reject('too large');
    const parts = jwt.split('.');
    if (parts.length !== 3) reject('parts');
    const header = parseObject(unb64(parts[0]));
    const names = Object.keys(header).length;
    const typed = has(header, 'typ');
    if (header.alg !== 'EdDSA' || typeof header.kid !== 'string' || (typed && header.typ !== 'JWT')) {
      reject('header');
    }
    if (names !== 2 + (typed ? 1 : 0)) reject('header members');
    const key = keys.find((k) => k.kid === header.kid) || reject('unknown key');
    const signature = unb64(parts[2]);
    const signed = ascii.encode(`${parts[0]}.${parts[1]}`);
    if (!(await verifyStrict(key, signature, signed))) reject('signature');
    return { key, payload: parseObject(unb64(parts[1])) };
  }

  const text = (map, name) => (typeof map[name] === 'string' ? map[name] : reject(name));
  const object = (map, name) => (isObject(map[name]) ? map[name] : reject(name));
  const integer = (map, name) => (!has(map, name) ? null : isInteger(map[name]) ? map[name] : reject(name));

  // Steps 6 and 7 (certificate::common_claims).
  function commonClaims(payload, key, contexts, kinds) {
    const vc = object(payload, 'vc');
    const context = vc['@context'];
    const contextOk = Array.isArray(context) && context.length === contexts.length && context.every((c, i) => c === contexts[i]);
    const types = Array.isArray(vc.type) ? vc.type.filter((t) => typeof t === 'string') : [];
    if (!contextOk || !types.includes('VerifiableCredential') || !kinds.some((k) => types.includes(k))) reject('type');
    const issuer = typeof vc.issuer === 'string' ? vc.issuer : isObject(vc.issuer) ? text(vc.issuer, 'id') : reject('issuer');
    const subject = object(vc, 'credentialSubject');
    const id = text(vc, 'id');
    if (text(payload, 'iss') !== issuer || text(payload, 'sub') !== text(subject, 'id') || text(payload, 'jti') !== id) {
      reject('iss/sub/jti');
    }
    const validFrom = parseInstant(text(vc, 'validFrom'));
    if (validFrom === null || integer(payload, 'nbf') !== validFrom) reject('nbf');
    const validUntil = has(vc, 'validUntil') ? parseInstant(vc.validUntil) ?? reject('validUntil') : null;
    if (integer(payload, 'exp') !== validUntil || (validUntil !== null && validUntil <= validFrom)) reject('exp');
    integer(payload, 'iat');
    if (key.iss !== issuer || !covers(key, validFrom)) reject('key not valid for credential');
    if (!inChronoRange(validFrom) || (validUntil !== null && !inChronoRange(validUntil))) reject('dates');
    return { id, issuer, subject, validFrom, validUntil };
  }

  async function readStatusList(jwt, keys) {
    const { key, payload } = await openJws(jwt, keys);
    const claims = commonClaims(payload, key, ['https://www.w3.org/ns/credentials/v2'], ['BitstringStatusListCredential']);
    const s = claims.subject;
    if (s.type !== 'BitstringStatusList' || s.statusPurpose !== 'revocation' || s.id !== `${claims.id}#list`) {
      reject('not a revocation list');
    }
    const encoded = typeof s.encodedList === 'string' && s.encodedList.startsWith('u') ? s.encodedList : reject('encodedList');
    const bits = await gunzip(unb64(encoded.slice(1)));
    if (claims.validUntil === null) reject('validUntil');
    const tag = (await sha256(ascii.encode(claims.id))).slice(0, 4);
    return { url: claims.id, issuer: claims.issuer, from: claims.validFrom, until: claims.validUntil, bits, tag };
  }

  // StatusListCache::status: exactly one fresh list of the key's issuer with this tag answers.
  function statusOf(lists, issuer, tag, index, now) {
    const found = lists.filter((l) => equal(l.tag, tag) && l.issuer === issuer);
    if (found.length !== 1) return 'unknown';
    const list = found[0];
    if (now < list.from || now > list.until) return 'unknown';
    const byte = list.bits[Math.floor(index / 8)];
    if (byte === undefined) return 'unknown';
    return byte & (0x80 >> index % 8) ? 'revoked' : 'active';
  }

  // ----- The compact form (certificate::verify_compact) -------------------------------------------

  const DOMAIN = ascii.encode('lantern/cpd-certificate/compact/v1');
  const DIGITS_FOR_BYTES = [0, 3, 5, 8, 10, 13, 15, 17];

  // Decimal digits to bytes: 17 digits per 7 bytes, a shorter last group; null if not canonical.
  function fromDigits(digits) {
    if (!/^[0-9]*$/.test(digits)) return null;
    const full = Math.floor(digits.length / 17);
    const last = DIGITS_FOR_BYTES.indexOf(digits.length % 17);
    if (last < 0) return null;
    const out = [];
    for (let i = 0; i * 17 < digits.length; i++) {
      const bytes = i < full ? 7 : last;
      let value = BigInt(digits.slice(i * 17, i * 17 + 17));
      if (value >> BigInt(8 * bytes) !== 0n) return null;
      const group = [];
      for (let b = 0; b < bytes; b++, value >>= 8n) group.unshift(Number(value & 0xffn));
      out.push(...group);
    }
    return new Uint8Array(out);
  }

  function parseCompact(bytes) {
    if (bytes.length < 64) return null;
    const signed = bytes.slice(0, bytes.length - 64);
    let at = 0;
    const take = (n) => {
      if (at + n > signed.length) throw new Rejected('short');
      at += n;
      return signed.slice(at - n, at);
    };
    const u32 = () => new DataView(take(4).buffer).getUint32(0);
    const textOf = (max) => {
      const [len] = take(1);
      if (len === 0 || len > max) throw new Rejected('text length');
      return utf8.decode(take(len));
    };
    try {
      const version = take(1)[0];
      const p = {
        keyTag: take(4),
        listTag: take(4),
        index: u32(),
        validFrom: u32(),
        validUntil: u32(),
        credits: u32(),
        name: textOf(48),
        achievement: textOf(48),
        category: textOf(32),
        signed,
        signature: bytes.slice(bytes.length - 64),
      };
      const datesOk = p.validUntil === 0 || p.validUntil > p.validFrom;
      return version === 1 && at === signed.length && datesOk ? p : null;
    } catch (_) {
      return null;
    }
  }

  const notGenuine = { verdict: 'not-genuine' };

  async function verifyCompact(publicId, code, keys, lists, now) {
    const readable = /^[A-Za-z0-9_-]{1,64}$/.test(publicId) && code.length <= 600;
    const bytes = readable ? fromDigits(code) : null;
    const p = bytes && parseCompact(bytes);
    if (!p) return notGenuine;
    const message = concat(DOMAIN, [0, publicId.length], ascii.encode(publicId), p.signed);
    let key = null;
    for (const candidate of keys.filter((k) => equal(k.tag, p.keyTag))) {
      if (await verifyStrict(candidate, p.signature, message)) {
        key = candidate;
        break;
      }
    }
    if (!key || !covers(key, p.validFrom) || p.credits > 99999999) return notGenuine;
    const summary = { ...p, issuer: key.iss };
    const status = statusOf(lists, key.iss, p.listTag, p.index, now);
    // Step 9, in this order.
    const verdict =
      status === 'revoked'
        ? 'revoked'
        : p.validUntil !== 0 && now >= p.validUntil
          ? 'expired'
          : now < p.validFrom
            ? 'not-yet-valid'
            : status === 'active'
              ? 'valid'
              : 'status-unknown';
    return { verdict, summary };
  }

  // ----- Fetching (through the service worker when it controls the page) -------------------------

  async function fetchDated(path) {
    try {
      const response = await fetch(path, { cache: 'no-store' });
      if (!response.ok) return null;
      const date = response.headers.get('date');
      return { bytes: new Uint8Array(await response.arrayBuffer()), date: date ? new Date(date) : null };
    } catch (_) {
      return null;
    }
  }

  // Each issuer's revocation list: id {base}/issuers/{slug} → {base}/status/{slug}/revocation,
  // fetched from this origin (which served the keys).
  async function fetchLists(keys) {
    const issuers = [...new Set(keys.map((k) => k.iss))];
    const lists = await Promise.all(
      issuers.map(async (iss) => {
        const m = /^(https?:\/\/[^/]+(?:\/.*)?)\/issuers\/([^/?#]+)$/.exec(iss);
        if (!m) return null;
        const got = await fetchDated(new URL(`${m[1]}/status/${m[2]}/revocation`).pathname);
        if (!got) return null;
        try {
          return { ...(await readStatusList(utf8.decode(got.bytes), keys)), date: got.date };
        } catch (_) {
          return null;
        }
      }),
    );
    return lists.filter(Boolean);
  }

  // ----- The page ---------------------------------------------------------------------------------

  const lang = document.documentElement.lang || undefined;
  const day = (secs) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(secs * 1000));
  const moment = (date) => (date ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date) : '—');
  const credits = (hundredths) => String(hundredths / 100);
  const TONES = { valid: 'ok', 'status-unknown': 'warn' };

  function element(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props);
    node.append(...children);
    return node;
  }

  function show(result, keysDate, list) {
    const parts = [element('h2', { textContent: words.heading })];
    if (result.verdict) {
      const tone = TONES[result.verdict] || 'error';
      const alert = element('div', { className: `alert verdict ${tone}` }, element('p', {}, element('strong', { textContent: words[`verdict-${result.verdict}`.replace(/-(.)/g, (_, c) => c.toUpperCase())] })));
      alert.setAttribute('role', 'status');
      alert.dataset.verdict = result.verdict;
      parts.push(alert);
    } else {
      parts.push(element('p', { className: 'alert warn', textContent: result.message }));
    }
    const s = result.summary;
    if (s) {
      const facts = element('dl', { className: 'facts' });
      const row = (label, value, className = '') =>
        facts.append(element('dt', { textContent: label }), element('dd', { textContent: value, className }));
      row(words.recipient, s.name);
      row(words.achievement, s.achievement);
      const category = words[`category${s.category.charAt(0).toUpperCase()}${s.category.slice(1)}`] || s.category;
      row(words.credits, `${credits(s.credits)} · ${category}`);
      row(words.issuer, s.issuer, 'url');
      row(words.issued, day(s.validFrom));
      if (s.validUntil !== 0) row(words.expires, day(s.validUntil));
      parts.push(facts);
    }
    if (keysDate !== undefined) {
      const listText = list ? ` · ${words.listAsOf} ${moment(list.date)}` : list === null ? ` · ${words.noList}` : '';
      parts.push(element('p', { className: 'muted', textContent: `${words.keysAsOf} ${moment(keysDate)}${listText}` }));
    }
    section.replaceChildren(...parts);
  }

  async function check(code) {
    show({ message: words.checking });
    if (!(crypto && crypto.subtle && 'DecompressionStream' in window)) return show({ message: words.unsupported });
    const got = await fetchDated(words.jwks);
    let keys = null;
    try {
      keys = got && (await readKeys(got.bytes));
    } catch (error) {
      if (!(error instanceof Rejected) && error.name === 'NotSupportedError') return show({ message: words.unsupported });
      keys = null;
    }
    if (!keys || keys.length === 0) return show({ message: words.noKeys });
    const lists = await fetchLists(keys);
    const publicId = location.pathname.slice('/verify/'.length);
    const now = Math.floor(Date.now() / 1000);
    let result;
    try {
      result = await verifyCompact(publicId, code, keys, lists, now);
    } catch (_) {
      result = notGenuine;
    }
    const s = result.summary;
    // The list that answered (null: none on this device); nothing to say for a code not genuine.
    const list = s ? lists.find((l) => equal(l.tag, s.listTag) && l.issuer === s.issuer) || null : undefined;
    show(result, got.date, list);
  }

  registerWorker();
  const code = location.hash.slice(1);
  if (location.pathname.startsWith('/verify/') && code) {
    check(code).catch(() => show(notGenuine));
  }
  window.addEventListener('hashchange', () => location.reload());
})();
