// The region field (<select data-region-select>, the Kemendagri list grouped by province) as a
// type-ahead: a search box whose list shows the regions matching every word typed, anywhere in
// the name or the province, without regard to case or accents ("kab seruyan", "seruyan").
// The <select> stays in the form and carries the choice; without this script it is the field.
(function () {
  "use strict";

  var SHOWN = 60; // rows in the list at once; typing more narrows it
  // How people shorten the kinds of region.
  var SHORT = { pemkab: "kabupaten", pemkot: "kota", pemprov: "provinsi", kab: "kabupaten", prov: "provinsi" };

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/[^a-z0-9.]+/).map(function (word) {
      return /^\d/.test(word) ? word.replace(/\.$/, "") : word.replace(/\./g, "");
    }).filter(Boolean);
  }

  function startsOne(list, word) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].lastIndexOf(word, 0) === 0) return true;
    }
    return false;
  }

  function enhance(select) {
    var form = select.form;
    var field = select.closest(".field") || select.parentNode;
    var label = field.querySelector("label[for='" + select.id + "']");
    var institution = form && form.elements.namedItem(select.name.replace(/region_code$/, "institution"));
    var province = form && form.elements.namedItem(select.name.replace(/region_code$/, "province"));
    var zoneNote = form && form.querySelector("[data-zone-note]");
    var texts = {
      none: select.getAttribute("data-text-none"),
      found: select.getAttribute("data-text-found"),
      more: select.getAttribute("data-text-more"),
      nothing: select.options[0].text
    };

    // The list to search, read once from the select's options.
    var regions = [];
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var provinceName = group.getAttribute("data-province");
      var zone = group.getAttribute("data-zone");
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option, index) {
        var own = words(option.text).concat([option.value]);
        regions.push({
          option: option,
          name: option.text,
          province: provinceName,
          zone: zone,
          isProvince: index === 0,
          own: own,
          all: own.concat(words(provinceName))
        });
      });
    });

    var box = document.createElement("div");
    box.className = "region-picker";
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-search";
    input.className = "region-picker__input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-list");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("autocapitalize", "off");
    input.setAttribute("spellcheck", "false");
    input.setAttribute("enterkeyhint", "done");
    if (select.getAttribute("data-placeholder")) input.placeholder = select.getAttribute("data-placeholder");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    var list = document.createElement("ul");
    list.id = select.id + "-list";
    list.className = "region-picker__list";
    list.setAttribute("role", "listbox");
    if (label) {
      label.id = label.id || select.id + "-label";
      list.setAttribute("aria-labelledby", label.id);
      label.setAttribute("for", input.id);
    }
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select);
    select.hidden = true;
    select.tabIndex = -1;

    var shown = [];
    var active = -1;

    function current() {
      var option = select.options[select.selectedIndex];
      if (!option || !option.value) return null;
      for (var i = 0; i < regions.length; i++) if (regions[i].option === option) return regions[i];
      return null;
    }

    function title(region) {
      return region.isProvince ? region.name : region.name + " (" + region.province + ")";
    }

    // What a chosen region means for the other fields: the province follows it; the
    // institution, left empty, becomes the region's government (shown as its placeholder).
    function follow() {
      var region = current();
      if (province) {
        province.readOnly = !!region;
        if (region) province.value = region.province;
      }
      if (institution) institution.placeholder = region ? "Pemerintah " + region.name : "";
      if (zoneNote) {
        var note = region && zoneNote.getAttribute("data-zone-" + region.zone.toLowerCase());
        zoneNote.hidden = !note;
        if (note) zoneNote.textContent = note;
      }
    }

    function matches(query) {
      var wanted = words(query).map(function (word) { return SHORT[word] || word; });
      if (!wanted.length) return regions;
      var first = [], second = [];
      regions.forEach(function (region) {
        if (wanted.every(function (word) { return startsOne(region.own, word); })) first.push(region);
        else if (wanted.every(function (word) { return startsOne(region.all, word); })) second.push(region);
      });
      return first.concat(second);
    }

    function row(text, index, extra) {
      var item = document.createElement("li");
      item.id = select.id + "-option-" + index;
      item.setAttribute("role", "option");
      item.className = "region-picker__option";
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-index", String(index));
      item.appendChild(document.createTextNode(text));
      if (extra) {
        var small = document.createElement("span");
        small.className = "region-picker__where";
        small.textContent = extra;
        item.appendChild(small);
      }
      return item;
    }

    function open(query) {
      var found = matches(query);
      shown = [null].concat(found.slice(0, SHOWN)); // the first row: no region
      list.textContent = "";
      var rows = document.createDocumentFragment();
      rows.appendChild(row(texts.nothing, 0));
      for (var i = 1; i < shown.length; i++) {
        var region = shown[i];
        rows.appendChild(row(region.name, i, (region.isProvince ? "" : region.province + " · ") + region.zone));
      }
      list.appendChild(rows);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      var message = found.length ? texts.found.replace("{count}", String(found.length)) : texts.none;
      if (found.length > SHOWN) message += " " + texts.more;
      status.textContent = message;
      if (!found.length) {
        var empty = document.createElement("li");
        empty.className = "region-picker__empty";
        empty.setAttribute("aria-hidden", "true");
        empty.textContent = texts.none;
        list.appendChild(empty);
      }
      highlight(query.trim() && found.length ? 1 : -1);
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var previous = list.querySelector("[aria-selected=true]");
      if (previous) previous.setAttribute("aria-selected", "false");
      active = index;
      if (index < 0) { input.removeAttribute("aria-activedescendant"); return; }
      var item = document.getElementById(select.id + "-option-" + index);
      item.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", item.id);
      if (item.scrollIntoView) item.scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var region = shown[index];
      var before = current();
      // The former region's government was only a default: the new region gives its own.
      if (institution && before && institution.value.trim() === "Pemerintah " + before.name) institution.value = "";
      select.value = region ? region.option.value : "";
      input.value = region ? title(region) : "";
      close();
      follow();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // Leaving the box without choosing shows the choice as it is (an emptied box: no region).
    function settle() {
      if (!input.value.trim()) { if (current()) choose(0); return; }
      var region = current();
      input.value = region ? title(region) : "";
    }

    input.addEventListener("input", function () { open(input.value); });
    input.addEventListener("focus", function () {
      input.select();
      if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches && box.scrollIntoView) {
        box.scrollIntoView({ block: "start", behavior: "smooth" }); // room for the list above the keyboard
      }
    });
    input.addEventListener("click", function () { if (list.hidden) open(""); });
    input.addEventListener("keydown", function (event) {
      var last = shown.length - 1;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (list.hidden) { open(input.value === (current() && title(current())) ? "" : input.value); return; }
          highlight(active >= last ? 0 : active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!list.hidden) highlight(active <= 0 ? last : active - 1);
          break;
        case "Enter":
          if (!list.hidden && active >= 0) { event.preventDefault(); choose(active); }
          break;
        case "Escape":
          if (!list.hidden) { event.preventDefault(); close(); settle(); }
          break;
        case "Tab":
          if (!list.hidden && active > 0 && input.value.trim()) choose(active);
          break;
      }
    });
    input.addEventListener("blur", function () {
      if (!list.hidden) close();
      settle();
    });
    // A tap or click on a row chooses it; the box keeps the focus meanwhile.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var item = event.target.closest("[role=option]");
      if (item) choose(parseInt(item.getAttribute("data-index"), 10));
      input.focus();
    });

    // The error summary's link to the field leads to the box.
    document.querySelectorAll("a[href='#" + select.id + "']").forEach(function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); input.focus(); });
    });

    var region = current();
    input.value = region ? title(region) : "";
    follow();
  }

  document.querySelectorAll("select[data-region-select]").forEach(enhance);
})();
