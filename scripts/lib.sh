# Shared by scripts/start, scripts/test and scripts/build: install what is missing, skip what is
# there, and build every artifact offline (nothing is downloaded from GitHub or a CDN).
# Sourced, not run. Pinned tool versions live here and in package.json / Cargo.lock.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Pins. WASM_BINDGEN_VERSION must equal the wasm-bindgen crate in Cargo.lock (checked below).
WORKER_BUILD_VERSION="0.8.7"
# The splitter that cuts the widget's wasm into chunks; its runtime half (wasm_split_helpers) is
# a dependency of leptos, in Cargo.lock.
WASM_SPLIT_VERSION="0.2.4"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

wasm_bindgen_version() {
  # The version of the wasm-bindgen crate Cargo.lock resolved: the CLI must be exactly this.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  local want; want="$(wasm_bindgen_version)"
  # `wasm-bindgen --version` prints "wasm-bindgen X.Y.Z": compare the last field.
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $NF}')" != "$want" ]; then
    say "Installing wasm-bindgen-cli $want (about 8 minutes, once)"
    # Without --locked: its own lock file names a dependency version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

ensure_worker_build() {
  # `worker-build --version` prints a bare "X.Y.Z": compare the last field.
  if [ "$(worker-build --version 2>/dev/null | awk '{print $NF}')" != "$WORKER_BUILD_VERSION" ]; then
    say "Installing worker-build $WORKER_BUILD_VERSION (about 9 minutes, once)"
    cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked --force
  fi
}

ensure_wasm_split() {
  # wasm-split-cli has no --version: ask cargo which version it installed.
  if ! cargo install --list 2>/dev/null | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    say "Installing wasm-split-cli $WASM_SPLIT_VERSION (about 3 minutes, once)"
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
  fi
}

ensure_npm_packages() {
  # Reinstall only when package-lock.json changed since the last install.
  local stamp="$ROOT/node_modules/.homeslot-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$ROOT/package-lock.json" "$stamp"; then
    say "Installing npm packages (wrangler, binaryen, playwright-core, axe-core, ical.js)"
    npm ci --no-audit --no-fund --loglevel=error
    cp "$ROOT/package-lock.json" "$stamp"
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Debian's chromium for the browser tests"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
  fi
}

# PHP renders the WordPress plugin's output for its browser test (e2e/recipes.test.mjs).
ensure_php() {
  if ! command -v php >/dev/null; then
    say "Installing Debian's php-cli for the WordPress plugin's test"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq php-cli >/dev/null
  fi
}

# Schemathesis (PyPI) for e2e/openapi-fuzz.test.mjs, in a virtualenv of its own: the versions in
# e2e/openapi/requirements.txt, reinstalled only when that file changes.
ensure_schemathesis() {
  local venv="$ROOT/target/venv" stamp="$ROOT/target/venv/.homeslot-requirements"
  if [ ! -x "$venv/bin/schemathesis" ] || ! cmp -s "$ROOT/e2e/openapi/requirements.txt" "$stamp"; then
    say "Installing Schemathesis (the OpenAPI tester) into target/venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/e2e/openapi/requirements.txt"
    cp "$ROOT/e2e/openapi/requirements.txt" "$stamp"
  fi
}

ensure_build_tools() {
  ensure_rust_target
  ensure_npm_packages
  ensure_wasm_bindgen
  ensure_worker_build
  ensure_wasm_split
}

WASM_OPT_FLAGS=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-reference-types --enable-multivalue --enable-mutable-globals)

