#!/usr/bin/env sh
# Refresh the browser libraries shipped in src/kg/web/static/vendor/ from the lock file,
# and axe-core, which only the browser tests use (tests/fixtures/axe-core/, never served).
# Run from anywhere: sh web/vendor.sh   (needs node and npm; nothing else is fetched)
set -eu
# no install scripts run (none of these needs one; swagger-ui-dist's @scarf/scarf would
# report the download), and that one told not to, should they ever be allowed
export SCARF_ANALYTICS=false
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../src/kg/web/static/vendor
mkdir -p "$out"
copy() { mkdir -p "$out/$1"; cp "node_modules/$1/$2" "$out/$1/"; cp "node_modules/$1/LICENSE" "$out/$1/"; }
copy cytoscape dist/cytoscape.min.js
copy layout-base layout-base.js
copy cose-base cose-base.js
copy cytoscape-fcose cytoscape-fcose.js
# the API's documentation page (/api/docs): Swagger UI's bundle and style sheet
copy swagger-ui-dist swagger-ui-bundle.js
cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/NOTICE "$out/swagger-ui-dist/"
# the accessibility checker of the browser tests: a test fixture, not part of the package
tests=../tests/fixtures/axe-core
mkdir -p "$tests"
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$tests/"
node -e 'const p = require("./node_modules/axe-core/package.json");
require("fs").writeFileSync(process.argv[1], `axe-core ${p.version} (${p.license}), copied by sh web/vendor.sh; injected by tests/browser.py, never served.\n`);' "$tests/VERSION"
node -e '
const names = ["cytoscape", "layout-base", "cose-base", "cytoscape-fcose", "swagger-ui-dist"];
const lines = names.map(n => { const p = require("./node_modules/" + n + "/package.json");
  const repo = p.repository && (p.repository.url || p.repository);
  return `- ${n} ${p.version} (${p.license}): ${p.homepage || repo || ""}`; });
require("fs").writeFileSync(process.argv[1], [
  "# Vendored browser libraries",
  "",
  "Copied from the npm registry by `sh web/vendor.sh` (`npm ci` on `web/package-lock.json`,",
  "then `cp` of each built file and its LICENSE). Do not edit these files; change",
  "`web/package.json`, run `npm install` in `web/`, then `sh web/vendor.sh`.",
  "",
  ...lines, ""].join("\n"));
' "$out/README.md"
