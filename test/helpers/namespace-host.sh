#!/usr/bin/env bash
# One test "host": run as `ip netns exec NS unshare --mount --propagation private bash namespace-host.sh
# [--bin DIR] DIR... -- SSHD_ARGS...`. It hides each DIR behind a private tmpfs in this mount namespace
# only (so a remote job sees none of the local work directory, only the files GNU parallel sends),
# puts --bin DIR over /usr/local/bin (first on sshd's PATH: the tests' wrapper programs), then
# becomes the host's sshd. Started by test/helpers/hosts.ts with an argument array.
set -euo pipefail
if [[ "${1:-}" == "--bin" ]]; then mount --bind "$2" /usr/local/bin; shift 2; fi
dirs=()
while [[ $# -gt 0 && "$1" != "--" ]]; do dirs+=("$1"); shift; done
[[ "${1:-}" == "--" ]] || { echo "usage: namespace-host.sh DIR... -- SSHD_ARGS..." >&2; exit 2; }
shift
for dir in "${dirs[@]}"; do mount -t tmpfs -o size=1g,mode=1777 tmpfs "$dir"; done
mkdir -p /run/sshd
exec /usr/sbin/sshd "$@"
