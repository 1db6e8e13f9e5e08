// Progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="#input-id" hidden>
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-copy"));
      navigator.clipboard.writeText(input.value).then(function () {
        var label = button.textContent;
        button.textContent = "✓";
        setTimeout(function () { button.textContent = label; }, 1500);
      });
    });
  });

  // Print buttons on the printable sheets.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Itineraries (/m/<token>, /d/<token>) open without signal: <p data-itinerary data-sw=...
  // data-sw-scope=... data-served=...>. The worker (static/js/itinerary-sw.js) keeps this page
  // only, with its own path as scope; its kept copy says data-served="cache".
  var itinerary = document.querySelector("[data-itinerary]");
  if (itinerary && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(itinerary.getAttribute("data-sw"), {
      scope: itinerary.getAttribute("data-sw-scope")
    }).catch(function () { /* the page works as before, online only */ });
  }
  var offlineNote = document.querySelector("[data-offline-note]");
  if (itinerary && offlineNote) {
    var offlineText = offlineNote.querySelector("[data-offline-text]");
    var onlineText = offlineNote.querySelector("[data-online-text]");
    var refresh = offlineNote.querySelector("[data-refresh]");
    // The note says "offline" with the time the page was fetched, in place of that line.
    var showOffline = function () {
      offlineNote.hidden = false;
      offlineText.hidden = false;
      onlineText.hidden = true;
      refresh.hidden = navigator.onLine === false;
      itinerary.hidden = true;
    };
    // Back online after showing a kept copy: offer the fresh page rather than jump to it.
    var showOnline = function () {
      if (offlineNote.hidden) return;
      offlineText.hidden = true;
      onlineText.hidden = false;
      refresh.hidden = false;
      itinerary.hidden = false;
    };
    refresh.addEventListener("click", function () { window.location.reload(); });
    if (itinerary.getAttribute("data-served") === "cache" || navigator.onLine === false) showOffline();
    window.addEventListener("offline", showOffline);
    window.addEventListener("online", showOnline);
  }

  // Member rows: "Add rows" appends one empty row at once instead of reloading the page.
  var form = document.querySelector("[data-members-form]");
  if (!form) return;
  var list = form.querySelector("[data-member-rows]");
  var addButton = form.querySelector("[data-add-row]");
  if (!list || !addButton) return;
  var limit = parseInt(form.getAttribute("data-limit") || "0", 10);

  function renumber(row, index) {
    row.querySelectorAll("[name], [id], [for], [aria-describedby], [aria-labelledby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby", "aria-labelledby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/members-\d+-/g, "members-" + index + "-"));
      });
    });
    var legend = row.querySelector("legend");
    if (legend) legend.textContent = legend.textContent.replace(/\d+/, String(index + 1));
  }

  // The "n of at most 30" counter follows what is typed.
  var counter = form.querySelector("[data-member-count]");
  function filledRows() {
    return Array.prototype.filter.call(list.querySelectorAll("[data-member-row]"), function (row) {
      return Array.prototype.some.call(row.querySelectorAll("input[type=text], input[type=tel], input[type=email]"), function (input) {
        return input.value.trim() !== "";
      });
    }).length;
  }
  if (counter) {
    var template = counter.getAttribute("data-template");
    list.addEventListener("input", function () {
      counter.textContent = template.replace("{count}", String(filledRows()));
    });
  }

  addButton.addEventListener("click", function (event) {
    var rows = list.querySelectorAll("[data-member-row]");
    if (limit && rows.length >= limit) return;
    event.preventDefault();
    var row = rows[rows.length - 1].cloneNode(true);
    row.classList.remove("member-row--error");
    row.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".field--error").forEach(function (el) { el.classList.remove("field--error"); });
    row.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.type === "checkbox") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = el.name.endsWith("-role") ? 1 : 0;
      else el.value = "";
    });
    renumber(row, rows.length);
    list.appendChild(row);
    if (limit && rows.length + 1 >= limit) addButton.hidden = true;
    var first = row.querySelector("input:not([type=hidden])");
    if (first) first.focus();
  });
})();
