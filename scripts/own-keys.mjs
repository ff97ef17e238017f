// Makes a bundled script immune to a host page's polluted prototypes. Old WordPress plugins still
// add enumerable properties to Object.prototype (`Object.prototype.extend = …`), and a `for…in`
// loop then visits them too. esbuild's bundles copy a module's exports into its namespace object
// with exactly such a loop (its `__export` helper: `for (var name in all) __defProp(target, name,
// { get: all[name], enumerable: true })`), so on such a page the widget's glue threw before the
// widget drew anything. This rewrites every `for…in` of the minified file into a `for…of` over
// `Object.keys(…)` (own properties only), and fails the build if one is left.
//
// Usage: node scripts/own-keys.mjs FILE...
import { readFileSync, writeFileSync } from "node:fs";

for (const file of process.argv.slice(2)) {
  const code = readFileSync(file, "utf8");
  // `for(var n in t)`, `for(const n in t)`, `for(let n in t)` (esbuild's minified shapes).
  const own = code.replace(/for\((var|let|const) ([\w$]+) in ([\w$.]+)\)/g, "for($1 $2 of Object.keys($3))");
  if (/for\s*\([^;()]*\sin\s/.test(own)) throw new Error(`${file}: a for…in loop is left that this script cannot rewrite`);
  writeFileSync(file, own);
}
