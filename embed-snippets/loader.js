/*! Homeslot loader: paste one tag where the booking widget should appear:
 *  <script async src="https://YOUR-EDGE/embed/loader.js" data-company="YOUR-COMPANY-ID"></script>
 *  Optional: data-location="LOCATION-ID". No cookies; talks only to the edge it was loaded from. */
(function () {
  var script = document.currentScript;
  if (!script || !script.src) return;
  var company = script.getAttribute("data-company");
  if (!company) {
    if (window.console) console.error("Homeslot: add data-company=\"YOUR-COMPANY-ID\" to the loader's script tag.");
    return;
  }
  var edge = new URL(script.src).origin;
  var host = document.createElement("div");
  host.className = "homeslot-host";
  host.style.cssText = "display:block;min-height:420px";
  script.parentNode.insertBefore(host, script.nextSibling);
  // Open shadow root: the host page's CSS cannot reach in, ours cannot leak out.
  var root = host.attachShadow({ mode: "open" });
  var mount = document.createElement("div");
  root.appendChild(mount);
  // The company's theme (preset and the owner's colours), fetched while the widget loads. After
  // the mount point, so its tokens come later than the widget's bundled default and win.
  var theme = document.createElement("link");
  theme.rel = "stylesheet";
  theme.href = edge + "/v1/companies/" + encodeURIComponent(company) + "/theme.css";
  root.appendChild(theme);
  import(edge + "/widget/homeslot_widget.js")
    .then(function (widget) {
      return widget.default({ module_or_path: edge + "/widget/homeslot_widget_bg.wasm" }).then(function () {
        widget.mount(mount, company, script.getAttribute("data-location") || "", edge);
      });
    })
    .catch(function (error) {
      mount.textContent = "Online booking is unavailable right now. Please call us instead.";
      if (window.console) console.error("Homeslot widget failed to load", error);
    });
})();
