// The check-in scanner's service worker: served as /staff/checkin/sw.js, scope /staff/checkin/.
//
// It keeps what the scanner needs to open with no signal: the scanner pages that were opened
// (/staff/checkin/<point>) and their static files (planner.css, scanner.js, static/vendor/).
// Nothing else: never an API answer (the page keeps the roster in IndexedDB itself), never
// another staff page, never a redirect (a login page stays a login page).
"use strict";

const CACHE = "planner-scanner-v1";
const PAGE = /^\/staff\/checkin\/[A-Za-z0-9_-]+$/; // a point's scanner; not …/list or …/state
const NOT_PAGES = ["/staff/checkin/sw.js", "/staff/checkin/device"];
const FILES = /^\/static\/(css\/planner\.css|js\/scanner\.js|vendor\/[A-Za-z0-9_.-]+\.js|scanner-manifest\.json|favicon\.svg)$/;
const NETWORK_PATIENCE = 4000; // ms before a weak signal gives way to the kept page

function isPage(url) {
  return PAGE.test(url.pathname) && !NOT_PAGES.includes(url.pathname);
}

function keepable(url) {
  return url.origin === self.location.origin && (isPage(url) || FILES.test(url.pathname));
}

// Pages are kept without their query; a page's answer may vary by cookie, which does not matter here.
function key(url) {
  return url.origin + url.pathname;
}

function good(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("planner-scanner-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page, once open, names itself and its files: the first visit is not yet controlled.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const href of data.urls) {
      let url;
      try { url = new URL(href, self.location.origin); } catch (error) { continue; }
      if (!keepable(url) || (await cache.match(key(url), { ignoreVary: true }))) continue;
      try {
        const response = await fetch(url.href, { credentials: "same-origin", cache: "no-store" });
        if (good(response)) await cache.put(key(url), response);
      } catch (error) { /* offline: kept next time */ }
    }
  })());
});

// Pages: the network first (the freshest page and CSRF token), the kept copy when it fails or
// is too slow.
async function page(event, url) {
  const cache = await caches.open(CACHE);
  const network = fetch(event.request).then(async (response) => {
    if (good(response)) await cache.put(key(url), response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => null)); // the copy is refreshed even if the kept one won
  const kept = await cache.match(key(url), { ignoreVary: true });
  if (!kept) return network;
  const slow = new Promise((resolve) => setTimeout(() => resolve(kept), NETWORK_PATIENCE));
  return Promise.race([network.catch(() => kept), slow]);
}

// Static files: the kept copy at once, refreshed in the background for the next visit.
async function file(event, url) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(key(url), { ignoreVary: true });
  const network = fetch(event.request).then(async (response) => {
    if (good(response)) await cache.put(key(url), response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => null));
  return kept || network;
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  const url = new URL(event.request.url);
  if (!keepable(url)) return; // the API and everything else: the network, as without a worker
  event.respondWith(isPage(url) ? page(event, url) : file(event, url));
});
