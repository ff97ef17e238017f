// Gives the widget's wasm imports short names. wasm-bindgen names each import after its JS
// function plus a 16-hex-digit hash (`__wbg_get_d7176cfb76d71114`), in the module
// "./homeslot_widget_bg.js"; those random digits do not compress and ship twice (in the wasm and
// in the JS glue's import object). Renaming them to `a`, `b`, … in both files saves about a
// kilobyte of brotli. Usage: node scripts/short-imports.mjs DIR (holding the wasm-bindgen output).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { leb, readLeb } from "./wasm-bytes.mjs";

const dir = process.argv[2];
const wasmPath = join(dir, "homeslot_widget_bg.wasm");
const jsPath = join(dir, "homeslot_widget.js");
const MODULE = "./homeslot_widget_bg.js";
const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, "utf8");

const text = (s) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
function shortName(n) { // a, b, …, z, A, …, Z, aa, ab, …
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  do { name = letters[n % 52] + name; n = Math.floor(n / 52) - 1; } while (n >= 0);
  return name;
}

// Find the import section (id 2) after the 8-byte header.
let at = 8;
let section;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, body] = readLeb(wasm, at + 1);
  if (id === 2) { section = { start: at, body, end: body + size }; break; }
  at = body + size;
}
if (!section) throw new Error("no import section");

let [count, p] = readLeb(wasm, section.body);
const renamed = new Map();
const entries = [];
for (let i = 0; i < count; i++) {
  let len;
  [len, p] = readLeb(wasm, p);
  const module = wasm.toString("utf8", p, p + len); p += len;
  [len, p] = readLeb(wasm, p);
  const field = wasm.toString("utf8", p, p + len); p += len;
  // The import's description, copied as it is: kind, then its type (function index, table,
  // memory limits or global type).
  const descStart = p;
  const kind = wasm[p++];
  if (kind === 0) { [, p] = readLeb(wasm, p); }
  else if (kind === 1) { p++; const flags = wasm[p++]; [, p] = readLeb(wasm, p); if (flags & 1) [, p] = readLeb(wasm, p); }
  else if (kind === 2) { const flags = wasm[p++]; [, p] = readLeb(wasm, p); if (flags & 1) [, p] = readLeb(wasm, p); }
  else if (kind === 3) { p += 2; }
  else throw new Error(`unknown import kind ${kind}`);
  let name = field;
  if (module === MODULE) {
    if (!renamed.has(field)) renamed.set(field, shortName(renamed.size));
    name = renamed.get(field);
  }
  entries.push([module === MODULE ? "w" : module, name, wasm.subarray(descStart, p)]);
}
if (p !== section.end) throw new Error("import section not read to its end");

const body = [...leb(entries.length)];
for (const [module, name, desc] of entries) body.push(...text(module), ...text(name), ...desc);
const out = Buffer.concat([
  wasm.subarray(0, section.start),
  Buffer.from([2, ...leb(body.length), ...body]),
  wasm.subarray(section.end),
]);

// The same names in the glue: keys of the import object, and the module's key.
for (const [long, short] of renamed) {
  const key = new RegExp(`(^|[\\s{,])${long}:`, "gm");
  const before = js;
  js = js.replace(key, `$1${short}:`);
  if (js === before) throw new Error(`import ${long} not found in the JS glue`);
  if (js.includes(long)) throw new Error(`import ${long} is used elsewhere in the JS glue`);
}
const moduleKey = `"${MODULE}": import0`;
if (!js.includes(moduleKey)) throw new Error("the glue's import object has changed shape");
js = js.replace(moduleKey, `w: import0`);

writeFileSync(wasmPath, out);
writeFileSync(jsPath, js);
console.log(`short-imports: ${renamed.size} imports renamed, wasm ${wasm.length} → ${out.length} B`);
