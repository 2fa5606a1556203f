#!/usr/bin/env bash
# The self-play evidence of issue 25: GRPO, LSP and LSP-Zero on both TinyTasks testbeds, 3 training seeds each, every
# run judged at its own report seed (the README's ledger), into one lab's records; the results view (/results, or
# GET /api/results?tag=evidence-25&group=method,domain) then makes the README's table.
#   bench/evidence/selfplay-runs.sh WEBLAB_BIN DATA_DIR
# WEBLAB_BIN: a built src/WebLab.Cli output folder (copy it aside first: a rebuild must not change a run in flight).
# Two lanes, one thread a run: lane A runs the frontier testbed, lane B the headroom one.
set -euo pipefail
bin=$1 data=$2
mkdir -p "$data/configs"
cfg() {   # method testbed-preset training-seed eval-seed [extra overrides]
  local f="$data/configs/$1-$2-s$3.json"
  cat > "$f" <<JSON
{"name": "$1 $2 seed $3", "method": "$1", "preset": "$2", "tags": ["evidence-25"],
 "overrides": {"steps": 600, "evalEvery": 300, "seed": $3, "evalSeed": $4, "threads": 1 $5}}
JSON
  echo "$f"
}
lane() {   # preset first-report-seed-index
  local preset=$1 k=$2 seed method extra
  for seed in 1 2 3; do
    for method in grpo lsp lsp-zero; do
      extra=""
      [ "$preset" = headroom ] && [ "$method" = lsp ] && extra=', "sampleEvery": 1'   # every query logged, for the held-out count
      [ $k -eq 12 ] && k=$((k + 1))                       # 11001201 is left out of the ledger (see the README)
      "$bin/weblab" run --config "$(cfg $method $preset $seed $((11000001 + 100 * k)) "$extra")" --WebLab:DataDirectory="$data" \
        >> "$data/$preset.log" 2>&1 || echo "FAILED: $method $preset seed $seed" >> "$data/$preset.log"
      k=$((k + 1))
    done
  done
}
# report seeds: frontier 11000001 + 100k, k = 0..8 in the order grpo, lsp, lsp-zero per training seed; headroom k = 9..18 without 12
lane tiny-cpu 0 &
lane headroom 9 &
wait
