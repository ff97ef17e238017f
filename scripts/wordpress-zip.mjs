// The WordPress plugin as the zip WordPress's "Upload Plugin" takes: the folder
// embed-snippets/wordpress/homeslot/ under the name homeslot/, written to the path given.
// The edge serves it to owners (the console's "On your site" links it).
//
//   node scripts/wordpress-zip.mjs dist/public/downloads/homeslot-wordpress.zip
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { zipSync } from "fflate";

const root = new URL("../embed-snippets/wordpress/homeslot/", import.meta.url).pathname;
const files = {};
function add(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) add(path);
    // A fixed date: the same plugin makes the same zip, byte for byte.
    else files[`homeslot/${relative(root, path)}`] = [readFileSync(path), { mtime: new Date("2026-01-01T00:00:00Z") }];
  }
}
add(root);
const out = process.argv[2];
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, zipSync(files, { level: 9 }));
