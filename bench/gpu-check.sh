#!/usr/bin/env bash
# The GPU check of the papers' models on one card (issue 29): an `lsp` run launched through the lab's API on random-weight,
# Llama-3.2-3B-shaped chat folders (a policy and a reward model of the same shape, made by `WebLab.Bench -- folders`),
# a few iterations with LoRA and, when the lab's memory plan says it fits, a few with full bf16-mixed. For each it records
# the plan against the peak device memory (the run's provenance), rollout and update tokens/s (the run's speed/* metrics)
# and the update's MFU against the card's bf16 peak. Then (issue 30) `vision-sr1` on a random-weight Qwen2.5-VL-3B-shaped
# folder and the visual chat domain's built-in sample, a few iterations: its plan (vision tower and image tokens
# included) against the peak. Without CUDA each CUDA step is skipped by name and the same path runs on the CPU with
# small stand-ins, so the script itself is tested here.
#   bench/gpu-check.sh pack [OUT.tar.xz]     (a machine with the .NET SDK) publish the lab and the bench self-contained with
#                                            -p:TorchBackend=external, with Llama 3's tokenizer from the fixtures
#   bench/gpu-check.sh run [TARBALL|FOLDER]  (the GPU host) unpack, find the user's libtorch (bench/libtorch.sh), run the check
#   bench/gpu-check.sh run --source          (a machine with the .NET SDK) the same from this checkout (dotnet run)
# Every step has its own time limit; the log goes to stdout and to ${OUT:-/tmp/weblab-gpu-check}/gpu-check.log.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
fixtures=${WEBLAB_FIXTURES:-../shared/fixtures}

