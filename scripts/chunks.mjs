// Prints which files each split step of the widget loads, as JSON: {"steps": ["chunk_3.wasm",
// "split_steps.wasm"], "manage": […]}. Read from the __wasm_split.js that wasm-split-cli wrote
// (its file names are its own choice), so the loader can ask for a step's files early.
// Usage: node scripts/chunks.mjs DIR (the widget's output, holding __wasm_split.js).
import { readFileSync } from "node:fs";
import { join } from "node:path";

const js = readFileSync(join(process.argv[2], "__wasm_split.js"), "utf8");
// Each loader is `const __chunk_N = makeLoad(…"./chunk_N.wasm"…, [deps])` for a shared chunk,
// or `export const __wasm_split_load_NAME = wrapAsyncCb(makeLoad(…"./split_NAME.wasm"…, [deps]))`.
const LOADER = /(?:const (__chunk_\d+)|export const __wasm_split_load_(\w+)) = [\s\S]*?new URL\("\.\/([\w.-]+)"[\s\S]*?\n, \[([^\]]*)\]/g;
const shared = new Map();
const steps = {};
for (const [, chunk, step, file, deps] of js.matchAll(LOADER)) {
  const needs = deps.split(",").map((d) => d.trim()).filter(Boolean).flatMap((d) => shared.get(d) ?? []);
  if (chunk) shared.set(chunk, [...needs, file]);
  else steps[step] = [...new Set([...needs, file])];
}
if (Object.keys(steps).length === 0) throw new Error("no split steps found in __wasm_split.js");
console.log(JSON.stringify(steps));
