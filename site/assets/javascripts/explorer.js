/*
 * Repository explorer: loads the crawled repositories (a same-origin JSON file) and shows
 * them in an accessible, sortable, filterable and paged table.
 *
 * Built for tens of thousands of rows: search runs on strings lower-cased once at load,
 * each sort order is computed once and cached, and only the current page is rendered.
 * Every value from the file is written with textContent (never parsed as HTML) and only
 * http(s) addresses become links. No dependency, no third-party request.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 50;
  var ANNOUNCE_DELAY = 400;
  var NONE = "_aucun";
  var FILTERS = [
    { key: "forge", label: "Forge", all: "Toutes les forges", none: "Forge non renseignée" },
    { key: "organisation", label: "Organisation", all: "Toutes les organisations",
      none: "Organisation non renseignée" },
    { key: "langage", label: "Langage", all: "Tous les langages", none: "Langage non renseigné" },
    { key: "licence", label: "Licence", all: "Toutes les licences", none: "Sans licence connue" }
  ];
  var FLAGS = [
    { key: "archive", label: "Dépôts archivés", options: [
      ["", "Inclus"], ["exclure", "Exclus"], ["seulement", "Seulement eux"]] },
    { key: "fork", label: "Bifurcations (forks)", options: [
      ["", "Incluses"], ["exclure", "Exclues"], ["seulement", "Seulement elles"]] }
  ];
  var COLUMNS = [
    { key: "nom", label: "Nom", sort: "nom", first: "asc" },
    { key: "organisation", label: "Organisation" },
    { key: "forge", label: "Forge" },
    { key: "langage", label: "Langage" },
    { key: "licence", label: "Licence" },
    { key: "etoiles", label: "Étoiles", sort: "etoiles", first: "desc", numeric: true },
    { key: "derniere_activite", label: "Dernière activité", sort: "activite", first: "desc" },
    { key: "score", label: "Santé (sur 100)", sort: "score", first: "desc", numeric: true }
  ];
  var SORT_NAMES = { nom: "nom", etoiles: "nombre d'étoiles", activite: "dernière activité",
    score: "score de santé" };

  function normalise(text) {
    return String(text === null || text === undefined ? "" : text)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  function formatNumber(value) {
    return Number(value).toLocaleString("fr-FR");
  }

  var dateFormat = null;
  function formatDate(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return String(iso);
    if (!dateFormat) {
      dateFormat = new Intl.DateTimeFormat("fr-FR", {
        day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
      });
    }
    return dateFormat.format(date);
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function safeHttpUrl(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      var url = new URL(value, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  /* One row, with everything the filters and sorts need computed once. */
  function prepare(raw, index) {
    var row = {
      index: index,
      nom: text(raw.nom),
      organisation: text(raw.organisation),
      forge: text(raw.forge),
      url: safeHttpUrl(raw.url),
      description: text(raw.description),
      langage: text(raw.langage),
      licence: text(raw.licence),
      etoiles: typeof raw.etoiles === "number" && isFinite(raw.etoiles) ? raw.etoiles : null,
      fork: raw.fork === true,
      archive: raw.archive === true,
      derniere_activite: text(raw.derniere_activite),
      score: typeof raw.score === "number" && isFinite(raw.score) ? raw.score : null,
      archive_swh: safeHttpUrl(raw.archive_swh)
    };
    row.search = normalise(row.nom + " " + row.organisation + " " + row.description);
    row.sortName = normalise(row.nom) + "\u0000" + normalise(row.organisation);
    row.facets = {
      forge: row.forge || NONE,
      organisation: row.organisation || NONE,
      langage: row.langage || NONE,
      licence: row.licence || NONE
    };
    return row;
  }

  var uid = 0;
  function nextId(prefix) {
    uid += 1;
    return prefix + "-" + uid;
  }

  function Explorer(root) {
    this.root = root;
    this.rows = [];
    this.sorted = {};
    this.state = {
      q: "", facets: {}, archive: "", fork: "", tri: "nom", ordre: "asc", page: 1
    };
    this.announceTimer = null;
  }

  Explorer.prototype.load = function () {
    var self = this;
    var source = this.root.getAttribute("data-src") || "depots.json";
    var url;
    try {
      url = new URL(source, window.location.href);
    } catch (error) {
      url = null;
    }
    this.root.setAttribute("aria-busy", "true");
    var loading = element("p", { "class": "inv-explorer__loading", role: "status" },
      "Chargement de la liste des dépôts…");
    this.root.replaceChildren(loading);
    if (!url || url.origin !== window.location.origin) {
      this.fail("l'adresse de la liste n'est pas sur ce site");
      return;
    }
    window.fetch(url.href, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (payload) {
        self.start(payload);
      })
      .catch(function (error) {
        self.fail(error && error.message ? error.message : "erreur inconnue");
      });
  };

  Explorer.prototype.fail = function (reason) {
    this.root.removeAttribute("aria-busy");
    var message = element("p", { "class": "inv-explorer__message inv-explorer__message--error",
      role: "alert" });
    message.textContent = "La liste des dépôts n'a pas pu être chargée (" + reason +
      "). Les données restent téléchargeables depuis la page Données.";
    this.root.replaceChildren(message);
  };

  Explorer.prototype.start = function (payload) {
    this.root.removeAttribute("aria-busy");
    var list = payload && Array.isArray(payload.repositories) ? payload.repositories : [];
    this.generatedAt = payload && typeof payload.generated_at === "string"
      ? payload.generated_at : "";
    this.rows = list.filter(function (raw) {
      return raw && typeof raw === "object";
    }).map(prepare);
    if (!this.rows.length) {
      var empty = element("p", { "class": "inv-explorer__message", role: "status" },
        "Aucun moissonnage n'a encore été effectué : la liste des dépôts est vide pour l'instant.");
      this.root.replaceChildren(empty);
      return;
    }
    this.build();
    this.readUrl();
    this.render(true);
  };

  Explorer.prototype.valuesOf = function (key) {
    var counts = {};
    this.rows.forEach(function (row) {
      counts[row.facets[key]] = (counts[row.facets[key]] || 0) + 1;
    });
    var codes = Object.keys(counts).filter(function (code) {
      return code !== NONE;
    });
    var collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });
    codes.sort(collator.compare);
    if (counts[NONE]) codes.push(NONE);
    return { codes: codes, counts: counts };
  };

  Explorer.prototype.build = function () {
    var self = this;
    var fragment = document.createDocumentFragment();

    if (this.generatedAt) {
      var generated = element("p", { "class": "inv-explorer__generated" });
      generated.appendChild(document.createTextNode("Liste issue du moissonnage du "));
      generated.appendChild(element("time", { datetime: this.generatedAt },
        formatDate(this.generatedAt)));
      generated.appendChild(document.createTextNode("."));
      fragment.appendChild(generated);
    }

    var form = element("form", {
      "class": "inv-filters",
      role: "search",
      "aria-label": "Rechercher et filtrer les dépôts"
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.changed(true);
    });

    var searchId = nextId("inv-depot-recherche");
    var hintId = searchId + "-aide";
    var searchField = element("div", { "class": "inv-field inv-field--search" });
    searchField.appendChild(element("label", { "for": searchId }, "Rechercher un dépôt"));
    this.search = element("input", {
      type: "search", id: searchId, name: "recherche", autocomplete: "off", spellcheck: "false",
      "aria-describedby": hintId
    });
    this.search.addEventListener("input", function () {
      self.changed(false);
    });
    searchField.appendChild(this.search);
    searchField.appendChild(element("p", { id: hintId, "class": "inv-field__hint" },
      "Dans le nom, l'organisation et la description."));
    form.appendChild(searchField);

    var group = element("div", { "class": "inv-filters__selects" });
    this.selects = {};
    FILTERS.forEach(function (filter) {
      var values = self.valuesOf(filter.key);
      var id = nextId("inv-depot-" + filter.key);
      var field = element("div", { "class": "inv-field" });
      field.appendChild(element("label", { "for": id }, filter.label));
      var select = element("select", { id: id, name: filter.key });
      select.appendChild(element("option", { value: "" }, filter.all));
      values.codes.forEach(function (code) {
        var label = code === NONE ? filter.none : code;
        select.appendChild(element("option", { value: code },
          label + " (" + formatNumber(values.counts[code]) + ")"));
      });
      select.addEventListener("change", function () {
        self.changed(true);
      });
      field.appendChild(select);
      group.appendChild(field);
      self.selects[filter.key] = select;
    });
    FLAGS.forEach(function (flag) {
      var id = nextId("inv-depot-" + flag.key);
      var field = element("div", { "class": "inv-field" });
      field.appendChild(element("label", { "for": id }, flag.label));
      var select = element("select", { id: id, name: flag.key });
      flag.options.forEach(function (option) {
        select.appendChild(element("option", { value: option[0] }, option[1]));
      });
      select.addEventListener("change", function () {
        self.changed(true);
      });
      field.appendChild(select);
      group.appendChild(field);
      self.selects[flag.key] = select;
    });
    form.appendChild(group);

    var actions = element("div", { "class": "inv-filters__actions" });
    var reset = element("button", { type: "button", "class": "md-button inv-button" },
      "Réinitialiser les filtres");
    reset.addEventListener("click", function () {
      self.search.value = "";
      Object.keys(self.selects).forEach(function (key) {
        self.selects[key].value = "";
      });
      self.changed(true);
      self.search.focus();
    });
    actions.appendChild(reset);
    this.status = element("p", {
      "class": "inv-filters__count", role: "status", "aria-live": "polite", "aria-atomic": "true"
    });
    actions.appendChild(this.status);
    form.appendChild(actions);
    fragment.appendChild(form);

    var captionId = nextId("inv-depots-titre");
    this.wrapper = element("div", {
      "class": "inv-table-wrapper", role: "region", "aria-labelledby": captionId, tabindex: "0"
    });
    var table = element("table", { "class": "inv-table" });
    this.caption = element("caption", { id: captionId });
    table.appendChild(this.caption);
    var head = element("thead");
    var headRow = element("tr");
    this.headers = {};
    COLUMNS.forEach(function (column) {
      var th = element("th", { scope: "col" });
      if (column.numeric) th.className = "inv-table__numeric";
      if (column.sort) {
        var button = element("button", { type: "button", "class": "inv-sort",
          "data-sort": column.sort }, column.label);
        button.addEventListener("click", function () {
          self.sortBy(column);
        });
        th.appendChild(button);
      } else {
        th.textContent = column.label;
      }
      headRow.appendChild(th);
      self.headers[column.key] = th;
    });
    head.appendChild(headRow);
    table.appendChild(head);
    this.body = element("tbody");
    table.appendChild(this.body);
    this.wrapper.appendChild(table);
    fragment.appendChild(this.wrapper);

    this.none = element("p", { "class": "inv-explorer__message", hidden: "" },
      "Aucun dépôt ne correspond à ces critères. Modifiez la recherche ou réinitialisez les filtres.");
    fragment.appendChild(this.none);

    this.pager = element("nav", { "class": "inv-pagination", "aria-label": "Pagination des dépôts" });
    this.previous = element("button", { type: "button", "class": "md-button inv-button" },
      "Page précédente");
    this.next = element("button", { type: "button", "class": "md-button inv-button" },
      "Page suivante");
    this.pageLabel = element("span", { "class": "inv-pagination__label" });
    this.previous.addEventListener("click", function () {
      self.goTo(self.state.page - 1, self.previous);
    });
    this.next.addEventListener("click", function () {
      self.goTo(self.state.page + 1, self.next);
    });
    this.pager.appendChild(this.previous);
    this.pager.appendChild(this.pageLabel);
    this.pager.appendChild(this.next);
    fragment.appendChild(this.pager);

    this.root.replaceChildren(fragment);
    this.root.classList.add("inv-explorer--ready");
  };

  Explorer.prototype.readControls = function () {
    var self = this;
    this.state.q = this.search.value;
    FILTERS.forEach(function (filter) {
      self.state.facets[filter.key] = self.selects[filter.key].value;
    });
    this.state.archive = this.selects.archive.value;
    this.state.fork = this.selects.fork.value;
  };

  Explorer.prototype.changed = function (announceNow) {
    this.readControls();
    this.state.page = 1;
    this.render(announceNow);
  };

  Explorer.prototype.sortBy = function (column) {
    if (this.state.tri === column.sort) {
      this.state.ordre = this.state.ordre === "asc" ? "desc" : "asc";
    } else {
      this.state.tri = column.sort;
      this.state.ordre = column.first;
    }
    this.state.page = 1;
    this.render(true);
  };

  Explorer.prototype.goTo = function (page, origin) {
    this.state.page = page;
    this.render(true);
    /* Keep the keyboard focus on the pager, even when the pressed button got disabled. */
    if (origin && origin.disabled) {
      (origin === this.next ? this.previous : this.next).focus();
    }
  };

  /* All rows in the requested order (cached): values missing always come last. */
  Explorer.prototype.order = function () {
    var key = this.state.tri + ":" + this.state.ordre;
    if (this.sorted[key]) return this.sorted[key];
    var direction = this.state.ordre === "desc" ? -1 : 1;
    var tri = this.state.tri;
    var value = tri === "score"
      ? function (row) { return row.score; }
      : tri === "etoiles"
      ? function (row) { return row.etoiles; }
      : tri === "activite"
        ? function (row) { return row.derniere_activite || null; }
        : function (row) { return row.sortName; };
    var rows = this.rows.slice();
    rows.sort(function (a, b) {
      var va = value(a);
      var vb = value(b);
      if (va === null && vb === null) return a.index - b.index;
      if (va === null) return 1;
      if (vb === null) return -1;
      if (va < vb) return -direction;
      if (va > vb) return direction;
      if (a.sortName < b.sortName) return -1;
      if (a.sortName > b.sortName) return 1;
      return a.index - b.index;
    });
    this.sorted[key] = rows;
    return rows;
  };

  Explorer.prototype.filtered = function () {
    var state = this.state;
    var words = normalise(state.q);
    words = words ? words.split(" ") : [];
    var facets = FILTERS.map(function (filter) {
      return [filter.key, state.facets[filter.key] || ""];
    }).filter(function (pair) {
      return pair[1];
    });
    var archive = state.archive;
    var fork = state.fork;
    return this.order().filter(function (row) {
      for (var i = 0; i < facets.length; i += 1) {
        if (row.facets[facets[i][0]] !== facets[i][1]) return false;
      }
      if (archive === "exclure" && row.archive) return false;
      if (archive === "seulement" && !row.archive) return false;
      if (fork === "exclure" && row.fork) return false;
      if (fork === "seulement" && !row.fork) return false;
      for (var j = 0; j < words.length; j += 1) {
        if (row.search.indexOf(words[j]) === -1) return false;
      }
      return true;
    });
  };

  Explorer.prototype.render = function (announceNow) {
    var self = this;
    var matches = this.filtered();
    var pages = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
    this.state.page = Math.min(Math.max(1, this.state.page || 1), pages);
    var start = (this.state.page - 1) * PAGE_SIZE;
    var slice = matches.slice(start, start + PAGE_SIZE);

    var fragment = document.createDocumentFragment();
    slice.forEach(function (row) {
      fragment.appendChild(self.renderRow(row));
    });
    this.body.replaceChildren(fragment);

    var empty = matches.length === 0;
    this.wrapper.hidden = empty;
    this.none.hidden = !empty;
    this.pager.hidden = empty;
    this.previous.disabled = this.state.page <= 1;
    this.next.disabled = this.state.page >= pages;
    var pageText = "Page " + formatNumber(this.state.page) + " sur " + formatNumber(pages);
    this.pageLabel.textContent = pageText;

    COLUMNS.forEach(function (column) {
      var th = self.headers[column.key];
      if (column.sort && column.sort === self.state.tri) {
        th.setAttribute("aria-sort", self.state.ordre === "asc" ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
    this.caption.textContent = "Dépôts de code source, triés par " + SORT_NAMES[this.state.tri] +
      " (ordre " + (this.state.ordre === "asc" ? "croissant" : "décroissant") + "), " +
      pageText.toLowerCase();

    var total = this.rows.length;
    var message = empty
      ? "Aucun dépôt sur " + formatNumber(total) + " ne correspond à ces critères."
      : formatNumber(matches.length) + " " + (matches.length > 1 ? "dépôts" : "dépôt") +
        (matches.length === total ? "" : " sur " + formatNumber(total)) + ". " + pageText + ".";
    window.clearTimeout(this.announceTimer);
    if (announceNow) {
      this.status.textContent = message;
    } else {
      this.announceTimer = window.setTimeout(function () {
        self.status.textContent = message;
      }, ANNOUNCE_DELAY);
    }
    this.writeUrl();
  };

  Explorer.prototype.renderRow = function (row) {
    var tr = element("tr");
    var name = element("th", { scope: "row", "class": "inv-table__name" });
    if (row.url) {
      name.appendChild(element("a", { href: row.url }, row.nom || row.url));
    } else {
      name.appendChild(document.createTextNode(row.nom));
    }
    if (row.archive) name.appendChild(element("span", { "class": "inv-badge" }, "archivé"));
    if (row.fork) name.appendChild(element("span", { "class": "inv-badge" }, "bifurcation"));
    if (row.archive_swh) {
      name.appendChild(element("a", { href: row.archive_swh, "class": "inv-badge" },
        "copie Software Heritage"));
    }
    if (row.description) {
      name.appendChild(element("span", { "class": "inv-table__description" }, row.description));
    }
    tr.appendChild(name);
    tr.appendChild(element("td", {}, row.organisation));
    tr.appendChild(element("td", {}, row.forge));
    tr.appendChild(element("td", {}, row.langage));
    tr.appendChild(element("td", {}, row.licence));
    tr.appendChild(element("td", { "class": "inv-table__numeric" },
      row.etoiles === null ? "" : formatNumber(row.etoiles)));
    var activity = element("td");
    if (row.derniere_activite) {
      activity.appendChild(element("time", { datetime: row.derniere_activite },
        formatDate(row.derniere_activite)));
    }
    tr.appendChild(activity);
    tr.appendChild(element("td", { "class": "inv-table__numeric" },
      row.score === null ? "" : String(row.score)));
    return tr;
  };

  Explorer.prototype.readUrl = function () {
    var params = new URLSearchParams(window.location.search);
    var self = this;
    this.search.value = params.get("recherche") || "";
    Object.keys(this.selects).forEach(function (key) {
      var wanted = params.get(key);
      var select = self.selects[key];
      var exists = Array.prototype.some.call(select.options, function (option) {
        return option.value === wanted;
      });
      select.value = wanted && exists ? wanted : "";
    });
    this.readControls();
    var tri = (params.get("tri") || "").split("-");
    if (SORT_NAMES[tri[0]] && (tri[1] === "asc" || tri[1] === "desc")) {
      this.state.tri = tri[0];
      this.state.ordre = tri[1];
    }
    var page = parseInt(params.get("page") || "1", 10);
    this.state.page = isNaN(page) ? 1 : page;
  };

  Explorer.prototype.writeUrl = function () {
    if (!window.history || !window.history.replaceState) return;
    var params = new URLSearchParams(window.location.search);
    var self = this;
    var set = function (name, value) {
      if (value) params.set(name, value);
      else params.delete(name);
    };
    set("recherche", this.search.value.trim());
    Object.keys(this.selects).forEach(function (key) {
      set(key, self.selects[key].value);
    });
    set("tri", this.state.tri === "nom" && this.state.ordre === "asc"
      ? "" : this.state.tri + "-" + this.state.ordre);
    set("page", this.state.page > 1 ? String(this.state.page) : "");
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  };

  function init() {
    var root = document.getElementById("inv-explorer");
    if (!root || root.getAttribute("data-inv-ready") === "1") return;
    root.setAttribute("data-inv-ready", "1");
    new Explorer(root).load();
  }

  if (typeof window.document$ !== "undefined" && window.document$ &&
      typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
