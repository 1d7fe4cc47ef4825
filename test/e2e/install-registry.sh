#!/usr/bin/env bash
# Installs Verdaccio, the local npm registry the community-package install test publishes to, once,
# into the e2e cache folder (like n8n itself: a test tool, not a dependency of the package).
# 6.8.0 is the newest that runs on Node 20; its node-fetch range needs pinning to install here.
set -euo pipefail
VERSION=6.8.0
CACHE="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-instagram-messaging/e2e}"
DIR="$CACHE/registry"
STAMP="$DIR/.installed-verdaccio-$VERSION"
if [ -f "$STAMP" ]; then echo "$DIR"; exit 0; fi
mkdir -p "$DIR"
exec 9>"$DIR/.install.lock"
flock 9
if [ -f "$STAMP" ]; then echo "$DIR"; exit 0; fi
export NPM_CONFIG_LOGLEVEL=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
cd "$DIR"
cat > package.json <<JSON
{ "private": true, "overrides": { "node-fetch": "2.7.0" } }
JSON
npm install --no-save --ignore-scripts "verdaccio@$VERSION" >&2
node -e "require.resolve('verdaccio/bin/verdaccio')" >&2
touch "$STAMP"
echo "$DIR"
