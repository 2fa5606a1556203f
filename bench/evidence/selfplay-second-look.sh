#!/usr/bin/env bash
# The self-play evidence's second look (issue 25; design fixed in bench/evidence/selfplay-second-look.md): the 18 trained
# models of the evidence-25 runs judged again against the frontier base on five times the items, at fresh report seeds
# (training seed k of every method on one seed), leaving out every item the ledger's seeds drew; then LSP and LSP-Zero
# head to head against GRPO of the same training seed; then the table, as Markdown.
#   bench/evidence/selfplay-second-look.sh WEBLAB_BIN LAB_DATA_DIR OUT_DIR
# LAB_DATA_DIR: the data folder of the lab that ran bench/evidence/selfplay-runs.sh (its weblab.db names the runs).
set -euo pipefail
bin=$1 data=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
base="$bin/models/tinytasks-frontier-base"
ledger=5000001,7000001,9000001,$(seq -s, 11000001 100 11001801)   # 11001201 included: dropped, but drawn
mkdir -p "$out"
model() { local id; id=$(sqlite3 "$data/weblab.db" "select Id from Experiments where Name = '$1 $2 seed $3' and Status = 'Succeeded'")
  [ -n "$id" ] || { echo "no succeeded run named '$1 $2 seed $3' in $data/weblab.db" >&2; exit 1; }; echo "$data/runs/$id/checkpoints/final"; }
ev() {   # name model against domain seed per-split answer-seed
  [ -s "$out/$1.json" ] && return 0
  "$bin/weblab" eval --model "$2" --against "$3" --domain "$4" --eval-seed "$5" --per-split "$6" --answer-seed "$7" \
    --exclude-seeds "$ledger" --exclude-per-split 60,140 > "$out/$1.json.tmp"
  mv "$out/$1.json.tmp" "$out/$1.json"
  echo "$(date +%T) $1: $(/usr/bin/python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['against']; print(a['wins'], a['ties'], a['losses'])" "$out/$1.json")" >&2
}
for testbed in frontier:tiny-cpu:300:13000001 headroom:headroom:700:13000301; do
  IFS=: read -r name preset per first <<< "$testbed"
  for k in 1 2 3; do
    seed=$((first + 100 * (k - 1)))
    for method in grpo lsp lsp-zero; do
      ev "$method-$name-s$k" "$(model $method $preset $k)" "$base" "tinytasks-$name" $seed $per $k
    done
    for method in lsp lsp-zero; do
      ev "$method-vs-grpo-$name-s$k" "$(model $method $preset $k)" "$(model grpo $preset $k)" "tinytasks-$name" $seed $per $k
    done
  done
done
/usr/bin/python3 "$here/selfplay-second-look-table.py" "$out"
