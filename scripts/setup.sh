#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian/Ubuntu machine, then the npm packages.
#   scripts/setup.sh          ffmpeg (with libsvtav1) + npm packages
#   scripts/setup.sh --e2e    everything the tests need: also Chromium and code-server for the
#                             editor tests, and an ffmpeg with libvmaf for the libvmaf tests
# Idempotent: it installs only what is missing. Debian packages need root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

want_e2e=false
[[ "${1:-}" == "--e2e" ]] && want_e2e=true

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
# --hosts: GNU parallel runs the remote segment jobs over ssh and moves their files with rsync.
command -v parallel >/dev/null 2>&1 || missing+=(parallel)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
if $want_e2e; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
  # the --hosts tests' namespace hosts: an sshd each, veth pairs
  [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v tmux >/dev/null 2>&1 || missing+=(tmux) # the progress-line test reads a tmux pane
  # headers code-server's native modules build against
  for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The libvmaf engine's tests need an ffmpeg with libvmaf, which Debian does not package.
if $want_e2e; then
  node scripts/fetch-libvmaf-ffmpeg.mjs >/dev/null
fi

if $want_e2e && [[ -x scripts/setup-code-server.sh ]]; then
  bash scripts/setup-code-server.sh
fi
