// Phase 1 of the restart check (run by scripts/test before it restarts the Worker): confirms a
// booking and prints what was booked as JSON, for after.test.mjs to verify.
import assert from "node:assert/strict";
import { book, client, dateWithSlots } from "../helpers.mjs";

const { date, slots } = await dateWithSlots("colour", 10);
const slot = slots[slots.length - 1];
const response = await book({ service_id: "colour", start: slot.start, client: client(900) });
assert.equal(response.status, 201, response.text);
console.log(JSON.stringify({ date, start: slot.start, booking_id: response.body.booking_id }));