# inputs_hash PATH...: one hash of every file under the given paths (build inputs).
inputs_hash() {
  find "$@" -type f -not -path '*/build/*' -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# fresh STAMP HASH: true when the outputs recorded in STAMP were built from inputs with HASH.
fresh() {
  [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]
}

# optimise_chunks SPLIT OUT: wasm-opt on each chunk wasm-split cut out of a build (the console
# has over a hundred), as many at once as the machine has cores; fails if any one fails.
optimise_chunks() {
  local split="$1" out="$2"
  find "$split" -maxdepth 1 \( -name 'split_*.wasm' -o -name 'chunk_*.wasm' \) -print0 |
    xargs -0 -r -P "$(nproc)" -I{} sh -c \
      'out="$1" chunk="$2"; shift 2; wasm-opt -Oz "$@" -o "$out/${chunk##*/}" "$chunk" 2>/dev/null' \
      sh "$out" {} "${WASM_OPT_FLAGS[@]}"
}

build_widget() {
  # Built outside dist/public (everything in there is served): build_pages publishes it under
  # its version.
  local out="$ROOT/target/widget-out" stamp="$ROOT/target/widget-build.inputs" hash
  hash="$(inputs_hash shared widget themes Cargo.toml Cargo.lock rust-toolchain.toml scripts)"
  if [ -f "$out/homeslot_widget_bg.wasm" ] && [ -f "$ROOT/target/widget-chunks.json" ] && fresh "$stamp" "$hash"; then
    say "Widget is up to date"
    return 0
  fi
  say "Building the widget (Leptos → wasm)"
  # Its own cargo invocation: the widget must not inherit the edge's features (time-zone data).
  cargo build --quiet -p homeslot-widget --target wasm32-unknown-unknown --release
  rm -rf "$out" && mkdir -p "$out"
  # Split first (it reads the linker's relocations, see widget/build.rs): the main module, one
  # chunk per split step (split_*.wasm), chunks they share (chunk_*.wasm) and __wasm_split.js,
  # which fetches them next to itself. wasm-bindgen then binds the main module only; it keeps the
  # function table and the stack pointer exported, because the chunks link against them.
  local split="$ROOT/target/widget-split"
  rm -rf "$split" && mkdir -p "$split"
  wasm-split-cli --target web --out-name homeslot_widget \
    "$ROOT/target/wasm32-unknown-unknown/release/homeslot_widget.wasm" "$split"
  wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$out" "$split/homeslot_widget.wasm"
  # Dependencies' exported classes the widget never uses (wasm-streams', through server_fn) out
  # of the glue and the wasm's exports; wasm-opt then drops their code, and the glue the imports
  # only that code called (scripts/trim-glue.mjs: ~1.6 KB of brotli).
  node "$ROOT/scripts/trim-glue.mjs" exports "$out" >/dev/null
  wasm-opt -Oz --converge "${WASM_OPT_FLAGS[@]}" -o "$out/homeslot_widget_bg.wasm" "$out/homeslot_widget_bg.wasm"
  node "$ROOT/scripts/trim-glue.mjs" imports "$out" >/dev/null
  optimise_chunks "$split" "$out"
  # The chunk loader fetches through widget/js/patience.js (a stalled request is asked again):
  # the copy wasm-bindgen put among its snippets, so that the bundle below holds it once.
  local patience
  patience="$(ls "$out"/snippets/*/js/patience.js)"
  node -e '
    const fs = require("fs"), [file, helper] = process.argv.slice(1);
    const code = fs.readFileSync(file, "utf8"), asks = code.split("fetch(new URL(").length - 1;
    if (asks < 2) throw new Error("the chunk loader no longer fetches as expected: " + file);
    fs.writeFileSync(file, `import { patientFetch } from ${JSON.stringify(helper)};\n` +
      code.replaceAll("fetch(new URL(", "patientFetch(new URL("));
  ' "$split/__wasm_split.js" "$patience"
  cp "$split/__wasm_split.js" "$out/"
  # Which files each split step loads, for the loader (see build_pages); read before minifying.
  node "$ROOT/scripts/chunks.mjs" "$out" > "$ROOT/target/widget-chunks.json"
  node "$ROOT/scripts/short-imports.mjs" "$out" >/dev/null
  # The JS glue ships minified (~2.3 KB less brotli, and less for a phone to parse), with the
  # chunk loader it imports bundled in: one module, one request fewer before the first screen.
  # (wasm-bindgen lists the chunk loader twice in one import object, under the same key and the
  # same module: harmless, so esbuild's warning about it is silenced.)
  esbuild "$out/homeslot_widget.js" --bundle --minify --format=esm --allow-overwrite --log-level=warning \
    --log-override:duplicate-object-key=silent --outfile="$out/homeslot_widget.js"
  # A host page's polluted Object.prototype must not stop the glue (scripts/own-keys.mjs).
  node "$ROOT/scripts/own-keys.mjs" "$out/homeslot_widget.js"
  rm -r "$out/__wasm_split.js" "$out/snippets"
  mkdir -p "$ROOT/target" && echo "$hash" > "$stamp"
}

# The console (console/): a Leptos app, bound by wasm-bindgen and shrunk by wasm-opt, into
# target/console-out; build_pages publishes it under its version. Split like the widget, by
# screen (console/src/app.rs, `screen!`): the first load is sign-in, the businesses and the
# overview; each other screen is a chunk fetched the first time it is opened.
build_console() {
  local out="$ROOT/target/console-out" stamp="$ROOT/target/console-build.inputs" hash
  hash="$(inputs_hash shared console Cargo.toml Cargo.lock rust-toolchain.toml scripts/lib.sh)"
  if [ -f "$out/homeslot_console_bg.wasm" ] && fresh "$stamp" "$hash"; then say "Console is up to date"; return 0; fi
  say "Building the console (Leptos → wasm)"
  # Its own cargo invocation, like the widget's: no features borrowed from the edge.
  cargo build --quiet -p homeslot-console --target wasm32-unknown-unknown --release
  rm -rf "$out" && mkdir -p "$out"
  local split="$ROOT/target/console-split"
  rm -rf "$split" && mkdir -p "$split"
  wasm-split-cli --target web --out-name homeslot_console \
    "$ROOT/target/wasm32-unknown-unknown/release/homeslot_console.wasm" "$split"
  wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$out" "$split/homeslot_console.wasm"
  wasm-opt -Oz "${WASM_OPT_FLAGS[@]}" -o "$out/homeslot_console_bg.wasm" "$out/homeslot_console_bg.wasm"
  optimise_chunks "$split" "$out"
  # The glue with the chunk loader and the passkey snippet bundled in: one module.
  cp "$split/__wasm_split.js" "$out/"
  esbuild "$out/homeslot_console.js" --bundle --minify --format=esm --allow-overwrite --log-level=warning \
    --log-override:duplicate-object-key=silent --outfile="$out/homeslot_console.js"
  rm -r "$out/__wasm_split.js" "$out/snippets"
  cp "$ROOT/console/boot.js" "$ROOT/console/style.css" "$ROOT/console/js/preview.js" "$out/"
  mkdir -p "$ROOT/target" && echo "$hash" > "$stamp"
}

# build_edge [test]: the Worker into edge/build (release), or with `test` into edge/build-test with
# the `faults` feature (a request may stop the checkout where a crash would: src/checkout/faults.rs),
# which scripts/test runs its end-to-end suite on. Release builds never carry it.
build_edge() {
  local variant="${1:-release}" out="build" features=()
  if [ "$variant" = test ]; then out="build-test"; features=(-- --features faults); fi
  local stamp="$ROOT/target/edge-$variant-build.inputs" hash
  # The edge serves the widget's words (include_str!), so they are its inputs too.
  hash="$(inputs_hash shared edge/src edge/Cargo.toml edge/openapi.json edge/demo widget/i18n Cargo.toml Cargo.lock rust-toolchain.toml scripts/lib.sh)"
  if [ -f "$ROOT/edge/$out/index.js" ] && fresh "$stamp" "$hash"; then say "Worker ($variant) is up to date"; return 0; fi
  say "Building the edge (Worker → wasm, $variant)"
  (cd "$ROOT/edge" && WASM_BINDGEN_BIN="$(command -v wasm-bindgen)" WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt" \
    ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild" worker-build --release --out-dir "$out" "${features[@]}" >/dev/null)
  mkdir -p "$ROOT/target" && echo "$hash" > "$stamp"
}

build_pages() {
  # Static assets next to the widget: the loader, the demo host page, the API's OpenAPI document.
  mkdir -p "$ROOT/dist/public/embed"
  # The widget under its version (a hash of its files): a page that cached an older loader loads
  # the widget that loader was built for, never a newer one it cannot drive. Served as immutable.
  # The loader's module for popups, the floating button and iframe mode (embed-snippets/embed.js)
  # is versioned with it.
  local version
  version="$(cat "$ROOT"/target/widget-out/* "$ROOT/embed-snippets/embed.js" | sha256sum | cut -c1-12)"
  rm -rf "$ROOT/dist/public/widget" && mkdir -p "$ROOT/dist/public/widget/$version"
  cp "$ROOT"/target/widget-out/* "$ROOT/dist/public/widget/$version/"
  "$ROOT/node_modules/.bin/esbuild" "$ROOT/embed-snippets/embed.js" --minify --legal-comments=none --format=esm \
    --log-level=warning --outfile="$ROOT/dist/public/widget/$version/embed.js"
  # Every host page pays for the loader: shipped minified (its comments are for us, in the repo),
  # with the widget's version and the names of its chunk files, which it preloads for pages that
  # open past the first screen.
  "$ROOT/node_modules/.bin/esbuild" "$ROOT/embed-snippets/loader.js" --minify --legal-comments=none \
    --define:CHUNKS="$(cat "$ROOT/target/widget-chunks.json")" --define:VERSION="\"$version\"" \
    --log-level=warning --outfile="$ROOT/dist/public/embed/loader.js"
  "$ROOT/node_modules/.bin/esbuild" "$ROOT/embed-snippets/hosted.js" --minify --legal-comments=none \
    --log-level=warning --outfile="$ROOT/dist/public/embed/hosted.js"
  # None of them may enumerate a host page's polluted prototypes (scripts/own-keys.mjs).
  node "$ROOT/scripts/own-keys.mjs" "$ROOT/dist/public/widget/$version/embed.js" "$ROOT/dist/public/embed/loader.js" \
    "$ROOT/dist/public/embed/hosted.js"
  # The console under its version, like the widget; its page (the same for every console address,
  # which the Worker answers: edge/src/console/page.rs) names that version.
  local console
  console="$(find "$ROOT/target/console-out" -type f | sort | xargs cat | sha256sum | cut -c1-12)"
  rm -rf "$ROOT/dist/public/console-app" && mkdir -p "$ROOT/dist/public/console-app/$console"
  cp -r "$ROOT"/target/console-out/* "$ROOT/dist/public/console-app/$console/"
  sed "s/VERSION/$console/g" "$ROOT/console/index.html" > "$ROOT/dist/public/console-app/index.html"
  # The live preview's frame (console/src/components/preview.rs) mounts this build's widget.
  sed "s/VERSION/$console/g; s/WIDGET/$version/g" "$ROOT/console/preview.html" > "$ROOT/dist/public/console-app/preview.html"
  # The WordPress plugin, zipped for WordPress's "Upload Plugin" (linked from the console).
  node "$ROOT/scripts/wordpress-zip.mjs" "$ROOT/dist/public/downloads/homeslot-wordpress.zip"
  cp "$ROOT/edge/openapi.json" "$ROOT/dist/public/openapi.json"
  cp "$ROOT/embed-snippets/demo/index.html" "$ROOT/dist/public/index.html"
  cp "$ROOT/embed-snippets/_headers" "$ROOT/dist/public/_headers"
}

build_all() {
  ensure_build_tools
  build_widget
  build_console
  build_edge
  build_pages
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# The password Google's booking server is called with locally (user `google`; a deployment sets its
# own RESERVE_USERNAME and RESERVE_PASSWORD as Worker secrets): derived from the platform token.
reserve_password() { printf 'reserve:%s' "$1" | sha256sum | cut -c1-32; }

# google_service_account STATE_DIR PORT: the local stand-in for the operator's Google service account
# key (a fresh RSA key, kept in STATE_DIR/google-service-account.json across restarts), whose token
# endpoint is the test receiver on PORT (e2e/google-updates): printed as one line of JSON.
google_service_account() {
  node -e '
    const { generateKeyPairSync } = require("crypto");
    const fs = require("fs");
    const [file, port] = process.argv.slice(1);
    if (!fs.existsSync(file)) {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      fs.writeFileSync(file, JSON.stringify({ type: "service_account", project_id: "homeslot-local",
        client_email: "homeslot@homeslot-local.iam.gserviceaccount.com",
        private_key: privateKey.export({ type: "pkcs8", format: "pem" }), token_uri: `http://127.0.0.1:${port}/token` }));
    }
    process.stdout.write(fs.readFileSync(file, "utf8"));' "$1/google-service-account.json" "$2"
}

# start_stack PORT STATE_DIR TOKEN [no-seed]: runs the Worker on workerd (scripts/serve.mjs: Miniflare
# configured from wrangler.toml, behind scripts/front.mjs) in the background (pid in STACK_PID),
# waits until it answers, and seeds the demo business (idempotent PUT, its e-mail to the local mail
# server) unless told not to.
# STACK_WORKER picks the build (the release one, edge/build, unless set: scripts/test runs its suite
# on edge/build-test); STACK_VARS holds extra NAME=VALUE vars. With GOOGLE_PORT set, Reserve with
# Google's real-time updates go to a receiver on that port (partner `homeslot-local`).
start_stack() {
  local port="$1" state="$2" token="$3" seed="${4:-seed}" log="$2/stack.log"
  local worker="${STACK_WORKER:-edge/build/index.js}"
  mkdir -p "$state"
  # SEAL_KEY seals the secrets the edge keeps (SMTP passwords, webhook signing secrets): derived
  # from the token, so it is the same for the same state across restarts. The local mail server listens on SMTP_PORT (kept across
  # restarts of this shell too), its messages in STATE_DIR/mail.
  local seal_key
  seal_key="$(printf 'seal-key:%s' "$token" | sha256sum | cut -c1-64)"
  printf 'PLATFORM_TOKEN=%s\nSEAL_KEY=%s\nRESERVE_USERNAME=google\nRESERVE_PASSWORD=%s\n' \
    "$token" "$seal_key" "$(reserve_password "$token")" > "$ROOT/.dev.vars"
  if [ -n "${GOOGLE_PORT:-}" ]; then
    printf "GOOGLE_PARTNER_ID=homeslot-local\nGOOGLE_API_URL=http://127.0.0.1:%s\nGOOGLE_SERVICE_ACCOUNT='%s'\n" \
      "$GOOGLE_PORT" "$(google_service_account "$state" "$GOOGLE_PORT")" >> "$ROOT/.dev.vars"
  fi
  export SMTP_PORT="${SMTP_PORT:-$(free_port)}"
  # Its own session and process group, so stop_stack can stop node and its workerd together.
  # shellcheck disable=SC2086 # STACK_VARS is a list of arguments
  setsid node "$ROOT/scripts/serve.mjs" "$port" "$state" "$worker" ${STACK_VARS:-} >"$log" 2>&1 </dev/null &
  STACK_PID=$!
  local i
  for i in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/health" 2>/dev/null; then break; fi
    if ! kill -0 "$STACK_PID" 2>/dev/null; then cat "$log" >&2; say "the local stack exited"; return 1; fi
    sleep 0.5
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/health" || { cat "$log" >&2; return 1; }
  [ "$seed" = "no-seed" ] && return 0
  curl -fsS -o /dev/null -X PUT -H "authorization: Bearer $token" -H 'content-type: application/json' \
    --data-binary @"$ROOT/edge/demo/company.json" "http://127.0.0.1:$port/v1/admin/companies/demo"
  # The demo salon sends its e-mail to the local mail server.
  curl -fsS -o /dev/null -X PUT -H "authorization: Bearer $token" -H 'content-type: application/json' \
    --data "{\"host\":\"127.0.0.1\",\"port\":$SMTP_PORT,\"security\":\"none\",\"from_address\":\"bookings@demo.example\",\"location_addresses\":{},\"specialist_addresses\":{}}" \
    "http://127.0.0.1:$port/v1/admin/companies/demo/mail"
}

# crash_stack: kills the stack (node and workerd) at once (SIGKILL), as a crash would: no chance to flush.
crash_stack() {
  if [ -n "${STACK_PID:-}" ]; then
    kill -KILL -- "-$STACK_PID" 2>/dev/null || true
    wait "$STACK_PID" 2>/dev/null || true
    STACK_PID=""
  fi
}

stop_stack() {
  if [ -n "${STACK_PID:-}" ]; then
    kill -TERM -- "-$STACK_PID" 2>/dev/null || true
    wait "$STACK_PID" 2>/dev/null || true
    # workerd may take a moment to exit; make sure nothing of the group outlives us.
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do
      pgrep -g "$STACK_PID" >/dev/null 2>&1 || break
      sleep 0.3
    done
    kill -KILL -- "-$STACK_PID" 2>/dev/null || true
    STACK_PID=""
  fi
}
