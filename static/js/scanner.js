// The check-in scanner on staff phones (templates/protocol/scanner.html).
//
// It decides green / amber / red on the phone, from the point's roster and this phone's own
// check-ins, both kept in IndexedDB (through the vendored `idb` wrapper), so it answers the
// same with no signal. Each green scan is queued with an id made here; the queue is sent
// whenever the network is there (the server stores an id once, so sending twice is harmless),
// then the roster is fetched again for the other phones' check-ins and the counts.
// Texts come from the page's JSON block (#scanner-strings): nothing here is shown as written.
(function () {
  "use strict";

  const root = document.getElementById("scanner");
  if (!root || !window.idb) return;
  const T = JSON.parse(document.getElementById("scanner-strings").textContent);
  const cfg = root.dataset;
  const POINT = cfg.point;
  const LANG = cfg.lang || "id";

  const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // planner/core/checkcodes.py
  const PREFIX = "CK:";
  const SCAN_EVERY = 200; // ms between two looks at the camera
  const SAME_CODE_QUIET = 2500; // a tag held in view counts once; again after this long away
  const SYNC_EVERY = 5000;
  const ROSTER_EVERY = 20000; // the other phones' check-ins, when there is nothing to send
  const BATCH = 500;
  const NOT_COUNTED = ["not_listed", "refused", "unknown", "invalid", "closed"];

  const $ = (selector) => root.querySelector(selector);
  const el = {
    sync: $("[data-sync]"),
    closed: $("[data-closed]"),
    video: $("[data-video]"),
    cameraNote: $("[data-camera-note]"),
    cameraStart: $("[data-camera-start]"),
    answer: $("[data-answer]"),
    verdict: $("[data-verdict]"),
    name: $("[data-answer-name]"),
    detail: $("[data-answer-detail]"),
    search: $("[data-search]"),
    matches: $("[data-matches]"),
    checkinName: $("[data-checkin-name]"),
    rosterAt: $("[data-roster-at]"),
    counts: $("[data-counts]"),
    recent: $("[data-recent]"),
    device: $("[data-device]"),
  };

  // ---------- formatting ----------
  const fill = (text, values) =>
    text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  const numberFormat = new Intl.NumberFormat(LANG);
  const number = (n) => numberFormat.format(n);
  const plural = (forms, n) => fill(n === 1 ? forms.one : forms.other, { count: number(n) });
  let clockFormat;
  try {
    clockFormat = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: cfg.zone,
    });
  } catch (error) {
    clockFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }
  // 08.00 WIB in Indonesian, 08:00 WIB in English: the program's zone, not the phone's.
  function clock(iso) {
    const parts = {};
    clockFormat.formatToParts(new Date(iso)).forEach((p) => { parts[p.type] = p.value; });
    const time = parts.hour + (LANG === "id" ? "." : ":") + parts.minute;
    return cfg.zoneLabel ? time + " " + cfg.zoneLabel : time;
  }
  // The phone's clock as ISO 8601 with its offset: 2026-12-04T01:02:03.456+07:00.
  function nowWithOffset() {
    const now = new Date();
    const pad = (n, size) => String(Math.abs(n)).padStart(size || 2, "0");
    const offset = -now.getTimezoneOffset();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) +
      "T" + pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds()) +
      "." + pad(now.getMilliseconds(), 3) + (offset >= 0 ? "+" : "-") +
      pad(Math.floor(Math.abs(offset) / 60)) + ":" + pad(Math.abs(offset) % 60);
  }
  // Stored as E.164; shown as people write it: +6281349876543 -> 0813-4987-6543.
  function phoneText(phone) {
    if (!/^\+62\d{8,13}$/.test(phone)) return phone;
    const national = "0" + phone.slice(3);
    return national.slice(0, 4) + "-" + national.slice(4, 8) + "-" + national.slice(8);
  }
  const fold = (text) => String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // The code a QR or typed entry holds, or null if it is not well formed (checkcodes.normalise).
  function normalise(text) {
    let value = String(text || "").trim().toUpperCase();
    if (value.startsWith(PREFIX)) value = value.slice(PREFIX.length);
    value = value.replace(/[-\s]/g, "");
    if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(value)) return null;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += (i + 1) * ALPHABET.indexOf(value[i]);
    return ALPHABET[sum % 32] === value[9] ? value : null;
  }

  // ---------- storage ----------
  const dbReady = idb.openDB("planner-scanner", 1, {
    upgrade(db) {
      db.createObjectStore("settings");
      db.createObjectStore("rosters", { keyPath: "id" });
      db.createObjectStore("checkins", { keyPath: "id" }).createIndex("point", "point");
    },
  });
  const tokenKey = "token:" + cfg.staff;

  // ---------- state ----------
  let roster = null; // the API's answer for this point, as last fetched
  let byCode = {}; // code -> member
  let mine = []; // this phone's check-ins at this point, oldest first
  let mineByCode = {}; // code -> this phone's check-in that counts
  let shownId = null; // the check-in the answer panel shows
  let reachable = true; // the last request reached the server
  let authProblem = false;
  let sendProblem = false;
  let syncing = false;
  let rosterFetchedAt = 0;
  let ready = false; // scans count once the roster is here, or the first try to fetch it ended

  function applyRoster(data) {
    roster = data;
    byCode = {};
    (data.members || []).forEach((m) => { byCode[m.code] = m; });
    el.closed.hidden = data.open !== false;
  }

  function indexMine() {
    mineByCode = {};
    mine.forEach((c) => {
      if (!NOT_COUNTED.includes(c.result) && !mineByCode[c.code]) mineByCode[c.code] = c;
    });
  }

  // When the member was checked in here, by any phone: the server's time, else this phone's.
  function checkedAt(member) {
    if (member.checked_in_at) return member.checked_in_at;
    const local = mineByCode[member.code];
    return local ? local.checked_in_at || local.at : null;
  }

  // ---------- deciding ----------
  function decide(code) {
    if (code === null) return { tone: "red", verdict: T.invalid };
    if (roster && roster.open === false) return { tone: "red", verdict: T.closed };
    const local = mineByCode[code];
    if (!roster) {
      if (local) return { tone: "amber", verdict: fill(T.already_here, { time: clock(local.at) }) };
      return { tone: "amber", verdict: T.kept, queue: true };
    }
    const member = byCode[code];
    if (!member) return { tone: "red", verdict: T.unknown };
    const who = { name: member.name, detail: [member.delegation, member.position].filter(Boolean).join(" · ") };
    if (member.status === "refused") return { tone: "red", verdict: member.reason || T.refused, ...who };
    if (member.status === "not_listed") return { tone: "amber", verdict: member.reason || T.not_listed, ...who };
    if (member.checked_in_at) return { tone: "amber", verdict: fill(T.already, { time: clock(member.checked_in_at) }), ...who };
    if (local) return { tone: "amber", verdict: fill(T.already_here, { time: clock(local.at) }), ...who };
    return { tone: "green", verdict: T.ok, queue: true, ...who };
  }

  function show(answer, checkinId) {
    shownId = checkinId || null;
    el.answer.dataset.tone = answer.tone;
    el.verdict.textContent = answer.verdict;
    el.name.textContent = answer.name || "";
    el.detail.textContent = answer.detail || "";
    feedback(answer.tone);
  }

  // Handles a scan or a name chosen by hand: answers at once, then stores and queues.
  function handle(text, source) {
    const code = normalise(text);
    const answer = decide(code);
    let record = null;
    if (answer.queue) {
      const member = byCode[code];
      record = {
        id: uuid(), point: POINT, code: code, at: nowWithOffset(), source: source,
        name: member ? member.name : "", delegation: member ? member.delegation : "",
        state: "waiting", result: null, message: "", checked_in_at: null,
      };
      mine.push(record);
      mineByCode[code] = record;
    }
    show(answer, record && record.id);
    if (record) {
      renderAll();
      dbReady.then((db) => db.put("checkins", record)).then(() => sync());
    }
  }

  // ---------- feedback: a short buzz and beep, once the page has been touched ----------
  let audio = null;
  const wake = () => {
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    }
  };
  document.addEventListener("pointerdown", wake, { once: true });
  document.addEventListener("keydown", wake, { once: true });
  function feedback(tone) {
    if (tone === "idle") return;
    const touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (touched && navigator.vibrate) navigator.vibrate(tone === "green" ? 80 : [120, 80, 120]);
    if (!audio || audio.state !== "running") return;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = tone === "green" ? 880 : tone === "amber" ? 520 : 220;
    gain.gain.value = 0.15;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + (tone === "green" ? 0.12 : 0.35));
  }

  // ---------- rendering ----------
  function renderBanner() {
    const waiting = mine.filter((c) => c.state === "waiting").length;
    const offline = !navigator.onLine || !reachable;
    let text, tone;
    if (authProblem) { text = T.signin; tone = "warn"; }
    else if (offline) { text = waiting ? T.offline + " · " + plural(T.waiting, waiting) : T.offline_none; tone = "offline"; }
    else if (sendProblem && waiting) { text = plural(T.waiting, waiting) + " · " + T.send_failed; tone = "warn"; }
    else if (waiting) { text = plural(T.waiting, waiting) + " · " + T.sending; tone = "busy"; }
    else { text = T.all_sent; tone = "ok"; }
    el.sync.textContent = text;
    el.sync.dataset.tone = tone;
    el.sync.dataset.waiting = String(waiting);
  }

  function contactLinks(member) {
    const links = document.createElement("span");
    links.className = "scanner__contact";
    if (!member.phone) return links;
    const call = document.createElement("a");
    call.href = "tel:" + member.phone;
    call.textContent = phoneText(member.phone);
    call.setAttribute("aria-label", fill(T.call, { name: member.name }));
    const chat = document.createElement("a");
    chat.href = "https://wa.me/" + member.phone.replace(/\D/g, "");
    chat.rel = "noopener noreferrer";
    chat.target = "_blank";
    chat.textContent = "WhatsApp";
    chat.setAttribute("aria-label", fill(T.whatsapp, { name: member.name }));
    links.append(call, " · ", chat);
    return links;
  }

  function renderCounts() {
    el.counts.replaceChildren();
    if (!roster) { el.rosterAt.textContent = T.no_roster; return; }
    el.rosterAt.textContent = fill(T.roster_at, { time: clock(roster.fetched_at) });
    const groups = new Map();
    (roster.counts || []).forEach((c) => groups.set(c.delegation, []));
    roster.members.forEach((m) => {
      if (m.status !== "expected") return;
      if (!groups.has(m.delegation)) groups.set(m.delegation, []);
      groups.get(m.delegation).push(m);
    });
    groups.forEach((members, delegation) => {
      if (!members.length) return;
      const missing = members.filter((m) => !checkedAt(m));
      const item = document.createElement("li");
      item.className = "scanner__delegation";
      item.dataset.complete = String(!missing.length);
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      const name = document.createElement("span");
      name.textContent = delegation;
      const count = document.createElement("strong");
      count.dataset.delegationCount = delegation;
      count.textContent = fill(T.count, {
        checked: number(members.length - missing.length), expected: number(members.length),
      });
      summary.append(name, " ", count);
      details.append(summary);
      if (missing.length) {
        const list = document.createElement("ul");
        list.className = "scanner__missing";
        missing.forEach((m) => {
          const row = document.createElement("li");
          const who = document.createElement("span");
          who.textContent = m.name + (m.position ? " · " + m.position : "");
          row.append(who, " ", contactLinks(m));
          list.append(row);
        });
        details.append(list);
      } else {
        const done = document.createElement("p");
        done.textContent = T.all_here;
        details.append(done);
      }
      item.append(details);
      el.counts.append(item);
    });
  }

  function renderRecent() {
    el.recent.replaceChildren();
    mine.slice(-8).reverse().forEach((c) => {
      const row = document.createElement("li");
      row.dataset.state = c.state;
      const who = c.name || c.code;
      let state = c.state === "waiting" ? T.state_waiting : T.state_sent;
      if (c.state === "sent" && c.result !== "checked_in" && c.message) state += " · " + c.message;
      row.textContent = clock(c.at) + " · " + who + (c.source === "name" ? " (" + T.by_name + ")" : "") + " · " + state;
      el.recent.append(row);
    });
  }

  function renderAll() {
    renderBanner();
    renderCounts();
    renderRecent();
  }

  // ---------- the network ----------
  async function setting(key, value) {
    const db = await dbReady;
    if (value === undefined) return db.get("settings", key);
    return db.put("settings", value, key);
  }

  class AuthError extends Error {}

  // A token for this phone from the staff session (the page's CSRF token proves the page).
  async function newToken() {
    const body = new FormData();
    body.append("csrf_token", cfg.csrf);
    const response = await fetch(cfg.deviceUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": cfg.csrf, Accept: "application/json" },
    });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || response.redirected || !type.includes("json")) throw new AuthError();
    const data = await response.json();
    await setting(tokenKey, data.token);
    return data.token;
  }

  async function api(url, options) {
    let token = (await setting(tokenKey)) || (await newToken());
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(url, {
        ...options,
        credentials: "omit",
        cache: "no-store",
        headers: { ...(options.headers || {}), Authorization: "Bearer " + token, Accept: "application/json" },
      });
      if (response.status !== 401 || attempt) return response;
      token = await newToken();
    }
  }

  async function send(batch) {
    const response = await api(cfg.checkinsUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        device: (el.device.value || "").slice(0, 100),
        checkins: batch.map((c) => ({ id: c.id, code: c.code, at: c.at, source: c.source })),
      }),
    });
    if (response.status === 401) throw new AuthError();
    if (response.status !== 200 && response.status !== 409) { sendProblem = true; return false; }
    const data = await response.json();
    const results = {};
    (data.results || []).forEach((r) => { results[r.id] = r; });
    const db = await dbReady;
    for (const c of batch) {
      const r = results[c.id];
      if (!r) continue;
      Object.assign(c, { state: "sent", result: r.result, message: r.message || "", checked_in_at: r.checked_in_at });
      if (r.member && !c.name) Object.assign(c, { name: r.member.name, delegation: r.member.delegation });
      await db.put("checkins", c);
      const agrees = r.result === "checked_in" && el.answer.dataset.tone === "green";
      if (c.id === shownId && !agrees) {
        // Another phone was first, the server knows better than the roster on this phone, or
        // the phone had no roster yet: the server's answer replaces the panel's.
        const tone = r.result === "checked_in" ? "green" : r.result === "already" || r.result === "not_listed" ? "amber" : "red";
        const verdict = r.result === "checked_in" ? T.ok
          : r.result === "already" && r.checked_in_at ? fill(T.already, { time: clock(r.checked_in_at) })
          : r.message;
        const who = r.member ? { name: r.member.name, detail: r.member.delegation } : { name: el.name.textContent, detail: el.detail.textContent };
        show({ tone: tone, verdict: verdict, ...who }, c.id);
      }
      if (r.result === "closed" && roster) roster.open = false;
    }
    sendProblem = false;
    indexMine();
    return true;
  }

  async function fetchRoster() {
    const response = await api(cfg.rosterUrl, { method: "GET" });
    if (response.status === 401) throw new AuthError();
    if (!response.ok) return;
    const data = await response.json();
    applyRoster(data);
    rosterFetchedAt = Date.now();
    await (await dbReady).put("rosters", data);
  }

  async function sync() {
    if (syncing) return;
    if (!navigator.onLine) { renderBanner(); return; } // no request when the phone knows it is offline
    syncing = true;
    let more = false;
    try {
      const waiting = mine.filter((c) => c.state === "waiting");
      let sent = false;
      if (waiting.length) sent = await send(waiting.slice(0, BATCH));
      more = sent && waiting.length > BATCH;
      if (sent || !roster || Date.now() - rosterFetchedAt > ROSTER_EVERY) await fetchRoster();
      reachable = true;
      authProblem = false;
    } catch (error) {
      if (error instanceof AuthError) authProblem = true;
      else reachable = false; // no signal, or the server did not answer
    } finally {
      syncing = false;
      renderAll();
    }
    if (more) setTimeout(sync, 0); // the next batch
  }

  // ---------- by name ----------
  let chosen = null;
  function renderMatches() {
    el.matches.replaceChildren();
    chosen = null;
    el.checkinName.disabled = true;
    const words = fold(el.search.value).split(/\s+/).filter(Boolean);
    if (!words.length || !roster) return;
    const found = roster.members.filter((m) => {
      const name = fold(m.name);
      return words.every((w) => name.includes(w));
    }).slice(0, 8);
    if (!found.length) {
      const none = document.createElement("li");
      none.className = "muted";
      none.textContent = T.no_match;
      el.matches.append(none);
      return;
    }
    found.forEach((m) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button--secondary scanner__match";
      button.setAttribute("aria-pressed", "false");
      button.dataset.code = m.code;
      const name = document.createElement("strong");
      name.textContent = m.name;
      const where = document.createElement("span");
      where.textContent = m.delegation + (m.position ? " · " + m.position : "");
      button.append(name, where);
      button.addEventListener("click", () => {
        el.matches.querySelectorAll("[aria-pressed]").forEach((b) => b.setAttribute("aria-pressed", "false"));
        button.setAttribute("aria-pressed", "true");
        chosen = m.code;
        el.checkinName.disabled = false;
      });
      item.append(button);
      el.matches.append(item);
    });
  }
  el.search.addEventListener("input", renderMatches);
  el.checkinName.addEventListener("click", () => {
    if (!chosen) { show({ tone: "amber", verdict: T.choose }); return; }
    handle(chosen, "name");
    el.search.value = "";
    renderMatches();
  });

  // ---------- the camera ----------
  let stream = null;
  let detector = null;
  let timer = null;
  let lastText = null;
  let lastSeenAt = 0;
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });

  async function makeDetector() {
    if (!("BarcodeDetector" in window)) return null;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      return formats.includes("qr_code") ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    } catch (error) {
      return null;
    }
  }

  async function startCamera() {
    el.cameraStart.hidden = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      el.cameraNote.textContent = T.camera_none;
      return;
    }
    detector = await makeDetector();
    if (!detector && !window.jsQR) { el.cameraNote.textContent = T.camera_no_decoder; return; }
    el.cameraNote.textContent = T.camera_starting;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false,
      });
    } catch (error) {
      el.cameraNote.textContent = T.camera_none;
      el.cameraStart.hidden = false;
      return;
    }
    el.video.srcObject = stream;
    try { await el.video.play(); } catch (error) { /* muted inline video plays without a tap */ }
    el.cameraNote.textContent = T.camera_ready;
    root.dataset.decoder = detector ? "BarcodeDetector" : "jsQR";
    clearTimeout(timer);
    timer = setTimeout(look, SCAN_EVERY);
  }

  function stopCamera() {
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
  }

  async function read() {
    const video = el.video;
    if (detector) {
      const codes = await detector.detect(video);
      return codes.length ? codes[0].rawValue : null;
    }
    const scale = Math.min(1, 640 / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    const found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
      inversionAttempts: "attemptBoth",
    });
    return found ? found.data : null;
  }

  async function look() {
    if (!stream) return;
    if (el.video.readyState >= 2 && el.video.videoWidth) {
      let text = null;
      try { text = await read(); } catch (error) { text = null; }
      const now = Date.now();
      if (text && ready) {
        if (text !== lastText || now - lastSeenAt > SAME_CODE_QUIET) handle(text, "scan");
        lastText = text;
        lastSeenAt = now;
      }
    }
    timer = setTimeout(look, SCAN_EVERY);
  }

  el.cameraStart.addEventListener("click", startCamera);
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) stopCamera();
    else if (!stream) startCamera();
  });

  // ---------- the service worker: this page opens again with no signal ----------
  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.swScope }).then(() => navigator.serviceWorker.ready).then((registration) => {
      const urls = [location.pathname];
      document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=manifest], link[rel=icon]").forEach((node) => {
        urls.push(node.src || node.href);
      });
      if (registration.active) registration.active.postMessage({ type: "keep", urls: urls });
    }).catch(() => { /* offline use needs the worker; scanning does not */ });
  }

  // ---------- start ----------
  async function start() {
    const db = await dbReady;
    const stored = await db.get("rosters", POINT);
    if (stored) applyRoster(stored);
    mine = (await db.getAllFromIndex("checkins", "point", POINT)).sort((a, b) => (a.at < b.at ? -1 : 1));
    indexMine();
    let device = await setting("device");
    if (!device) {
      device = "Scanner " + uuid().slice(0, 4).toUpperCase();
      await setting("device", device);
    }
    el.device.value = device;
    el.device.addEventListener("change", () => setting("device", el.device.value.trim().slice(0, 100)));
    renderAll();
    window.addEventListener("online", () => { reachable = true; sync(); });
    window.addEventListener("offline", renderBanner);
    setInterval(sync, SYNC_EVERY);
    if (roster) ready = true;
    await sync();
    ready = true;
  }

  start().catch(() => { ready = true; el.rosterAt.textContent = T.no_roster; });
  startCamera();
  registerWorker();
})();
