/*! Homeslot loader (docs/embedding.md). Paste one tag where the booking widget should appear:
 *    <script async src="https://YOUR-EDGE/embed/loader.js" data-company="YOUR-COMPANY-ID"></script>
 *  data-mode on the tag: "inline" (the default: the widget right after the tag), "floating" (a
 *  button in a corner that opens a slide-in panel: data-button-text, data-button-color,
 *  data-position="left|right"), "popup" (nothing drawn: any element with data-homeslot-* opens the
 *  widget in a popup) or "iframe" (the widget in a frame served by the edge, for strict CSPs).
 *  Or load it once and place elements anywhere:
 *    <homeslot-widget company="YOUR-COMPANY-ID" location="…" service="…" specialist="…|any"
 *      date="YYYY-MM-DD" step-order="service_first|specialist_first|date_first" language="de"
 *      theme="dark" mode="iframe" analytics-consent="required"></homeslot-widget>
 *    <button data-homeslot-service="cut" data-homeslot-specialist="anna">Book with Anna</button>
 *  and script it (calls made before the loader arrives are queued):
 *    window.homeslot = window.homeslot || function () { (homeslot.q = homeslot.q || []).push(arguments) };
 *    homeslot("open", {service: "cut"}); homeslot("close"); homeslot("preselect", {date: "2026-12-01"});
 *    homeslot("on", function (name, params) { … });
 *  No cookies; talks only to the edge it was loaded from. */
