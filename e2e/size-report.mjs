// Prints the widget's size (raw, gzip, brotli) as shipped to a client's phone: the loader, what
// the first screen needs (JS glue, the main wasm with the first screen's CSS, the chunk loader,
// the default language's words and the theme's stylesheet, which the loader fetches alongside),
// and the chunks of the later steps, fetched after the first screen is shown; the console's first
// load; and the Worker's bundle. It exits with 1 (and scripts/test fails) when the loader, the
// widget's first screen or the console's first load is over its budget
// (../shared/handbook/budgets.md), or the Worker over the platform's 3 MB (gzip).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const WIDGET = "target/widget-out";
const FIRST_SCREEN = ["homeslot_widget.js", "homeslot_widget_bg.wasm"];

// The words come in two parts (widget/i18n/first-screen.json lists the first screen's keys), one
// language at a time: `words:first:de` is German's first part as the edge answers it.
const FIRST_WORDS = JSON.parse(readFileSync("widget/i18n/first-screen.json", "utf8"));
const LANGUAGES = readdirSync("widget/i18n").filter((n) => n !== "first-screen.json").map((n) => n.replace(".json", ""));
function words(part, language) {
  const all = JSON.parse(readFileSync(`widget/i18n/${language}.json`, "utf8"));
  const chosen = Object.fromEntries(Object.entries(all).filter(([key]) => FIRST_WORDS.includes(key) === (part === "first")));
  const direction = ["ar", "he"].includes(language) ? "rtl" : "ltr";
  return Buffer.from(JSON.stringify({ language, locale: language, direction, strings: chosen }));
}

function measure(file) {
  let bytes = file.startsWith("words:") ? words(...file.slice(6).split(":")) : readFileSync(file);
  // The edge serves a theme's tokens without the source's comments and spacing.
  if (file.endsWith(".css")) bytes = Buffer.from(bytes.toString().replace(/\/\*[\s\S]*?\*\//g, "").replace(/\s+/g, " "));
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli };
}
const sum = (rows) => rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kb = (n) => (n / 1024).toFixed(1).padStart(7);
const line = (label, r) => console.log(`${label.padEnd(44)}${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);

const loader = measure("dist/public/embed/loader.js");
// The words and the theme come from the edge (`…/strings`, `…/theme.css`); their sources are
// measured: the language whose first screen's words are the largest (the budget holds for every
// language: a page downloads only its own), its later steps' part with the chunks, and the
// default theme's tokens.
const byLanguage = LANGUAGES.map((language) => ({ language, first: measure(`words:first:${language}`), later: measure(`words:later:${language}`) }));
console.log("\nWords per language, brotli (B)       first screen   later steps");
for (const { language, first, later } of byLanguage) console.log(`  ${language.padEnd(34)}${String(first.brotli).padStart(12)}${String(later.brotli).padStart(14)}`);
const largest = byLanguage.reduce((a, b) => (b.first.brotli > a.first.brotli ? b : a));
const largestLater = byLanguage.reduce((a, b) => (b.later.brotli > a.later.brotli ? b : a));
console.log(`the largest words: ${largest.language} (first screen, ${largest.first.brotli} B), ${largestLater.language} (later steps, ${largestLater.later.brotli} B)`);
const first = [...FIRST_SCREEN.map((name) => `${WIDGET}/${name}`), `words:first:${largest.language}`, "themes/default.css"].map(measure);
const chunks = [...readdirSync(WIDGET).filter((name) => name.endsWith(".wasm") && !FIRST_SCREEN.includes(name)).sort()
  .map((name) => measure(`${WIDGET}/${name}`)), measure(`words:later:${largestLater.language}`)];

console.log("\nWidget size (KiB)                             raw    gzip  brotli");
line(loader.file, loader);
for (const r of first) line(r.file, r);
const total = sum(first);
line("first screen (all of the above but the loader)", total);
for (const r of chunks) line(`  later: ${r.file}`, r);
line("later steps' chunks, all together", sum(chunks));

const BUDGETS = { loader: 1536, firstScreen: 80 * 1024, console: 400 * 1024, worker: 3 * 1024 * 1024 };
const verdict = (size, budget) => (size <= budget ? `${budget - size} B left` : `${size - budget} B OVER`);
console.log(`loader, brotli: ${loader.brotli} B of the ${BUDGETS.loader} B budget (${verdict(loader.brotli, BUDGETS.loader)})`);
console.log(`first screen, brotli: ${total.brotli} B of the ${BUDGETS.firstScreen} B budget (${verdict(total.brotli, BUDGETS.firstScreen)})`);
const over = [];
if (loader.brotli > BUDGETS.loader) over.push("the loader");
if (total.brotli > BUDGETS.firstScreen) over.push("the first screen");
// The console: its page's first load is what the page links (the glue, its wasm, the stylesheet
// and boot.js); every other screen is a chunk (split_*.wasm, with the chunk_*.wasm it shares with
// other screens) fetched the first time it is opened, and preview.js only by the preview frame.
const CONSOLE = "target/console-out";
if (existsSync(CONSOLE)) {
  const files = readdirSync(CONSOLE).sort()
    .filter((name) => statSync(`${CONSOLE}/${name}`).isFile()).map((name) => measure(`${CONSOLE}/${name}`));
  const later = (r) => /\/(split_|chunk_|preview\.js)/.test(r.file);
  const first = files.filter((r) => !later(r));
  console.log("\nConsole size (KiB)                            raw    gzip  brotli");
  for (const r of first) line(r.file, r);
  const load = sum(first);
  line("console, first load", load);
  for (const r of files.filter((r) => /\/split_/.test(r.file))) {
    line(`  screen ${r.file.replace(/.*split___(\w+?)_screen.*/, "$1")}`, r);
  }
  line("  chunks the screens share, all together", sum(files.filter((r) => /\/chunk_/.test(r.file))));
  console.log(`console first load, brotli: ${load.brotli} B of the ${BUDGETS.console} B budget (${verdict(load.brotli, BUDGETS.console)})`);
  if (load.brotli > BUDGETS.console) over.push("the console");
}
// The Worker (the release build, as deployed).
const worker = "edge/build/index_bg.wasm";
if (existsSync(worker)) {
  const gzip = gzipSync(readFileSync(worker), { level: 9 }).length;
  console.log(`Worker (${worker}), gzip: ${(gzip / 1024).toFixed(0)} KiB of the platform's ${BUDGETS.worker / 1024} KiB (${verdict(gzip, BUDGETS.worker)})`);
  if (gzip > BUDGETS.worker) over.push("the Worker");
}
if (over.length) {
  console.error(`Over budget: ${over.join(", ")}. See docs/development.md for what the bytes buy and how they were won.`);
  process.exit(1);
}
