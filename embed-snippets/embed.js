/*! Homeslot embed: what only some pages need, loaded by the loader when one does (the floating
 *  button, popups and panels, iframe mode), so a page with an inline widget never pays for it.
 *  An ES module beside the widget's files, of the same version as the loader that imports it. */

let open; // the popup or panel showing now: {host, widget}

/** The page's API (`window.homeslot(command, value)`, docs/embedding.md): `open` a popup (or the
 *  floating button's panel) with preselections, `close` it, `preselect` for the next ones, and
 *  `on` to hear the widgets' events. `kit`: the loader's edge, tag, options and their names. */
export function api(kit, command, value) {
  if (command == "open") show(merged(kit, value || {}), kit.defaults.mode == "floating" && side(kit.script));
  if (command == "close") close();
  if (command == "preselect") Object.assign(kit.defaults, value);
  if (command == "on") document.addEventListener("homeslot-event", (event) => value(event.detail.name, event.detail.params));
}

/** A click on an element with data-homeslot-* attributes: a popup with those preselections. */
export function popup(kit, opener) {
  const own = {};
  for (const name of kit.OPTIONS) own[name] = opener.getAttribute(`data-homeslot-${name}`);
  show(merged(kit, own));
}

/** A popup's options: the loader tag's, then the opener's own (or the API call's). Only
 *  iframe mode carries over: the popup is neither inline nor floating. */
function merged(kit, own) {
  const options = {};
  for (const name of kit.OPTIONS) options[name] = own[name] || kit.defaults[name];
  if (options.mode != "iframe") options.mode = "";
  return options;
}

/** A host element for the popup or the button: `all: initial` inline and `!important`, which
 *  beats any rule of the page's (a `* {transform: …}` would otherwise pin the button to it). */
function shielded(name) {
  const host = document.createElement(name);
  host.style.cssText = "all:initial!important";
  return host;
}

const side = (tag) => (tag.getAttribute("data-position") == "left" ? "left" : "right");

/** The widget as a popup (centred) or a slide-in panel (`side`: "left" or "right"), in the
 *  browser's top layer (a modal <dialog>: focus stays inside, Escape closes it, focus goes back
 *  to the opener) and in its own shadow root, so no host style reaches the frame, its backdrop
 *  or its close button. `options` are the widget element's attributes. */
function show(options, side) {
  close();
  const host = shielded("homeslot-popup");
  const root = host.attachShadow({ mode: "open" });
  const panel = side
    ? `margin-${side == "left" ? "left" : "right"}:0;height:100%;max-height:none;border-radius:0;animation:s .2s`
    : "";
  root.innerHTML = `<style>dialog{box-sizing:border-box;width:min(480px,100vw);max-width:100vw;
max-height:min(100%,800px);padding:8px;border:0;border-radius:12px;background:#fff;overflow:auto;${panel}}
dialog::backdrop{background:#0009}button{all:initial;float:right;cursor:pointer;font:24px/40px system-ui;
width:40px;text-align:center;color:#333}button:focus-visible{outline:2px solid}
@keyframes s{from{transform:translateX(${side == "left" ? "-" : ""}100%)}}</style>
<dialog aria-label="Online booking"><button aria-label="Close">×</button></dialog>`;
  const dialog = root.querySelector("dialog"), widget = document.createElement("homeslot-widget");
  for (const name of Object.keys(options)) if (options[name]) widget.setAttribute(name, options[name]);
  widget.style.height = "auto"; // the dialog scrolls; the widget reserves no box of its own
  dialog.appendChild(widget);
  dialog.firstChild.onclick = close;
  // A click on the backdrop lands on the dialog itself, outside its box.
  dialog.onclick = (event) => {
    const box = dialog.getBoundingClientRect();
    const outside = event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom;
    if (event.target == dialog && outside) close();
  };
  dialog.onclose = close; // Escape
  // The widget's events bubble to this shadow root only; they go on to the page from its host.
  root.addEventListener("homeslot-event", (event) =>
    host.dispatchEvent(new CustomEvent("homeslot-event", { bubbles: true, detail: event.detail })));
  document.body.appendChild(host);
  dialog.showModal();
  open = { host, widget };
}

/** Closes the popup or panel. The widget tells the page's trackers first (`widget_closed`, from
 *  its tracker, which listens on its own element for `homeslot-close`). */
function close() {
  const shown = open;
  if (!shown) return;
  open = null;
  shown.widget.shadowRoot?.querySelector(".hs-tracker")?.dispatchEvent(new Event("homeslot-close"));
  shown.host.remove();
}

/** The floating button (text, colour and corner from the loader's tag), opening the panel, in its own shadow root:
 *  the host's styles cannot restyle or hide it. */
export function button(kit) {
  const host = shielded("homeslot-button"), tag = kit.script;
  host.attachShadow({ mode: "open" }).innerHTML = `<style>button{position:fixed;bottom:20px;${side(tag)}:20px;
z-index:2147483000;padding:14px 22px;border:0;border-radius:99px;font:600 16px system-ui,sans-serif;color:#fff;
cursor:pointer;box-shadow:0 4px 14px #0004}button:focus-visible{outline:3px solid #000;outline-offset:2px}</style><button></button>`;
  const inside = host.shadowRoot.lastChild;
  inside.textContent = tag.getAttribute("data-button-text") || "Book online";
  inside.style.background = tag.getAttribute("data-button-color") || "#5b2e91";
  inside.onclick = () => api(kit, "open");
  document.body.appendChild(host);
}

/** Iframe mode: the edge's hosted page in a frame, for hosts whose CSP forbids WebAssembly or
 *  other sites' scripts in the page. The frame says its height and the client's steps through
 *  postMessage; only messages from that frame at the edge's exact origin are read, and the steps
 *  are relayed to the page as the inline widget sends them (the element's `homeslot-event`,
 *  `dataLayer`, `gtag`, the owner's callback). A sandboxed page (origin "null") cannot be named
 *  as a target, so it gets neither. */
export function frame({ edge }, element, root, options) {
  const query = new URLSearchParams({ frame: 1 });
  for (const name of ["service", "specialist", "date", "language", "theme"]) if (options[name]) query.set(name, options[name]);
  if (location.origin != "null") query.set("parent", location.origin);
  const path = [options.company, options.location].filter(Boolean).map(encodeURIComponent).join("/");
  const iframe = document.createElement("iframe");
  iframe.src = `${edge}/b/${path}?${query}`;
  iframe.title = "Online booking";
  iframe.style.cssText = "display:block;width:100%;height:100%;border:0";
  root.appendChild(iframe);
  addEventListener("message", (event) => {
    const data = event.data || {}, { name, params } = data;
    if (event.origin != edge || event.source != iframe.contentWindow || data.source != "homeslot") return;
    // The frame takes its page's height once the client is in it (it has the focus): while the
    // page loads, the frame keeps its reserved box and scrolls, so the host page never jumps.
    if (data.height && document.activeElement == element) {
      element.style.height = "";
      iframe.style.height = `${data.height}px`;
    }
    if (!name) return;
    element.dispatchEvent(new CustomEvent("homeslot-event", { bubbles: true, detail: { name, params } }));
    const layer = (window.dataLayer = window.dataLayer || []);
    if (data.ga4) layer.push({ ecommerce: null }, { event: name, ecommerce: params });
    else layer.push({ event: name, ...params });
    if (typeof window.gtag == "function") gtag("event", name, params);
    const callback = window[options["analytics-callback"]];
    if (typeof callback == "function") callback(name, params);
  });
}
