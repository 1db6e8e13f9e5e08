// "Paste a list" on the delegation form: the pasted people fill the member rows at once, the
// way the server does it without JavaScript (planner/delegations/pasting.py reads the list,
// MembersForm.paste_list fills the rows; change them together). Nothing is saved here: the
// contact checks the rows, then sends the form.
(function () {
  "use strict";

  var box = document.querySelector("[data-paste]");
  if (!box) return;
  var form = box.closest("form");
  var list = form && form.querySelector("[data-member-rows]");
  var textarea = box.querySelector("textarea");
  var button = box.querySelector("[data-paste-button]");
  var notice = box.querySelector("[data-paste-notice]");
  if (!list || !textarea || !button || !notice) return;
  var rules = JSON.parse(box.getAttribute("data-paste-rules"));
  var limit = parseInt(form.getAttribute("data-limit") || "0", 10);

  // The same patterns as pasting.py.
  var NUMBERING = /^\s*(?:\d{1,3}\s*[.)]|[-–•*])\s*/;
  var NUMBER_CELL = /^\d{1,3}[.)]?$/;
  var DEGREE = /^(?:[A-Z][A-Za-z]{0,3}\.){1,3}(?:[A-Z][A-Za-z]{0,3}\.?)?$/;
  var DELIMITERS = ["\t", ";", ","];

  function headerKey(text) {
    return text.replace(/\*/g, "").toLowerCase().split(/\s+/).join("");
  }
  function squash(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }
  function known(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key);
  }

  // Python's csv.reader (strict): a quote opens a quoted cell only at the start of a cell;
  // "" inside one is a quote; a quoted cell may hold separators and line breaks. null when a
  // quote is never closed or text follows a closing quote (then each line is split alone, as
  // pasting.py does).
  function readCsv(text, delimiter) {
    var records = [], record = [], cell = "", quoted = false, atStart = true, closed = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (quoted) {
        if (ch === '"' && text.charAt(i + 1) === '"') { cell += '"'; i++; }
        else if (ch === '"') { quoted = false; closed = true; }
        else cell += ch;
        continue;
      }
      if (closed && ch !== delimiter && ch !== "\n") return null;
      closed = false;
      if (ch === '"' && atStart) { quoted = true; atStart = false; }
      else if (ch === delimiter) { record.push(cell); cell = ""; atStart = true; }
      else if (ch === "\n") { record.push(cell); records.push(record); record = []; cell = ""; atStart = true; }
      else { cell += ch; atStart = false; }
    }
    if (quoted) return null;
    record.push(cell);
    records.push(record);
    return records;
  }

  function headerColumns(cells) {
    var keys = cells.map(headerKey);
    var found = keys.filter(function (key) { return known(rules.headers, key); }).length;
    var unknown = keys.filter(function (key) {
      return key && !known(rules.headers, key) && rules.ignored.indexOf(key) < 0;
    }).length;
    if (!found || unknown >= found) return null;
    return keys.map(function (key) { return known(rules.headers, key) ? rules.headers[key] : null; });
  }

  function isDegree(cell) {
    return DEGREE.test(cell) || rules.degrees.indexOf(cell.replace(/\./g, "").toLowerCase()) >= 0;
  }

  function nameWithDegrees(cells, columns) {
    var at = columns ? Math.max(0, columns.indexOf("full_name")) : 0;
    var end = at + 1;
    while (end < cells.length && isDegree(cells[end])) end++;
    if (end === at + 1) return cells;
    return cells.slice(0, at).concat([cells.slice(at, end).join(", ")], cells.slice(end));
  }

  function values(cells, columns) {
    var found = {};
    cells.forEach(function (cell, index) {
      cell = cell.split(/\s+/).filter(Boolean).join(" ");
      var field = columns ? columns[index] : rules.columns[index];
      if (!field || known(found, field)) return;
      if (field === "gender" && known(rules.genders, squash(cell))) cell = rules.genders[squash(cell)];
      if (field === "role" && known(rules.roles, squash(cell))) cell = rules.roles[squash(cell)];
      found[field] = cell;
    });
    return found;
  }

  function readList(text) {
    var lines = [];
    var raw = text.slice(0, rules.max_chars).replace(/\r\n?/g, "\n").split("\n");
    for (var i = 0; i < raw.length && lines.length < rules.max_lines; i++) {
      var line = raw[i].replace(NUMBERING, "").trim();
      if (line && !(lines.length === 0 && /:$/.test(line))) lines.push(line);
    }
    if (!lines.length) return [];
    var delimiter = null;
    DELIMITERS.forEach(function (candidate) {
      if (delimiter === null && lines.some(function (line) { return line.indexOf(candidate) >= 0; })) {
        delimiter = candidate;
      }
    });
    var records;
    if (delimiter === null) records = lines.map(function (line) { return [line]; });
    else records = readCsv(lines.join("\n"), delimiter) || lines.map(function (line) { return line.split(delimiter); });
    records = records.map(function (record) { return record.map(function (cell) { return cell.trim(); }); });
    var columns = headerColumns(records[0]);
    if (columns) records = records.slice(1);
    var people = [];
    records.forEach(function (cells) {
      if (delimiter === ",") cells = nameWithDegrees(cells, columns);
      if (!columns && cells.length > 1 && NUMBER_CELL.test(cells[0])) cells = cells.slice(1);
      var person = values(cells, columns);
      if (Object.keys(person).some(function (key) { return person[key]; })) people.push(person);
    });
    return people;
  }

  // --- the member rows ------------------------------------------------------------------

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-member-row]"));
  }
  function isBlank(row) {
    return !Array.prototype.some.call(
      row.querySelectorAll("input[type=text], input[type=tel], input[type=email]"),
      function (input) { return input.value.trim() !== ""; }
    );
  }
  // A new row through the form's own "Add rows" button (planner.js clones the last row);
  // the form is never sent by it.
  function addRow() {
    var addButton = form.querySelector("[data-add-row]");
    var before = rows().length;
    if (!addButton || (limit && before >= limit)) return null;
    var stop = function (event) { event.preventDefault(); };
    form.addEventListener("submit", stop);
    addButton.click();
    form.removeEventListener("submit", stop);
    var after = rows();
    if (after.length <= before) return null;
    var row = after[after.length - 1];
    row.querySelectorAll("option[data-pasted]").forEach(function (option) { option.remove(); });
    return row;
  }
  function fill(row, person) {
    Object.keys(person).forEach(function (name) {
      var input = row.querySelector('[name$="-' + name + '"]');
      if (!input) return;
      var value = person[name];
      if (input.tagName === "SELECT") {
        var offered = Array.prototype.some.call(input.options, function (option) { return option.value === value; });
        if (!offered) {  // shown as pasted: sending the form names the mistake at the field
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value;
          option.setAttribute("data-pasted", "");
          input.appendChild(option);
        }
      }
      input.value = value;
    });
  }

  function say(one, other, count) {
    var text = box.getAttribute(count === 1 ? one : other);
    return text.replace("{count}", count.toLocaleString(document.documentElement.lang || undefined));
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var people = readList(textarea.value);
    notice.classList.remove("paste-box__notice--warn");
    if (!people.length) {
      notice.textContent = box.getAttribute("data-none");
      notice.classList.add("paste-box__notice--warn");
      textarea.focus();
      return;
    }
    var current = rows();
    var filled = current.filter(function (row) { return !isBlank(row); }).length;
    var empty = current.filter(isBlank);
    var free = Math.max(0, (limit || people.length + filled) - filled);
    var placed = 0;
    for (var i = 0; i < people.length && placed < free; i++) {
      var row = empty.length ? empty.shift() : addRow();
      if (!row) break;
      fill(row, people[i]);
      placed++;
    }
    var left = people.length - placed;
    var parts = [];
    if (placed) parts.push(say("data-read-one", "data-read-other", placed));
    if (left) {
      parts.push(say("data-left-one", "data-left-other", left));
      notice.classList.add("paste-box__notice--warn");
    }
    textarea.value = "";
    var first = list.querySelector("input");
    if (first) first.dispatchEvent(new Event("input", { bubbles: true }));  // the counter
    button.focus();
    notice.textContent = parts.join(" ");
  });
})();
