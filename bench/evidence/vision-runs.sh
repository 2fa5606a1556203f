#!/usr/bin/env bash
# The Vision-SR1 evidence of issue 26: the three RL arms of the public code (vision-r1, seethink-noselfreward, vision-sr1),
# 3 training seeds each from the shipped cold start, every run evaluating the cold start at step 0 and itself every 100
# steps on its report seed's items (training seed k of every arm at report seed 7200001 + 100(k − 1), so arms pair item by
# item). Queued on a running lab (its Hangfire queue runs them one at a time); the preset, lr 1e-4, was chosen on the
# development seed 7100001 by the lab's own sweep (README).
#   bench/evidence/vision-runs.sh http://127.0.0.1:PORT
set -euo pipefail
lab=$1
for seed in 1 2 3; do
  for method in vision-r1 seethink-noselfreward vision-sr1; do
    curl -sf -X POST "$lab/api/experiments" -H 'Content-Type: application/json' -d "{\"name\": \"$method seed $seed\", \"method\": \"$method\",
      \"preset\": \"tiny-cpu\", \"tags\": [\"evidence-26\"], \"overrides\": {\"steps\": 300, \"evalEvery\": 100, \"evalPerSplit\": 40,
      \"learningRate\": 1e-4, \"seed\": $seed, \"evalSeed\": $((7200001 + 100 * (seed - 1))), \"threads\": 1}}"
    echo
  done
done
