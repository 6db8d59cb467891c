#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3's server and web client) for the editor tests, offline
# except for the npm registry. The result is cached outside the repository; a second run only checks the
# marker file and returns. See /work/shared/notes/vscode-e2e.md for why code-server and not desktop VS Code.
#   CODE_SERVER_DIR  where to install (default ~/.cache/chunked-av1/code-server-4.100.3)
set -euo pipefail

version=4.100.3
dir="${CODE_SERVER_DIR:-$HOME/.cache/chunked-av1/code-server-$version}"
marker="$dir/.installed"
entry="$dir/node_modules/code-server/out/node/entry.js"

if [[ -f "$marker" && -f "$entry" ]]; then
  exit 0
fi

command -v rg >/dev/null 2>&1 || { echo "setup-code-server: ripgrep (rg) is missing; run scripts/setup.sh --e2e" >&2; exit 1; }

echo "setup-code-server: installing code-server $version into $dir (takes a few minutes, once)"
mkdir -p "$dir"
cd "$dir"
[[ -f package.json ]] || npm init -y >/dev/null
npm_config_unsafe_perm=true npm install "code-server@$version" --ignore-scripts --no-audit --no-fund --loglevel=error
npm_config_yes=true npm rebuild argon2 --loglevel=error

cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
# @vscode/ripgrep's install script downloads a binary from the internet; give it the system one instead.
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm_config_yes=true npm rebuild --loglevel=error
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --no-audit --no-fund --loglevel=error)

touch "$marker"
echo "setup-code-server: done ($entry)"
