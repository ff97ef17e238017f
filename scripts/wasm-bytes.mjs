// Reading and writing the LEB128 numbers of the wasm binary format, for the build's scripts that
// edit the widget's wasm (scripts/short-imports.mjs, scripts/trim-glue.mjs).

/** The unsigned LEB128 number at `at` in `bytes`, and where the next field starts. */
export function readLeb(bytes, at) {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [value, at];
}

/** `value` as unsigned LEB128 bytes. */
export function leb(value) {
  const out = [];
  do { let byte = value & 0x7f; value = Math.floor(value / 128); if (value) byte |= 0x80; out.push(byte); } while (value);
  return out;
}
