// How long the widget waits for an answer: a stalled connection (one that neither answers nor
// fails) must not leave a skeleton on screen for ever. After 20 s without the start of an
// answer, a request counts as lost, like any network failure: the widget says so and offers a
// retry. Only the wait for the answer's start is limited: its body (a chunk of code on a slow
// phone) may take as long as it needs. The loader gives its own requests as long
// (embed-snippets/loader.js).
const PATIENCE = 2e4;

/** `promise` (a `fetch`), or a rejection once PATIENCE passes without its answer. */
export const patient = (promise) =>
  Promise.race([promise, new Promise((_, late) => setTimeout(late, PATIENCE, new Error("no answer")))]);

/**
 * The later steps' code (wasm chunks) is fetched through this: the build points wasm-split's
 * chunk loader here (scripts/lib.sh). A request that fails or stalls is asked again, once (the
 * stalled one is cancelled), before the failure reaches the widget.
 */
export function patientFetch(url, again = true) {
  const stop = new AbortController();
  return patient(fetch(url, { signal: stop.signal })).catch((error) => {
    stop.abort();
    return again ? patientFetch(url, false) : Promise.reject(error);
  });
}
