// The console's live preview (console/src/components/preview.rs): the real widget of this
// deployment, mounted from the draft settings the console posts here, before they are saved.
// It does what the loader does (embed-snippets/loader.js: the words, the catalog, the theme) with
// these differences: the catalog's widget settings are the draft's, the theme is the draft's
// stylesheet (the one the edge would serve once saved, written by the same core function), and,
// for a promo being edited, the catalog's promos are the draft's and the widget starts at the
// location, service and specialist that lead to the promo's screen (as a page's attributes would).
const files = document.querySelector('meta[name="homeslot-widget"]').content;
const company = new URLSearchParams(location.hash.slice(1)).get("company") || "";
const base = "/v1/companies/" + encodeURIComponent(company);
let code, host, theme, look = "", shown = "", latest = 0;

function widget() {
  return (code ||= import(files + "homeslot_widget.js").then((w) =>
    w.default({ module_or_path: fetch(files + "homeslot_widget_bg.wasm") }).then(() => w)));
}

async function mount(settings, language, scene) {
  const turn = ++latest;
  const words = fetch(base + "/strings?part=all" + (language ? "&language=" + encodeURIComponent(language) : ""))
    .then((r) => r.json());
  const catalog = fetch(base).then((r) => r.json()).then((published) => {
    published.widget = settings;
    if (scene) published.promos = scene.promos;
    return new Response(JSON.stringify(published), { headers: { "content-type": "application/json" } });
  });
  const [w, strings] = await Promise.all([widget(), words]);
  if (turn !== latest) return; // a newer draft arrived meanwhile
  strings.complete = 1;
  strings.later = () => Promise.resolve();
  const next = document.createElement("div");
  const root = next.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = look;
  const target = document.createElement("div");
  root.append(style, target);
  host?.remove();
  document.body.append(next);
  host = next;
  theme = style;
  const at = { location: scene?.location || "", service: scene?.service || "", specialist: scene?.specialist || "" };
  w.mount(target, { edge: location.origin, company, language: language || "", ...at }, strings, catalog);
}

addEventListener("message", (event) => {
  if (event.origin !== location.origin || typeof event.data !== "string") return;
  const { settings, css, language, scene } = JSON.parse(event.data);
  const key = JSON.stringify([{ ...settings, theme: 0, theme_overrides: 0 }, language, scene]);
  // A new look repaints at once; anything else the widget reads at start mounts it again, with
  // the latest look (a mount overtaken by a newer draft mounts nothing and leaves no style).
  look = css;
  if (theme) theme.textContent = css;
  if (key !== shown) {
    shown = key;
    mount(settings, language, scene);
  }
});