(() => {
  var script = document.currentScript;
  if (!script || !script.src) return;
  var edge = new URL(script.src).origin;
  // This loader's widget build: a page that cached an older loader loads the widget that loader
  // was built with (or nothing, once that build is gone), never a newer incompatible one.
  var files = edge + "/widget/" + VERSION + "/";
  var OPTIONS = ["company", "location", "service", "specialist", "date", "step-order", "language", "theme", "manage",
    "mode", "analytics-off", "analytics-consent", "analytics-callback", "parent-origin"];
  var code; // the widget's code, loaded once for every element on the page
  var enc = encodeURIComponent;
  // The tag's data-* options: the widget after the tag, the floating button's panel and every
  // popup start from them (a popup's own data-homeslot-* win).
  var defaults = {};
  OPTIONS.forEach((name) => {
    var value = script.getAttribute("data-" + name);
    if (value) defaults[name] = value;
  });
  var mode = defaults.mode || "inline";

  function widget() {
    if (code) return code;
    // Everything the first screen needs is requested at once, not one after the other: the wasm
    // (its response handed to the glue) and the glue (which has the chunk loader bundled in).
    var wasm = fetch(files + "homeslot_widget_bg.wasm");
    return (code = import(files + "homeslot_widget.js").then((w) => {
      return w.default({ module_or_path: wasm }).then(() => { return w; });
    }));
  }

  // A page that opens past the first screen (a preselected service, a manage link) needs a later
  // step's code at once. The widget would ask for it only once its own code runs; asked for here,
  // it downloads alongside instead (the widget's fetch of it is then answered by this preload).
  // Two such widgets on one page add the same preload twice: the browser downloads it once.
  function preload(step) {
    // Which files each later step's code is in: {"steps": [...], "manage": [...]}, written in
    // by scripts/lib.sh when it builds this loader (wasm-split names the files).
    (CHUNKS[step] || []).forEach((file) => {
      var link = document.createElement("link");
      link.rel = "preload";
      link.as = "fetch";
      link.crossOrigin = "anonymous";
      link.href = files + file;
      document.head.appendChild(link);
    });
  }

  function render(element) {
    var options = { edge: edge };
    OPTIONS.forEach((name) => { options[name] = element.getAttribute(name) || ""; });
    if (!options.company) {
      console.error("Homeslot: company=\"…\" missing");
      return;
    }
    // The widget's box: the height the page gave the element (style="display:block;height:…",
    // which reserves it before this loader runs), else 560 px. Until the client's first tap, the
    // first screen stays in that box (scrolling inside it if it is taller); after, the box grows
    // with the steps: a move right after a tap is the client's own doing, not a layout shift.
    var style = element.style;
    style.display = "block";
    style.height = style.minHeight = style.height || "560px";
    // Open shadow root: the host page's CSS cannot reach in, ours cannot leak out.
    var root = element.attachShadow({ mode: "open" });
    if (options.mode == "iframe") return more("frame", element, root, options);
    // A client's manage link is this page with #homeslot-manage=TOKEN (a fragment is never sent
    // to any server). The widget of the token's company opens the booking; the fragment then
    // leaves the address bar, so the page's own scripts and trackers do not read it later.
    options.page = location.href.split("#")[0];
    var link = /^#homeslot-manage=([\w.-]+)$/.exec(location.hash);
    if (!options.manage && link && link[1].startsWith(options.company + ".")) {
      options.manage = link[1];
      history.replaceState(history.state, "", options.page);
    }
    var mount = document.createElement("div");
    mount.style.cssText = "height:100%;overflow:auto";
    element.addEventListener("click", () => { style.height = mount.style.cssText = ""; }, { once: true });
    root.appendChild(mount);
    var base = edge + "/v1/companies/" + enc(options.company);
    // Nothing is fetched until the widget is about to scroll into view: a page with the widget
    // at its bottom pays only for this loader until the client gets there. A client who follows
    // their manage link came for the widget: it is brought into view (and so loads at once).
    if (options.manage) element.scrollIntoView();
    var seen = new IntersectionObserver((entries) => {
      if (!entries[0].isIntersecting) return;
      seen.disconnect();
      // Each request costs the main thread a few milliseconds to send (inserting a link element,
      // more): the code and the data the first screen waits for go first.
      load(mount, options, base, 0);
      if (options.manage || options.service) preload(options.manage ? "manage" : "steps");
      // The company's theme (or the page's choice of preset) with the owner's colours: the
      // widget's only source of its tokens (colours, radius, font), requested now so it is here
      // before the code is. (If it cannot be fetched, the widget works in the host page's colours.)
      var theme = document.createElement("link");
      theme.rel = "stylesheet";
      theme.href = base + "/theme.css" + (options.theme ? "?theme=" + enc(options.theme) : "");
      root.insertBefore(theme, mount);
    }, { rootMargin: "300px" });
    seen.observe(element);
  }

  // Given 20 s, like every request of the widget (widget/js/patience.js): a stalled one then
  // fails, and is asked again like any failure.
  function words(base, part, language) {
    return fetch(base + "/strings?part=" + part + (language ? "&language=" + enc(language) : ""), {
      signal: AbortSignal.timeout(2e4),
    }).then((r) => {
      if (!r.ok) throw r.status;
      return r.json();
    });
  }

  // Loads the words and the catalog (and the code, once for the page), then mounts. A failure
  // (a phone between two cells) is retried twice, a second apart, before the page is told.
  function load(mount, options, base, attempt) {
    var loading = widget();
    // The words in one language (the page's, the owner's or the browser's), fetched while the
    // code loads: a page never downloads a language it does not show. A page that opens past the
    // first screen (a preselected service, a manage link) needs them all at once, in one request;
    // any other, the first screen's now and the later steps' once it is shown.
    var all = options.manage || options.service;
    var strings = words(base, all ? "all" : "first", options.language);
    // A page's first Intl formatter loads the browser's locale data: ~30 ms of main thread, over
    // 100 ms on a slow phone. Built now, while the code downloads, it is not built later between
    // the widget's code arriving and its first prices or dates showing. Not for a page that opens
    // on the times: they need no Intl, and this would hold them back (the date strip's labels
    // come once they are painted).
    options.service && options.specialist || setTimeout(() => { new Intl.DateTimeFormat().format(0); });
    // The catalog too, handed over as a response still on its way (the widget reads errors).
    // It is told the page's preselection (location, service, specialist, date, step order): for
    // a page that opens on the times, it carries them, so they show without another request.
    // (The widget gives it 20 s to answer, api.rs, as the words.)
    var catalog = fetch(base + "?" + new URLSearchParams(OPTIONS.slice(1, 6).map((name) => [name, options[name]])));
    catalog.catch(() => {});
    // A stalled connection must not leave the page without a widget for ever: the code and the
    // words are given 20 s (a slow phone's download), then retried like a failure.
    Promise.race([Promise.all([loading, strings]), new Promise((_, late) => setTimeout(late, 2e4))])
      .then((loaded) => {
        var answer = loaded[1], later;
        answer.complete = all;
        // The later steps' words, in the language the edge chose, fetched once the first screen
        // is shown (like the later steps' code). The widget waits on this before it shows a later
        // step; a failed fetch is asked again when the widget retries.
        answer.later = () => {
          return later || (later = words(base, "later", answer.language).then((rest) => {
            Object.assign(answer.strings, rest.strings);
            answer.complete = 1;
          }, (error) => {
            later = 0;
            throw error;
          }));
        };
        loaded[0].mount(mount, options, answer, catalog);
        all || answer.later().catch(() => {});
      })
      .catch((error) => {
        code = 0; // the next attempt fetches the code again
        if (attempt < 2) return setTimeout(() => { load(mount, options, base, attempt + 1); }, 1000);
        mount.textContent = "Online booking is unavailable right now.";
        console.error(error);
      });
  }

  // What only some pages need (popups, the floating button, iframe mode, the API) is a module of
  // its own (embed.js, docs/embedding.md), loaded the first time a page needs it.
  var module, kit = { edge: edge, script: script, defaults: defaults, OPTIONS: OPTIONS };
  var more = (name, a, b, c) => (module = module || import(files + "embed.js")).then((m) => m[name](kit, a, b, c));

  if (!customElements.get("homeslot-widget")) {
    customElements.define("homeslot-widget", class extends HTMLElement {
      connectedCallback() { if (!this.shadowRoot) render(this); }
    });
    // Any element with data-homeslot-* opens the widget in a popup with those preselections: a
    // "Book" button per specialist or per service. Registered once, by the page's first loader.
    var selector = OPTIONS.map((name) => "[data-homeslot-" + name + "]").join();
    document.addEventListener("click", (event) => {
      var opener = event.target.closest?.(selector);
      if (opener) {
        event.preventDefault();
        more("popup", opener);
      }
    });
    // The API; calls the page queued before the loader arrived go first.
    var queued = window.homeslot?.q || [];
    window.homeslot = (command, value) => more("api", command, value);
    queued.forEach((call) => homeslot(call[0], call[1]));
  }

  if (!defaults.company) return;
  if (mode == "floating") {
    // Drawn once the page's body is there (the tag may stand in its head).
    var draw = () => more("button");
    document.body ? draw() : addEventListener("DOMContentLoaded", draw);
  } else if (mode == "inline" || mode == "iframe") {
    // The one-tag form: the tag's data-* options become an element right after it.
    var element = document.createElement("homeslot-widget");
    Object.keys(defaults).forEach((name) => element.setAttribute(name, defaults[name]));
    script.parentNode.insertBefore(element, script.nextSibling);
  }
})();
