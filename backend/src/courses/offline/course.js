// Lantern's course pages, offline: registers the service worker (/course-sw.js, scope /courses/),
// asks it to send answers given offline (on every page load and when the network returns), and
// drives "Save for offline" on a course page and "Saved for offline" on My learning. Plain
// JavaScript, no build; without it (or without service workers) the pages work as they are.
// Words come from data-* attributes rendered by the server (Fluent).
'use strict';

(() => {
  const script = document.currentScript;
  if (!script || !('serviceWorker' in navigator) || !('caches' in window) || !('indexedDB' in window)) return;
  const { account, worker: workerUrl, scope } = script.dataset;
  const csrf = () => (document.querySelector('input[name=csrf_token]') || {}).value || '';

  // The worker, active (it may be installing on the first visit). Pages outside its scope
  // (My learning) talk to it all the same.
  async function worker() {
    const registration =
      (await navigator.serviceWorker.getRegistration(scope)) ||
      (await navigator.serviceWorker.register(workerUrl, { scope }));
    if (registration.active) return registration.active;
    const installing = registration.installing || registration.waiting;
    await new Promise((resolve) => {
      const check = () => installing.state === 'activated' && resolve();
      installing.addEventListener('statechange', check);
      check();
    });
    return registration.active;
  }

  // One request to the worker; `progress` hears {progress} messages before the answer.
  async function ask(message, progress) {
    const active = await worker();
    return new Promise((resolve, reject) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => {
        if (event.data.progress !== undefined) return progress && progress(event.data.progress);
        if (event.data.error) reject(new Error(event.data.error));
        else resolve(event.data);
      };
      active.postMessage({ account, ...message }, [channel.port2]);
    });
  }

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '');
  const lang = document.documentElement.lang || undefined;
  const date = (ms) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
  // As the server writes sizes (courses::render::human_size).
  const size = (bytes) =>
    bytes < 1048576 ? `${Math.max(1, Math.ceil(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
  const savedText = (template, record) => fill(template, { date: date(record.savedAt), size: size(record.bytes) });

  // ----- Answers given offline ------------------------------------------------------------------

  // The number waiting is left on <html data-offline-waiting> (tests read it).
  async function flush() {
    try {
      const result = await ask({ type: 'flush' });
      document.documentElement.dataset.offlineWaiting = String(result.waiting);
    } catch (_) {
      // No worker yet: nothing can be waiting.
    }
  }
  window.addEventListener('online', flush);
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'sent') document.documentElement.dataset.offlineWaiting = String(event.data.waiting);
  });

  // ----- Save for offline (a course page) --------------------------------------------------------

  async function coursePage(section) {
    const words = section.dataset;
    const status = section.querySelector('#offline-course-status');
    const bar = section.querySelector('#offline-course-progress');
    const saveButton = section.querySelector('#offline-course-save');
    const removeButton = section.querySelector('#offline-course-remove');
    let manifest = null;

    const show = (record, text) => {
      section.dataset.state = record ? 'saved' : 'not-saved';
      bar.hidden = true;
      removeButton.hidden = !record;
      saveButton.hidden = Boolean(record);
      status.textContent = record ? savedText(words.saved, record) : text || (manifest ? manifest.size_text : words.noNetwork);
      saveButton.disabled = !manifest;
    };

    saveButton.addEventListener('click', async () => {
      if (!manifest) return;
      section.dataset.state = 'saving';
      saveButton.disabled = true;
      bar.hidden = false;
      const progress = (percent) => {
        bar.value = percent;
        status.textContent = fill(words.saving, { percent });
      };
      progress(0);
      try {
        const { record } = await ask({ type: 'save', manifest, csrf: csrf() }, progress);
        show(record);
      } catch (_) {
        show(null, words.failed);
      }
    });
    removeButton.addEventListener('click', async () => {
      await ask({ type: 'remove', course: words.course }).catch(() => {});
      show(null, words.removed);
    });

    section.hidden = false;
    const { record } = await ask({ type: 'status', course: words.course }).catch(() => ({ record: null }));
    if (record) return show(record);
    // The size first: the server measures what saving keeps.
    try {
      const response = await fetch(words.manifest, { credentials: 'same-origin', cache: 'no-store' });
      if (response.ok) manifest = await response.json();
    } catch (_) {
      manifest = null;
    }
    show(null);
  }

  // ----- Saved for offline (My learning) ---------------------------------------------------------

  async function savedList(section) {
    const list = section.querySelector('#offline-saved-list');
    const none = section.querySelector('#offline-saved-none');
    const template = section.querySelector('#offline-saved-item');
    const render = async () => {
      const { records } = await ask({ type: 'list' });
      list.replaceChildren(
        ...records.map((record) => {
          const item = template.content.firstElementChild.cloneNode(true);
          const link = item.querySelector('a');
          link.href = `/courses/${record.slug}`;
          link.textContent = record.title;
          item.querySelector('.muted').textContent = savedText(section.dataset.saved, record);
          item.querySelector('button').addEventListener('click', async () => {
            await ask({ type: 'remove', course: record.slug }).catch(() => {});
            await render();
          });
          return item;
        }),
      );
      none.hidden = records.length > 0;
      section.hidden = false;
    };
    await render();
  }

  const course = document.getElementById('offline-course');
  const saved = document.getElementById('offline-saved');
  flush().then(() => {
    if (course) coursePage(course).catch(() => {});
    if (saved) savedList(saved).catch(() => {});
  });
})();
