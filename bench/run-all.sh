#!/usr/bin/env bash
# Runs every benchmark at its real size, one after another (they must not share the 2 cores),
# and keeps each one's output in bench/results/<name>.log beside the JSON the scripts write.
#   bash bench/run-all.sh [overhead workers vmaf resume target-quality]
#   bash bench/run-all.sh film   # issue 22's film bench (bench/film.ts --case film-p8): hours on two cores
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build >/dev/null
mkdir -p bench/results
names=("$@")
((${#names[@]})) || names=(overhead workers vmaf resume target-quality)
for name in "${names[@]}"; do
  echo "== bench/$name ($(date -u +%H:%M:%S))"
  case "$name" in
    overhead|workers) cmd=(node "bench/$name.mjs") ;;
    resume) cmd=(node -r ./test/register.cjs bench/resume.ts --segments 200) ;;
    *) cmd=(node -r ./test/register.cjs "bench/$name.ts") ;;
  esac
  timer=()
  [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -v)   # adds peak RSS of the whole run
  "${timer[@]}" "${cmd[@]}" 2>&1 | tee "bench/results/$name.log"
done
