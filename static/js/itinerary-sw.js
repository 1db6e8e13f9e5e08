// The itinerary, also without signal: a service worker for one private page.
//
// Served at /itinerary-sw.js (planner/delegations/views.py) so that it may take any scope on
// the site without a Service-Worker-Allowed header; planner.js registers it with the scope of
// the page itself, /m/<token> or /d/<token>, and only there. One registration per private link
// opened on this device, so a worker sees nothing but its own page and what that page loads:
//
// - kept: the page (its scope), the page's own calendar (<scope>/schedule.ics) and the public
//   static files the page needs; nothing else, whatever the page loads (another member's QR
//   code on the delegation page is not kept). Pages that are not private links are never in a
//   worker's scope, so they never reach it.
// - network first: the answer from the server is shown and kept; the kept copy is shown only
//   when the network fails, answers 5xx, or has not answered after PATIENCE_MS.
// - a kept page is marked data-served="cache", so the page can say it is offline and when it
//   was fetched; a page without the mark (an error page, a captive portal) is never kept.
// - a 404 for the page (a replaced link) deletes the kept copies and the worker.
//
// The pages keep "Cache-Control: private, no-store": that keeps them out of HTTP caches; Cache
// Storage is this device's own and is written only here.
"use strict";

var VERSION = "1";
var PAGE = new URL(self.registration.scope).pathname;
var CALENDAR = PAGE + "/schedule.ics";
var STATIC = ["static/css/planner.css", "static/js/planner.js", "static/favicon.svg", "itinerary.webmanifest"]
  .map(function (path) { return new URL(path, self.location).pathname; });
var CACHE = "itinerary-v" + VERSION + " " + PAGE;
var FROM_NETWORK = 'data-served="network"';
var FROM_CACHE = 'data-served="cache"';
var PATIENCE_MS = 6000;

function kindOf(url) {
  if (url.origin !== self.location.origin) return null;
  if (url.pathname === PAGE) return "page";
  if (url.pathname === CALENDAR) return "calendar";
  if (STATIC.indexOf(url.pathname) !== -1) return "static";
  return null;
}

// One entry per kind of URL, whatever its query string (?download=1, ?lang=en).
function keyOf(url) {
  return url.origin + url.pathname;
}

function keep(kind, key, response) {
  if (!response.ok || response.type !== "basic" || response.redirected) return Promise.resolve();
  if (kind === "page") {
    return response.text().then(function (html) {
      if (html.indexOf(FROM_NETWORK) === -1) return;
      var copy = new Response(html.replace(FROM_NETWORK, FROM_CACHE), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      return caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
    });
  }
  if (kind === "calendar" && (response.headers.get("Content-Type") || "").indexOf("text/calendar") !== 0) {
    return Promise.resolve();
  }
  return caches.open(CACHE).then(function (cache) { return cache.put(key, response); });
}

function forget() {
  return caches.delete(CACHE).then(function () { return self.registration.unregister(); });
}

// The kept copy; a calendar asked for with ?download=1 is again a download.
function kept(kind, key, url) {
  return caches.match(key, { cacheName: CACHE, ignoreVary: true }).then(function (response) {
    if (!response || kind !== "calendar") return response;
    var headers = new Headers(response.headers);
    var disposition = (headers.get("Content-Disposition") || "").replace(/^\w+/, "");
    var download = url.searchParams.has("download");
    headers.set("Content-Disposition", (download ? "attachment" : "inline") + disposition);
    return response.blob().then(function (body) {
      return new Response(body, { status: 200, headers: headers });
    });
  });
}

function networkFirst(event, kind, url) {
  var key = keyOf(url);
  var stored;
  var storing = new Promise(function (resolve) { stored = resolve; });
  event.waitUntil(storing);
  var network = fetch(event.request).then(function (response) {
    if (kind === "page" && (response.status === 404 || response.status === 410)) stored(forget());
    else stored(keep(kind, key, response.clone()).catch(function () {}));
    return response;
  });
  network.catch(function () { stored(); });
  return new Promise(function (resolve, reject) {
    var answered = false;
    function answer(response) {
      if (!answered) { answered = true; resolve(response); }
    }
    var slow = setTimeout(function () {
      kept(kind, key, url).then(function (response) { if (response) answer(response); });
    }, PATIENCE_MS);
    network.then(function (response) {
      clearTimeout(slow);
      if (response.status < 500) return answer(response);
      return kept(kind, key, url).then(function (copy) { answer(copy || response); });
    }, function (error) {
      clearTimeout(slow);
      // Offline: the kept copy, or the browser's own "no connection" page for a page never kept.
      return kept(kind, key, url).then(function (copy) {
        if (copy) answer(copy);
        else if (!answered) { answered = true; reject(error); }
      });
    });
  });
}

self.addEventListener("install", function (event) {
  // The page that registered this worker, its calendar and the static files, fetched now:
  // the first visit was not yet answered through the worker.
  var urls = [PAGE, CALENDAR].concat(STATIC);
  event.waitUntil(Promise.all(urls.map(function (path) {
    var url = new URL(path, self.location);
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) { return keep(kindOf(url), keyOf(url), response); })
      .catch(function () {});
  })).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name !== CACHE && name.slice(-(PAGE.length + 1)) === " " + PAGE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  if (event.request.method !== "GET") return;
  var url = new URL(event.request.url);
  var kind = kindOf(url);
  // Anything else the page loads goes to the network as if there were no worker.
  if (kind) event.respondWith(networkFirst(event, kind, url));
});
