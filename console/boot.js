// Starts the console: loads its wasm (the app mounts itself, see console/src/lib.rs).
import init from "./homeslot_console.js";
init();
