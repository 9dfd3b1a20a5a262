#!/usr/bin/env bash
# Rebuild the web app's static files from the npm registry (developers only: the output is
# committed, so running ofsted-csc needs no Node). Needs node and npm.
#   govuk-frontend 6.3.0 (the release govuk-frontend-jinja 4.1 is tested against), compiled
#   with Arial and no GDS Transport font face: this service is not on GOV.UK.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund govuk-frontend@6.3.0 sass@1 axe-core@4
STATIC="$ROOT/src/ofsted_csc/web/static"
mkdir -p "$STATIC/govuk/images"
npx sass --style=compressed --no-source-map --quiet-deps --silence-deprecation=import \
  --load-path=node_modules "$ROOT/tools/frontend/app.scss" "$STATIC/app.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$STATIC/govuk/"
cp node_modules/govuk-frontend/dist/govuk/assets/images/favicon.ico \
   node_modules/govuk-frontend/dist/govuk/assets/images/favicon.svg \
   node_modules/govuk-frontend/dist/govuk/assets/images/govuk-icon-mask.svg \
   node_modules/govuk-frontend/dist/govuk/assets/images/govuk-icon-180.png "$STATIC/govuk/images/"
cp node_modules/govuk-frontend/dist/govuk/assets/manifest.json "$STATIC/govuk/"
# axe-core for the accessibility check in the browser tests
mkdir -p "$ROOT/tests/web/vendor"
cp node_modules/axe-core/axe.min.js "$ROOT/tests/web/vendor/"
cp node_modules/axe-core/LICENSE "$ROOT/tests/web/vendor/axe-core-LICENSE.txt"
echo "built $STATIC"
