#!/usr/bin/env bash
# LSP-Zero's degeneration and LSP's stability (issue 25; design fixed in bench/evidence/selfplay-degeneration.md):
# LSP-Zero and LSP, training seeds 1–3, 1,000 iterations each, the tiny-cpu preset on tinytasks-frontier with the
# paper's Challenger rules (α_Ch 1, A_Ch against the mean of all N) and the domain's partial-credit reward, into one
# lab's records; each run judged once at the end, at its own report seed (the README's ledger).
#   bench/evidence/selfplay-degeneration.sh WEBLAB_BIN DATA_DIR
# WEBLAB_BIN: a built src/WebLab.Cli output folder (copy it aside first: a rebuild must not change a run in flight).
# Two lanes, one thread a run: lane A runs LSP-Zero, lane B LSP; the table: bench/evidence/selfplay-table.py with
# the tag evidence-25-degeneration.
set -euo pipefail
bin=$1 data=$2
mkdir -p "$data/configs"
cfg() {   # method training-seed eval-seed
  local f="$data/configs/$1-degeneration-s$2.json"
  cat > "$f" <<JSON
{"name": "$1 degeneration seed $2", "method": "$1", "preset": "tiny-cpu", "tags": ["evidence-25-degeneration"],
 "overrides": {"steps": 1000, "evalEvery": 1000, "seed": $2, "evalSeed": $3, "threads": 1,
               "partialCredit": true, "challengerWeight": 1, "challengerBaseline": "Mean"}}
JSON
  echo "$f"
}
lane() {   # method first-report-seed
  local method=$1 first=$2 seed
  for seed in 1 2 3; do
    "$bin/weblab" run --config "$(cfg "$method" $seed $((first + 100 * (seed - 1))))" --WebLab:DataDirectory="$data" \
      >> "$data/$method.log" 2>&1 || echo "FAILED: $method seed $seed" >> "$data/$method.log"
  done
}
# report seeds on tinytasks-frontier: LSP-Zero 14000001, 14000101, 14000201; LSP 14000301, 14000401, 14000501
lane lsp-zero 14000001 &
lane lsp 14000301 &
wait
