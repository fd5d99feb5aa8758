/*
 * Algorithm catalogue: search field, faceted filters with counts, live result count.
 *
 * Progressive enhancement: the page is a complete server-rendered list of cards; this
 * script only adds controls above it and hides the cards that do not match. The state is
 * kept in the query string (shareable, restored on load). No dependency, no request.
 */
(function () {
  "use strict";

  var FACETS = [
    { key: "administration", label: "Administration", all: "Toutes les administrations",
      none: "Administration non renseignée" },
    { key: "niveau", label: "Niveau d'automatisation", all: "Tous les niveaux",
      none: "Niveau non renseigné" },
    { key: "type", label: "Type d'algorithme", all: "Tous les types",
      none: "Type non renseigné" },
    { key: "statut", label: "Statut", all: "Tous les statuts", none: "Statut non renseigné" },
    { key: "portee", label: "Portée de la décision", all: "Toutes les portées",
      none: "Portée non renseignée" }
  ];
  var NONE = "_aucun";
  var SEARCH_PARAM = "recherche";
  var ANNOUNCE_DELAY = 400;

  /* Lower-cased, accent-stripped text, as the page's data-texte attributes. */
  function normalise(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  /*
   * Labels of the codes: a data-inv-labels attribute on the catalogue, else the
   * <script type="application/json" id="inv-labels"> island. (Material's instant navigation
   * re-creates inline scripts without their type and id: the attribute survives it.)
   */
  function readLabels(root) {
    var node = document.getElementById("inv-labels");
    var source = root.getAttribute("data-inv-labels") || (node ? node.textContent : "");
    if (!source) return {};
    try {
      var parsed = JSON.parse(source);
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (error) {
      return {};
    }
  }

  function plural(count, singular, pluralForm) {
    return count > 1 ? pluralForm : singular;
  }

  function formatNumber(value) {
    return Number(value).toLocaleString("fr-FR");
  }

  var uid = 0;
  function nextId(prefix) {
    uid += 1;
    return prefix + "-" + uid;
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function Catalogue(root) {
    this.root = root;
    this.list = root.querySelector(".inv-cards");
    this.labels = readLabels(root);
    this.cards = Array.prototype.map.call(root.querySelectorAll(".inv-card"), function (card) {
      var values = {};
      FACETS.forEach(function (facet) {
        values[facet.key] = card.getAttribute("data-" + facet.key) || NONE;
      });
      return { node: card, values: values, text: normalise(card.getAttribute("data-texte")) };
    });
    this.selects = {};
    this.announceTimer = null;
  }

  /* Ordered list of the codes a facet can take: the labels' order, then the unknown ones. */
  Catalogue.prototype.codesOf = function (facet) {
    var present = {};
    this.cards.forEach(function (card) {
      present[card.values[facet.key]] = true;
    });
    var known = this.labels[facet.key] || {};
    var codes = Object.keys(known).filter(function (code) {
      return present[code];
    });
    var self = this;
    var others = Object.keys(present).filter(function (code) {
      return code !== NONE && !Object.prototype.hasOwnProperty.call(known, code);
    });
    others.sort(function (a, b) {
      return self.labelOf(facet, a).localeCompare(self.labelOf(facet, b), "fr");
    });
    codes = codes.concat(others);
    if (present[NONE]) codes.push(NONE);
    return codes;
  };

  Catalogue.prototype.labelOf = function (facet, code) {
    if (code === NONE) return facet.none;
    var known = this.labels[facet.key] || {};
    return Object.prototype.hasOwnProperty.call(known, code) ? String(known[code]) : code;
  };

  Catalogue.prototype.build = function () {
    var self = this;
    var form = element("form", {
      "class": "inv-filters",
      role: "search",
      "aria-label": "Rechercher et filtrer les algorithmes"
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.update(true);
    });

    var searchId = nextId("inv-recherche");
    var searchField = element("div", { "class": "inv-field inv-field--search" });
    searchField.appendChild(element("label", { "for": searchId }, "Rechercher un algorithme"));
    this.search = element("input", {
      type: "search",
      id: searchId,
      name: SEARCH_PARAM,
      autocomplete: "off",
      spellcheck: "false"
    });
    this.search.addEventListener("input", function () {
      self.update(false);
    });
    searchField.appendChild(this.search);
    form.appendChild(searchField);

    var group = element("div", { "class": "inv-filters__selects" });
    FACETS.forEach(function (facet) {
      var codes = self.codesOf(facet);
      var id = nextId("inv-filtre-" + facet.key);
      var field = element("div", { "class": "inv-field" });
      field.appendChild(element("label", { "for": id }, facet.label));
      var select = element("select", { id: id, name: facet.key });
      select.appendChild(element("option", { value: "" }, facet.all));
      codes.forEach(function (code) {
        select.appendChild(element("option", { value: code }, self.labelOf(facet, code)));
      });
      select.addEventListener("change", function () {
        self.update(true);
      });
      field.appendChild(select);
      group.appendChild(field);
      self.selects[facet.key] = select;
    });
    form.appendChild(group);

    var actions = element("div", { "class": "inv-filters__actions" });
    var reset = element("button", { type: "button", "class": "md-button inv-button" },
      "Réinitialiser les filtres");
    reset.addEventListener("click", function () {
      self.search.value = "";
      FACETS.forEach(function (facet) {
        self.selects[facet.key].value = "";
      });
      self.update(true);
      self.search.focus();
    });
    actions.appendChild(reset);
    form.appendChild(actions);

    /* The page may already carry a count (server-rendered): it becomes the live region. */
    var existing = this.root.querySelector(".inv-catalogue__count");
    this.status = existing || element("p", { "class": "inv-catalogue__count" });
    this.status.classList.add("inv-filters__count");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.status.setAttribute("aria-atomic", "true");
    var anchor = existing || this.list;
    if (anchor) anchor.parentNode.insertBefore(form, anchor);
    else this.root.appendChild(form);
    if (!existing) form.parentNode.insertBefore(this.status, form.nextSibling);
    this.root.classList.add("inv-catalogue--enhanced");
  };

  Catalogue.prototype.state = function () {
    var state = { q: normalise(this.search.value), facets: {} };
    var self = this;
    FACETS.forEach(function (facet) {
      state.facets[facet.key] = self.selects[facet.key].value;
    });
    return state;
  };

  Catalogue.prototype.matches = function (card, state, ignored) {
    for (var i = 0; i < FACETS.length; i += 1) {
      var key = FACETS[i].key;
      if (key !== ignored && state.facets[key] && card.values[key] !== state.facets[key]) {
        return false;
      }
    }
    if (state.words.length) {
      for (var j = 0; j < state.words.length; j += 1) {
        if (card.text.indexOf(state.words[j]) === -1) return false;
      }
    }
    return true;
  };

  Catalogue.prototype.update = function (announceNow) {
    var self = this;
    var state = this.state();
    state.words = state.q ? state.q.split(" ") : [];

    var shown = 0;
    this.cards.forEach(function (card) {
      var visible = self.matches(card, state, null);
      card.node.hidden = !visible;
      if (visible) shown += 1;
    });

    /* Faceted counts: each facet counts the cards matching every OTHER active criterion. */
    FACETS.forEach(function (facet) {
      var counts = {};
      var total = 0;
      self.cards.forEach(function (card) {
        if (self.matches(card, state, facet.key)) {
          counts[card.values[facet.key]] = (counts[card.values[facet.key]] || 0) + 1;
          total += 1;
        }
      });
      Array.prototype.forEach.call(self.selects[facet.key].options, function (option) {
        var count = option.value ? counts[option.value] || 0 : total;
        var label = option.value ? self.labelOf(facet, option.value) : facet.all;
        option.textContent = label + " (" + formatNumber(count) + ")";
      });
    });

    this.writeUrl();
    var message = this.message(shown);
    window.clearTimeout(this.announceTimer);
    if (announceNow) {
      this.status.textContent = message;
    } else {
      this.announceTimer = window.setTimeout(function () {
        self.status.textContent = message;
      }, ANNOUNCE_DELAY);
    }
  };

  Catalogue.prototype.message = function (shown) {
    var total = this.cards.length;
    if (shown === 0) {
      return "Aucun algorithme sur " + formatNumber(total) + " ne correspond à ces critères.";
    }
    if (shown === total) {
      return formatNumber(total) + " " + plural(total, "algorithme", "algorithmes");
    }
    return formatNumber(shown) + " " + plural(shown, "algorithme", "algorithmes") + " sur " +
      formatNumber(total);
  };

  Catalogue.prototype.readUrl = function () {
    var params = new URLSearchParams(window.location.search);
    this.search.value = params.get(SEARCH_PARAM) || "";
    var self = this;
    FACETS.forEach(function (facet) {
      var wanted = params.get(facet.key);
      var select = self.selects[facet.key];
      var exists = Array.prototype.some.call(select.options, function (option) {
        return option.value === wanted;
      });
      select.value = wanted && exists ? wanted : "";
    });
  };

  Catalogue.prototype.writeUrl = function () {
    if (!window.history || !window.history.replaceState) return;
    var params = new URLSearchParams(window.location.search);
    var raw = this.search.value.trim();
    if (raw) params.set(SEARCH_PARAM, raw);
    else params.delete(SEARCH_PARAM);
    var self = this;
    FACETS.forEach(function (facet) {
      var value = self.selects[facet.key].value;
      if (value) params.set(facet.key, value);
      else params.delete(facet.key);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  };

  function init() {
    var roots = document.querySelectorAll("[data-inv-catalogue]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.getAttribute("data-inv-ready") === "1") return;
      root.setAttribute("data-inv-ready", "1");
      var catalogue = new Catalogue(root);
      catalogue.build();
      catalogue.readUrl();
      catalogue.update(true);
    });
  }

  /* Material's instant navigation replaces the page content and emits on document$. */
  if (typeof window.document$ !== "undefined" && window.document$ &&
      typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