if [[ $mode == pack ]]; then
    out=${2:-.gpu/gpu-check.tar.xz}
    rm -rf artifacts/gpu-check && mkdir -p artifacts/gpu-check "$(dirname "$out")"
    for project in src/WebLab.Web/WebLab.Web.csproj bench/WebLab.Bench/WebLab.Bench.csproj; do
        dotnet publish "$project" -c Release -r linux-x64 --self-contained -p:TorchBackend=external -o artifacts/gpu-check/app || exit 1
    done
    rm -f artifacts/gpu-check/app/*.pdb
    cp -r "$fixtures/tokenizers/llama3" artifacts/gpu-check/tokenizer || { echo "Llama 3's tokenizer not found under $fixtures"; exit 1; }
    cp -r "$fixtures/tokenizers/qwen2_5" artifacts/gpu-check/tokenizer-qwen || { echo "Qwen2.5's tokenizer not found under $fixtures"; exit 1; }
    tar -C artifacts -cJf "$out" gpu-check && ls -l "$out"
    exit 0
fi
[[ $mode == run ]] || { echo "usage: $0 pack [OUT.tar.xz] | run [TARBALL|FOLDER|--source]"; exit 2; }

OUT=${OUT:-/tmp/weblab-gpu-check}
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu-check.log") 2>&1
banner() { echo; echo "=== $*"; }
skip() { echo "SKIP: $*"; }
work=$(mktemp -d /tmp/weblab-gpu-check-XXXXXX)
lab_pid=""
# wait for the lab alone: a bare `wait` would also wait for the log's tee, which waits for this script to end
cleanup() { [[ -n $lab_pid ]] && { kill "$lab_pid" 2>/dev/null; wait "$lab_pid" 2>/dev/null; }; rm -rf "$work"; }
trap cleanup EXIT

source=${2:-.gpu/gpu-check.tar.xz}
if [[ $source == --source ]]; then
    banner "build (Release) from this checkout"
    dotnet build -c Release src/WebLab.Web/WebLab.Web.csproj -v q -nologo 2>&1 | tail -2 || exit 1
    dotnet build -c Release bench/WebLab.Bench/WebLab.Bench.csproj -v q -nologo 2>&1 | tail -2 || exit 1
    lab_cmd=(dotnet run --no-build -c Release --project src/WebLab.Web --)
    bench_cmd=(dotnet bench/WebLab.Bench/bin/Release/net10.0/WebLab.Bench.dll)
    tokenizer=$fixtures/tokenizers/llama3 tokenizer_qwen=$fixtures/tokenizers/qwen2_5
else
    if [[ -d $source ]]; then root=$source
    else
        root=/tmp/weblab-gpu-check-app/gpu-check; rm -rf /tmp/weblab-gpu-check-app && mkdir -p /tmp/weblab-gpu-check-app
        tar -C /tmp/weblab-gpu-check-app -xJf "$source" 2>/dev/null || python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$source" /tmp/weblab-gpu-check-app || exit 1
    fi
    lab_cmd=("$root/app/WebLab.Web"); bench_cmd=("$root/app/WebLab.Bench"); tokenizer=$root/tokenizer tokenizer_qwen=$root/tokenizer-qwen
fi

banner "host"
uname -srm; head -1 /etc/os-release 2>/dev/null; nproc
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 || echo "no nvidia-smi"

banner "libtorch"
source bench/libtorch.sh
cuda=0
lab_args=()
if find_libtorch && [[ -f $lib/libtorch_cuda.so ]] && nvidia-smi -L >/dev/null 2>&1; then
    cuda=1
    export WEBLAB_LIBTORCH_DIR=$lib LD_LIBRARY_PATH=$lib${nvidia_libs:+:$nvidia_libs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    lab_args+=(--WebLab:LibTorchDirectory="$lib" --WebLab:Device=cuda:0)
else
    skip "no CUDA device with a CUDA libtorch here: every run below is on the CPU, with the libtorch this build ships"
    lab_args+=(--WebLab:Device=cpu)
fi

banner "1. random-weight chat folders (policy and reward model)"
if (( cuda )); then shape=llama-3.2-3b
else shape=small; skip "the Llama-3.2-3B shape (no CUDA): a 2 × 256 stand-in of the same layout and tokenizer"; fi
timeout 900 "${bench_cmd[@]}" folders --shape "$shape" --out "$work/folders" --tokenizer "$tokenizer" || { echo "folders failed"; exit 1; }
if (( cuda )); then vl_shape=qwen2.5-vl-3b
else vl_shape=vl-small; skip "the Qwen2.5-VL-3B shape (no CUDA): a 2 × 256 stand-in with the real layout, tower shape and Qwen2.5's tokenizer"; fi
timeout 900 "${bench_cmd[@]}" folders --shape "$vl_shape" --out "$work/folders" --tokenizer "$tokenizer_qwen" || { echo "Qwen2.5-VL folder failed"; exit 1; }
du -sh "$work/folders"/* 2>/dev/null

banner "2. the lab on loopback (no sign-in: loopback only)"
port=$((5200 + RANDOM % 500))
base=http://127.0.0.1:$port
"${lab_cmd[@]}" --urls "$base" --WebLab:Auth:Mode=None --WebLab:DataDirectory="$work/data" --WebLab:PathRoots:0="$work/folders" "${lab_args[@]}" >"$OUT/lab.log" 2>&1 &
lab_pid=$!
for _ in $(seq 1 120); do curl -sf "$base/api/methods" >/dev/null && break; sleep 1; done
curl -sf "$base/api/methods" >/dev/null || { echo "the lab did not answer in 120 s:"; tail -30 "$OUT/lab.log"; exit 1; }
echo "lab up at $base"

# The paper's N 8 × G 8 with micro-batches of 4 (Table 1) on CUDA; N 2 × G 2 and short answers on the CPU.
if (( cuda )); then size='"queries": 8, "answers": 8, "microBatch": 4, "maxQueryTokens": 128, "maxAnswerTokens": 256, "qualityMaxTokens": 64, "steps": 3'
else size='"queries": 2, "answers": 2, "microBatch": 2, "maxQueryTokens": 16, "maxAnswerTokens": 16, "qualityMaxTokens": 8, "steps": 2'; fi
body() {  # $1: the variant's own options, $2 its name: lsp on the chat folders
    echo "{\"method\": \"lsp\", \"name\": \"gpu-check $2\", \"overrides\": {\"domain\": \"chat\", \"model\": \"$work/folders/policy\",
      \"rewardModel\": \"$work/folders/reward\", \"evalSet\": \"$work/folders/eval.jsonl\", $size, \"evalEvery\": 1000,
      \"evalPerSplit\": 1, \"checkpointEvery\": 0, \"precision\": \"Bf16Mixed\", $1}}"
}
# vision-sr1 on the Qwen2.5-VL folder and the built-in sample: 8 prompts × 4 answers on CUDA, 2 × 2 on the CPU
if (( cuda )); then vsize='"prompts": 8, "answers": 4, "microBatch": 4, "maxResponseTokens": 256, "updatesPerRollout": 1, "steps": 3'
else vsize='"prompts": 2, "answers": 2, "maxResponseTokens": 8, "updatesPerRollout": 1, "steps": 2'; fi
vision_body() {
    echo "{\"method\": \"vision-sr1\", \"name\": \"gpu-check $2\", \"overrides\": {\"domain\": \"visual-chat\", \"model\": \"$work/folders/vl\",
      $vsize, \"evalEvery\": 1000, \"evalPerSplit\": 2, \"evalBeforeTraining\": false, \"checkpointEvery\": 0, \"precision\": \"Bf16Mixed\", $1}}"
}
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

run_variant() {  # $1 name, $2 options, $3 the body (body: lsp; vision_body: vision-sr1); prints the plan, runs it, reports peak, speed and MFU
    local name=$1 options=$2 make=${3:-body}
    local method; method=$([[ $make == vision_body ]] && echo vision-sr1 || echo lsp)
    banner "3. $method, $name: the plan"
    local plan; plan=$(curl -s -X POST "$base/api/experiments/plan" -H 'Content-Type: application/json' -d "$($make "$options" "$name")")
    echo "$plan" | json '"device %s, available %s, fits %s; plan GiB: weights %.2f, gradients %.2f, optimizer %.2f, frozen %.2f, activations %.2f, cache %.2f, total %.2f" % (d["device"], d["available"], d["fits"], *[d["plan"][k] / 2**30 for k in ["weights", "gradients", "optimizer", "frozen", "activations", "cache", "total"]])' || { echo "$plan"; return 1; }
    if [[ $(echo "$plan" | json 'd["fits"]') == False ]]; then skip "$name: the plan does not fit this device"; return 0; fi
    local created id status
    created=$(curl -s -X POST "$base/api/experiments" -H 'Content-Type: application/json' -d "$($make "$options" "$name")")
    id=$(echo "$created" | json 'd["id"]') || { echo "launch refused: $created"; return 1; }
    echo "experiment $id queued"
    for _ in $(seq 1 600); do
        status=$(curl -s "$base/api/experiments/$id" | json 'd["status"] + " step %s/%s" % (d["step"], d["totalSteps"])')
        case $status in Succeeded*|Failed*|Cancelled*) break ;; esac
        sleep 2
    done
    echo "status: $status"
    curl -s "$base/api/experiments/$id" | json '"error: " + (d["error"] or "none")[:2000]'
    banner "4. $method, $name: measured"
    local details; details=$(curl -s "$base/api/experiments/$id")
    echo "$details" | json '"device %s: %s, %.1f GiB; libtorch %s; peak %.2f GiB (%s)" % (d["provenance"]["device"], d["provenance"]["deviceName"], (d["provenance"]["deviceMemoryBytes"] or 0) / 2**30, d["provenance"]["libTorch"], (d["provenance"]["peakMemoryBytes"] or 0) / 2**30, d["provenance"]["peakMemoryMeaning"])'
    local metrics=(speed/rollout_tokens_per_s speed/update_tokens_per_s speed/rollout_s speed/update_s speed/update_tokens)
    [[ $method == vision-sr1 ]] && metrics=(reward/overall length/response description/missing_frac loss)   # vision-sr1 logs no speed/* metrics
    for metric in "${metrics[@]}"; do
        curl -s "$base/api/experiments/$id/metrics?name=$metric" | json '"'"$metric"': " + ", ".join("%.3g" % p["value"] for p in d)'
    done
    if (( cuda )) && [[ $method == lsp ]]; then
        # MFU of the update: FLOPs a token = 6 P for full training (forward 2 P, backward 4 P), 4 P with LoRA (no weight
        # gradients of the base), plus 2 P for the reference's forward; against the card's dense bf16 peak
        local params; params=$(echo "$plan" | json 'd["plan"]["parameters"]')
        local card; card=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
        local peak_tflops=989; [[ $card == *A100* ]] && peak_tflops=312; [[ $card == *L40S* ]] && peak_tflops=362
        curl -s "$base/api/experiments/$id/metrics?name=speed/update_tokens_per_s" | python3 -c "
import json, sys, statistics
points = [p['value'] for p in json.load(sys.stdin)][1:] or [0]   # the first step warms up
per_token = ($([[ $name == LoRA* ]] && echo 4 || echo 6) + 2) * $params
print('MFU of the update (median of steps after the first): %.1f%% of $card\'s %d TFLOP/s bf16 (%.0f update tokens/s, %.2e FLOP a token)'
      % (100 * statistics.median(points) * per_token / ($peak_tflops * 1e12), $peak_tflops, statistics.median(points), per_token))"
    else
        skip "MFU of $method $name (no CUDA card to compare with, or a vision run: its FLOPs a token are not counted here)"
    fi
}

run_variant "LoRA r16, bf16-mixed, checkpointing" '"adapter": "Lora", "activationCheckpointing": true'
run_variant "full bf16-mixed, checkpointing" '"activationCheckpointing": true'
run_variant "Qwen2.5-VL, LoRA r16, bf16-mixed, checkpointing" '"adapter": "Lora", "activationCheckpointing": true' vision_body
run_variant "Qwen2.5-VL, full bf16-mixed, checkpointing" '"activationCheckpointing": true' vision_body
(( cuda )) || skip "streaming and exact resume on CUDA: tested on the CPU by the suite (ResumeTests, LoraRunTests); this script checks memory and speed"
banner "done"
