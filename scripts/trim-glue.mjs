// Takes out of the widget's wasm-bindgen output what it links but never uses. Leptos depends on
// server_fn, which depends on wasm-streams, whose three `#[wasm_bindgen]` classes
// (IntoUnderlyingSource, …Sink, …ByteSource: JS streams backed by Rust ones, for streaming server
// functions) are exported whether or not anything uses them, and exports are never removed as
// dead code. The widget has no server functions and its only API is `mount`, so every exported
// class is such a passenger: ~1.1 KB of brotli in the wasm and more in the glue.
//
// Usage, on the directory wasm-bindgen wrote:
//   node scripts/trim-glue.mjs exports DIR   before wasm-opt: drops the classes from the glue and
//                                            their functions from the wasm's exports (wasm-opt
//                                            then removes the code only they reached)
//   node scripts/trim-glue.mjs imports DIR   after wasm-opt: drops the glue's import functions
//                                            the optimised wasm no longer imports
// Each step fails the build if the glue still mentions what it removed.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { leb, readLeb } from "./wasm-bytes.mjs";

const [step, dir] = process.argv.slice(2);
const wasmPath = join(dir, "homeslot_widget_bg.wasm");
const jsPath = join(dir, "homeslot_widget.js");
const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, "utf8");

/** The section with `id`: where it starts, where its body starts and where it ends. */
function section(id) {
  for (let at = 8; at < wasm.length;) {
    const [size, body] = readLeb(wasm, at + 1);
    if (wasm[at] === id) return { start: at, body, end: body + size };
    at = body + size;
  }
  throw new Error(`no section ${id} in ${wasmPath}`);
}
/** Removes the whole-line span of `js` from `from` to the end of the line holding `to`. */
function cut(from, to) {
  const start = js.indexOf(from);
  if (start < 0) throw new Error(`${JSON.stringify(from)} not found in the glue`);
  const end = js.indexOf("\n", js.indexOf(to, start)) + 1;
  js = js.slice(0, start) + js.slice(end);
}

if (step === "exports") {
  const classes = [...js.matchAll(/^export class (\w+) \{$/gm)].map((m) => m[1]);
  for (const name of classes) {
    // The class, its Symbol.dispose line and its FinalizationRegistry (three lines).
    cut(`export class ${name} {`, `if (Symbol.dispose) ${name}.prototype[Symbol.dispose]`);
    cut(`const ${name}Finalization = `, `: new FinalizationRegistry(`);
    if (js.includes(name)) throw new Error(`the glue still uses ${name}`);
  }
  // Enums only those classes returned.
  for (const [line, name] of js.matchAll(/^const (__wbindgen_enum_\w+) = .*;\n/gm)) {
    if (js.split(name).length === 2) js = js.replace(line, "");
  }
  // Their methods are exported as `{class}_{method}` and `__wbg_{class}_free`.
  const prefixes = classes.map((name) => name.toLowerCase());
  const owned = (field) => prefixes.some((p) => field.startsWith(`${p}_`) || field === `__wbg_${p}_free`);
  const exports = section(7);
  let [count, p] = readLeb(wasm, exports.body);
  const kept = [], dropped = [];
  for (let i = 0; i < count; i++) {
    const start = p;
    let len;
    [len, p] = readLeb(wasm, p);
    const field = wasm.toString("utf8", p, p + len);
    p += len + 1; // the name, then the kind
    [, p] = readLeb(wasm, p); // the index
    (owned(field) ? dropped : kept).push(owned(field) ? field : wasm.subarray(start, p));
  }
  for (const field of dropped) if (js.includes(field)) throw new Error(`the glue still calls ${field}`);
  const body = Buffer.concat([Buffer.from(leb(kept.length)), ...kept]);
  writeFileSync(wasmPath, Buffer.concat([
    wasm.subarray(0, exports.start), Buffer.from([7, ...leb(body.length)]), body, wasm.subarray(exports.end),
  ]));
  writeFileSync(jsPath, js);
  console.log(`trim-glue: ${classes.length} unused classes, ${dropped.length} exports dropped`);
} else if (step === "imports") {
  const imported = new Set(WebAssembly.Module.imports(new WebAssembly.Module(wasm))
    .filter((i) => i.module === "./homeslot_widget_bg.js").map((i) => i.name));
  // The import object's entries, one per function: `        name: function(…) {` to `        },`.
  const entry = /^ {8}(\w+): function\([^)]*\) \{\n[\s\S]*?^ {8}\},\n/gm;
  let dropped = 0;
  js = js.replace(entry, (whole, name) => {
    if (imported.has(name)) return whole;
    dropped++;
    return "";
  });
  for (const name of imported) if (!js.includes(`${name}:`)) throw new Error(`import ${name} missing from the glue`);
  writeFileSync(jsPath, js);
  console.log(`trim-glue: ${dropped} unused import functions dropped`);
} else {
  throw new Error("usage: node scripts/trim-glue.mjs exports|imports DIR");
}
