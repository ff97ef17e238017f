// Prints the widget's size (raw, gzip, brotli) as shipped to a client's phone: JS glue + wasm +
// loader. A report, not a test: budgets are in ../shared/handbook/budgets.md.
import { readFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const files = ["dist/public/embed/loader.js", "dist/public/widget/homeslot_widget.js", "dist/public/widget/homeslot_widget_bg.wasm"];
const rows = files.map((file) => {
  const bytes = readFileSync(file);
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli };
});
const total = rows.slice(1).reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kb = (n) => (n / 1024).toFixed(1).padStart(7);
console.log("\nWidget size (KiB)                             raw    gzip  brotli");
for (const r of rows) console.log(`${r.file.padEnd(44)}${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
console.log(`${"widget total (JS glue + wasm)".padEnd(44)}${kb(total.raw)} ${kb(total.gzip)} ${kb(total.brotli)}`);
const budget = 80 * 1024;
console.log(`widget total, brotli: ${total.brotli} B of the ${budget} B budget (${budget - total.brotli >= 0 ? `${budget - total.brotli} B left` : `${total.brotli - budget} B over`})`);
