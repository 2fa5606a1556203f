#!/usr/bin/env bash
# The Vision-SR1 evidence's second look (issue 26; design fixed in bench/evidence/vision-second-look.md): the nine trained
# models of the evidence-26 runs and the shipped cold start, evaluated again on 400 items a split at fresh report seeds
# (training seed k at 7400001 + 100(k - 1)), every item recorded (weblab eval --items), then the paired sign tests
# (weblab eval --paired) and the table, printed as Markdown.
#   bench/evidence/vision-second-look.sh WEBLAB_BIN LAB_DATA_DIR OUT_DIR
# LAB_DATA_DIR: the data folder of the lab that ran bench/evidence/vision-runs.sh (its weblab.db names the runs; their
# final checkpoints are under runs/ID/checkpoints/final).
set -euo pipefail
bin=$1 data=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
cold="$here/../../src/WebLab.Training/Domains/TinyScenes/BaseModel"
per=400
mkdir -p "$out"
run_id() { sqlite3 "$data/weblab.db" "select Id from Experiments where Name = '$1 seed $2' and Status = 'Succeeded'"; }
ev() {   # name model format tokens seed [per-split]
  local name=$1 model=$2 format=$3 tokens=$4 seed=$5 n=${6:-$per}
  [ -s "$out/$name.json" ] && return 0
  "$bin/weblab" eval --model "$model" --judge "$cold" --domain tinyscenes --format "$format" --max-tokens "$tokens" \
    --eval-seed "$seed" --per-split "$n" --items "$out/$name.jsonl" > "$out/$name.json.tmp"
  mv "$out/$name.json.tmp" "$out/$name.json"
  echo "$(date +%T) $name: $(grep -m1 '"in_distribution"' "$out/$name.json")" >&2
}
for k in 1 2 3; do
  seed=$((7400001 + 100 * (k - 1)))
  for arm in vision-r1 seethink-noselfreward vision-sr1; do
    id=$(run_id "$arm" "$k")
    [ -n "$id" ] || { echo "no succeeded run named '$arm seed $k' in $data/weblab.db" >&2; exit 1; }
    format=SeeThink; [ "$arm" = vision-r1 ] && format=Think
    ev "$arm-s$k" "$data/runs/$id/checkpoints/final" $format 48 $seed
  done
  for tokens in 48 96; do
    ev "cold-seethink-$tokens-s$k" "$cold" SeeThink $tokens $seed
    ev "cold-think-$tokens-s$k" "$cold" Think $tokens $seed
  done
done
# the earlier TinyScenes seeds' items (40 a split, as they were used), for the overlap count
for seed in 7100001 7200001 7200101 7200201; do ev "earlier-$seed" "$cold" Think 96 $seed 40; done

paired() {   # label flag A-prefix B-prefix
  local a b
  a=$(echo "$out/$3"-s{1,2,3}.jsonl | tr ' ' ',') b=$(echo "$out/$4"-s{1,2,3}.jsonl | tr ' ' ',')
  "$bin/weblab" eval --paired "$a" --with "$b" --flag "$2" > "$out/paired-$3-$4-$2.json"
  echo "$1|$out/paired-$3-$4-$2.json"
}
{
  paired "oracle LSR: vision-sr1 (A) vs see-think without self-reward (B) [primary, α 0.025]" shortcut_oracle vision-sr1 seethink-noselfreward
  paired "start-model LSR: vision-sr1 vs see-think without self-reward" shortcut_start_model vision-sr1 seethink-noselfreward
  paired "accuracy: vision-sr1 vs see-think without self-reward" correct vision-sr1 seethink-noselfreward
  paired "accuracy: vision-sr1 vs vision-r1" correct vision-sr1 vision-r1
  for arm in seethink-noselfreward vision-sr1; do
    paired "accuracy: $arm vs the cold start in see-think, 96 tokens" correct $arm cold-seethink-96
    paired "accuracy: $arm vs the cold start in see-think, 48 tokens" correct $arm cold-seethink-48
    paired "oracle LSR: $arm vs the cold start in see-think, 96 tokens" shortcut_oracle $arm cold-seethink-96
  done
  paired "accuracy: vision-r1 vs the cold start in chain of thought, 96 tokens" correct vision-r1 cold-think-96
  paired "accuracy: vision-r1 vs the cold start in chain of thought, 48 tokens" correct vision-r1 cold-think-48
} > "$out/tests.txt"
/usr/bin/python3 "$here/vision-second-look-table.py" "$out"
