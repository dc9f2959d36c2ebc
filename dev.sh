#!/usr/bin/env bash
# One entry point for a fresh machine: makes sure Node >= 22, the browsers and the npm packages are there, then
# runs what you asked for.
#   ./dev.sh demo     the whole journey on local stand-ins (IdP, AWS sign-in, moto), in Chromium
#   ./dev.sh test     every test (unit, integration against moto, Chromium and Firefox end to end)
#   ./dev.sh build    both browsers' builds in .output/
#   ./dev.sh ci       what CI runs: typecheck, lint, builds, store packages, tests
#   ./dev.sh shell    a shell with the project's Node on PATH
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\033[1m[dev]\033[0m %s\n' "$*" >&2; }

# --- Node >= 22 -------------------------------------------------------------------------------------------------
# The npm registry ships Node itself as the package node-<os>-<arch>; install it beside the project's cache when the
# machine's Node is older, instead of failing.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
ensure_node() {
  if [ "$(node_major)" -ge 22 ]; then return; fi
  local os arch pkg prefix
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) log "unsupported OS $(uname -s): install Node 22 yourself"; exit 1 ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) log "unsupported CPU $(uname -m): install Node 22 yourself"; exit 1 ;; esac
  pkg="node-$os-$arch"
  prefix="${AWS_SAML_SYNC_NODE_DIR:-$HOME/.cache/aws-saml-sync/node22}"
  if [ ! -x "$prefix/node_modules/$pkg/bin/node" ]; then
    command -v npm >/dev/null || { log "npm is missing: install Node.js 22 (https://nodejs.org) and run this again"; exit 1; }
    log "Node $(node --version 2>/dev/null || echo none) is older than 22: installing $pkg@22 from the npm registry into $prefix"
    mkdir -p "$prefix"
    npm install --no-save --no-audit --no-fund --prefix "$prefix" "$pkg@22" >/dev/null
  fi
  export PATH="$prefix/node_modules/$pkg/bin:$PATH"
  log "using Node $(node --version) from $prefix"
}

# --- system packages (browsers, openssl) ------------------------------------------------------------------------
apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    log "missing $*: install it with your package manager (Debian/Ubuntu: sudo apt-get install $*)"; return 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  log "installing $* (Debian packages)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
ensure_browsers() {
  local missing=()
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  command -v firefox-esr >/dev/null || command -v firefox >/dev/null || missing+=(firefox-esr)
  command -v openssl >/dev/null || missing+=(openssl)
  # A Chinese font, so the zh-CN screenshots (tests/e2e/journey-zh-cn.test.ts) show characters, not boxes.
  if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then missing+=(fonts-wqy-microhei); fi
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}
ensure_python_tools() {
  local ok=1
  command -v moto_server >/dev/null || ok=0
  command -v aws >/dev/null || ok=0
  python3 -c 'import boto3' 2>/dev/null || ok=0
  if [ "$ok" -eq 0 ]; then
    log "moto, the AWS CLI and boto3 are needed for the STS/S3 stand-ins: pip install \"moto[server]\" awscli boto3"
    return 1
  fi
}

# --- npm packages -------------------------------------------------------------------------------------------------
ensure_packages() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund >/dev/null
  fi
  npx wxt prepare >/dev/null
}

build_all() {
  log "building the Chrome and Firefox extensions"
  npx wxt build >/dev/null
  npx wxt build -b firefox >/dev/null
  npm run --silent host:build >/dev/null
}

# Runs every test, then prints one closing line "Tests: N passed, N failed, N skipped" from vitest's JSON reports.
# With no arguments: unit and integration first, then the browsers on their own (on two cores, a browser run beside
# dozens of node, moto and CLI processes misses its first instant); with arguments, one vitest run of those.
run_tests() {
  local status=0 reports=()
  mkdir -p .output
  rm -f .output/test-results*.json
  if [ "$#" -eq 0 ]; then
    npm test -- --project unit --project integration --reporter=default --reporter=json --outputFile.json=.output/test-results-node.json || status=$?
    npm test -- --project e2e --reporter=default --reporter=json --outputFile.json=.output/test-results-e2e.json || status=$?
    reports=(.output/test-results-node.json .output/test-results-e2e.json)
  else
    npm test -- --reporter=default --reporter=json --outputFile.json=.output/test-results.json "$@" || status=$?
    reports=(.output/test-results.json)
  fi
  node -e 'const fs = require("node:fs"); const t = { p: 0, f: 0, s: 0 };
    for (const f of process.argv.slice(1)) { if (!fs.existsSync(f)) { t.f++; continue; } const r = JSON.parse(fs.readFileSync(f, "utf8"));
      t.p += r.numPassedTests; t.f += r.numFailedTests; t.s += r.numPendingTests + r.numTodoTests; }
    console.log(`Tests: ${t.p} passed, ${t.f} failed, ${t.s} skipped`);' "${reports[@]}"
  return "$status"
}

cmd="${1:-help}"
shift || true
case "$cmd" in
  demo)  ensure_node; ensure_browsers; ensure_python_tools; ensure_packages; build_all; npm run --silent demo -- "$@" ;;
  test)  ensure_node; ensure_browsers; ensure_python_tools; ensure_packages; run_tests "$@" ;;
  build) ensure_node; ensure_packages; build_all ;;
  ci)
    ensure_node; ensure_browsers; ensure_python_tools; ensure_packages
    log "typecheck"; npm run --silent typecheck
    log "lint"; npm run --silent lint
    build_all
    log "release packages (store zips, sources zip, the helper's npm tarball)"; npm run --silent release >/dev/null
    log "tests"; "$0" test "$@"
    log "fuzz (1,000 inputs per target)"; npm run --silent fuzz -- --count 1000
    ;;
  shell) ensure_node; exec "${SHELL:-bash}" ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
