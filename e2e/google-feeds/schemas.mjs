// The JSON Schemas of Google's feeds and REST messages (schemas.json), compiled once with ajv for
// the Google tests: `conforms(kind, message)` asserts, `validator(kind)` answers.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import Ajv from "ajv/dist/2020.js";

const schemas = JSON.parse(readFileSync(new URL("./schemas.json", import.meta.url), "utf8"));
// proto3 JSON's int64 is a string or a number: a union type.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, strictRequired: false });
ajv.addSchema(schemas, "feeds");

/** The compiled schema of `kind` (a name under `$defs`). */
export const validator = (kind) => ajv.getSchema(`feeds#/$defs/${kind}`);

/** Asserts that `message` is a valid `kind`, naming every problem. */
export function conforms(kind, message) {
  const validate = validator(kind);
  assert.ok(validate(message), `${kind}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(message).slice(0, 500)}`);
}
