/*! Homeslot loader. Paste one tag where the booking widget should appear:
 *    <script async src="https://YOUR-EDGE/embed/loader.js" data-company="YOUR-COMPANY-ID"></script>
 *  or load it once and place elements anywhere:
 *    <homeslot-widget company="YOUR-COMPANY-ID" location="…" service="…" specialist="…|any"
 *      date="YYYY-MM-DD" step-order="service_first|specialist_first|date_first" language="de"
 *      theme="dark" analytics-consent="required"></homeslot-widget>  (analytics: docs/analytics.md)
 *  (on the tag, the same names with data-). No cookies; talks only to the edge it was loaded from. */
(function () {
  var script = document.currentScript;
  if (!script || !script.src) return;
  var edge = new URL(script.src).origin;
  var OPTIONS = ["company", "location", "service", "specialist", "date", "step-order", "language", "theme", "manage",
    "analytics-off", "analytics-consent", "analytics-callback", "parent-origin"];
  var code; // the widget's code, loaded once for every element on the page
  // Which files each later step's code is in: {"steps": [...], "manage": [...]}, written in by
  // scripts/lib.sh when it builds this loader (wasm-split names the files).
  var chunks = typeof CHUNKS == "object" ? CHUNKS : {};
  var preloaded = {};

  function widget() {
    if (code) return code;
    // Everything the first screen needs is requested at once, not one after the other: the wasm
    // (its response handed to the glue) and the chunk loader the glue imports.
    var wasm = fetch(edge + "/widget/homeslot_widget_bg.wasm");
    import(edge + "/widget/__wasm_split.js").catch(function () {});
    // A page's first Intl formatter loads the browser's locale data: ~30 ms of main thread, over
    // 100 ms on a slow phone. Built now, while the code downloads, it is not built later between
    // the widget's code arriving and its first dates and times showing.
    setTimeout(function () { new Intl.DateTimeFormat().format(0); });
    return (code = import(edge + "/widget/homeslot_widget.js").then(function (w) {
      return w.default({ module_or_path: wasm }).then(function () { return w; });
    }));
  }

  // A page that opens past the first screen (a preselected service, a manage link) needs a later
  // step's code at once. The widget would ask for it only once its own code runs; asked for here,
  // it downloads alongside instead (the widget's fetch of it is then answered by this preload).
  function preload(step) {
    (chunks[step] || []).forEach(function (file) {
      if (preloaded[file]) return;
      preloaded[file] = 1;
      var link = document.createElement("link");
      link.rel = "preload";
      link.as = "fetch";
      link.crossOrigin = "anonymous";
      link.href = edge + "/widget/" + file;
      document.head.appendChild(link);
    });
  }

  function query(name, value) {
    return value ? "?" + name + "=" + encodeURIComponent(value) : "";
  }

  function render(element) {
    var options = { edge: edge };
    OPTIONS.forEach(function (name) { options[name] = element.getAttribute(name) || ""; });
    if (!options.company) {
      if (window.console) console.error("Homeslot: add company=\"YOUR-COMPANY-ID\" to <homeslot-widget>.");
      return;
    }
    // A client's manage link is this page with #homeslot-manage=TOKEN (a fragment is never sent
    // to any server). The widget of the token's company opens the booking; the fragment then
    // leaves the address bar, so the page's own scripts and trackers do not read it later.
    options.page = location.href.split("#")[0];
    var link = /^#homeslot-manage=([\w.-]+)$/.exec(location.hash);
    if (!options.manage && link && link[1].indexOf(options.company + ".") === 0) {
      options.manage = link[1];
      history.replaceState(history.state, "", options.page);
    }
    if (options.manage || options.service) preload(options.manage ? "manage" : "steps");
    element.style.display = "block";
    element.style.minHeight = "420px"; // the widget's box is reserved: the host page never jumps
    // Open shadow root: the host page's CSS cannot reach in, ours cannot leak out.
    var root = element.attachShadow({ mode: "open" });
    var mount = document.createElement("div");
    root.appendChild(mount);
    var base = edge + "/v1/companies/" + encodeURIComponent(options.company);
    // The company's theme (or the page's choice of preset) with the owner's colours: the widget's
    // only source of its tokens (colours, radius, font), requested now so it is here before the
    // code is. (If it cannot be fetched, the widget still works, in the host page's colours.)
    var theme = document.createElement("link");
    theme.rel = "stylesheet";
    theme.href = base + "/theme.css" + query("theme", options.theme);
    root.appendChild(theme);
    load(mount, options, base, 0);
  }

  function words(base, part, language) {
    return fetch(base + "/strings?part=" + part + (language ? "&language=" + encodeURIComponent(language) : "")).then(function (r) {
      if (!r.ok) throw new Error("strings: HTTP " + r.status);
      return r.json();
    });
  }

  // Loads the words and the catalog (and the code, once for the page), then mounts. A failure
  // (a phone between two cells) is retried twice, a second apart, before the page is told.
  function load(mount, options, base, attempt) {
    // The first screen's words in one language (the page's, the owner's or the browser's),
    // fetched while the code loads: a page never downloads a language it does not show.
    var strings = words(base, "first", options.language);
    // A page that opens past the first screen needs the later steps' words at once, too.
    var early = (options.manage || options.service) && words(base, "later", options.language);
    if (early) early.catch(function () {});
    // The catalog too, handed over as a response still on its way (the widget reads errors).
    var catalog = fetch(base);
    catalog.catch(function () {});
    Promise.all([widget(), strings])
      .then(function (loaded) {
        var answer = loaded[1], later;
        // The later steps' words, in the language the edge chose, fetched once the first screen
        // is shown (like the later steps' code). The widget waits on this before it shows a later
        // step; a failed fetch is asked again when the widget retries.
        answer.later = function () {
          return later || (later = (early || words(base, "later", answer.language)).then(function (rest) {
            Object.assign(answer.strings, rest.strings);
            answer.complete = 1;
          }, function (error) {
            later = early = 0;
            throw error;
          }));
        };
        loaded[0].mount(mount, options, answer, catalog);
        answer.later().catch(function () {});
      })
      .catch(function (error) {
        code = undefined; // the next attempt fetches the code again
        if (attempt < 2) return setTimeout(function () { load(mount, options, base, attempt + 1); }, 1000);
        mount.textContent = "Online booking is unavailable right now. Please call us instead.";
        if (window.console) console.error("Homeslot widget failed to load", error);
      });
  }

  if (!customElements.get("homeslot-widget")) {
    customElements.define("homeslot-widget", class extends HTMLElement {
      connectedCallback() { if (!this.shadowRoot) render(this); }
    });
  }

  // The one-tag form: the script's data-* options become an element right after it.
  if (script.getAttribute("data-company")) {
    var element = document.createElement("homeslot-widget");
    OPTIONS.forEach(function (name) {
      var value = script.getAttribute("data-" + name);
      if (value) element.setAttribute(name, value);
    });
    script.parentNode.insertBefore(element, script.nextSibling);
  }
})();
