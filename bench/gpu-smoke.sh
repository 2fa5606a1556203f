#!/usr/bin/env bash
# GPU smoke test: does TorchSharp 0.107 (built for LibTorch 2.10) run the lab's tiny Llama on CUDA through the libtorch of an
# existing PyTorch install? Two steps, because GPU hosts may have no .NET:
#   bench/gpu-smoke.sh pack [OUT.tar.xz]      (a machine with the .NET SDK) publish bench/WebLab.GpuSmoke self-contained,
#                                             with -p:TorchBackend=external (no libtorch inside), into .gpu/gpu-smoke.tar.xz
#   bench/gpu-smoke.sh run [TARBALL|FOLDER]   (the GPU host) unpack, find torch/lib (WEBLAB_LIBTORCH_DIR, else the first python3
#                                             that imports torch), print what loaded and what failed, train and generate on
#                                             CUDA and on CPU. Without CUDA it says so and runs the CPU path.
# SMOKE_CPU_SIZES overrides the CPU step's model sizes (default base,6x320x8; LxWxH = layers, width, heads).
# Every step has its own timeout, so a hang or a crash (a missing C++ symbol kills the process) leaves the rest running.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

if [[ $mode == pack ]]; then
    out=${2:-.gpu/gpu-smoke.tar.xz}
    rm -rf artifacts/gpu-smoke && mkdir -p "$(dirname "$out")"
    dotnet publish bench/WebLab.GpuSmoke/WebLab.GpuSmoke.csproj -c Release -r linux-x64 --self-contained \
        -p:TorchBackend=external -o artifacts/gpu-smoke || exit 1
    rm -f artifacts/gpu-smoke/*.pdb
    tar -C artifacts -cJf "$out" gpu-smoke && ls -l "$out"
    exit 0
fi
[[ $mode == run ]] || { echo "usage: $0 pack [OUT.tar.xz] | run [TARBALL|FOLDER]"; exit 2; }

banner() { echo; echo "=== $*"; }
source=${2:-.gpu/gpu-smoke.tar.xz}
if [[ -d $source ]]; then app=$source
else
    app=/tmp/weblab-gpu-smoke/gpu-smoke; rm -rf /tmp/weblab-gpu-smoke && mkdir -p /tmp/weblab-gpu-smoke
    tar -C /tmp/weblab-gpu-smoke -xJf "$source" 2>/dev/null || python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$source" /tmp/weblab-gpu-smoke || exit 1
fi
smoke() { timeout "$1" "$app/WebLab.GpuSmoke" "${@:2}"; echo "smoke: exit code $?"; }

banner "host"
uname -srm; head -1 /etc/os-release 2>/dev/null; ldd --version 2>&1 | head -1
nvidia-smi -L 2>&1 || echo "no nvidia-smi"

banner "libtorch folder"
source bench/libtorch.sh
find_libtorch || exit 2
ls -la "$lib"
cat "$lib/../version.py" 2>/dev/null
ldd "$lib/libtorch_cuda.so" 2>/dev/null | grep -E "not found|cudart|cublas\.|cudnn\.|libcuda\." || true

banner "1. the version check, as shipped"
WEBLAB_LIBTORCH_DIR=$lib smoke 60 probe
banner "2. probe, version check off"
export WEBLAB_LIBTORCH_DIR=$lib WEBLAB_LIBTORCH_ANY_VERSION=1
probe=$(smoke 90 probe 2>&1); echo "$probe"

banner "3. libLibTorchSharp.so against $lib: undefined symbols (resolved lazily: a missing function kills the process when called)"
LD_LIBRARY_PATH=$lib${nvidia_libs:+:$nvidia_libs} ldd -r "$app/libLibTorchSharp.so" >/tmp/weblab-ldd.txt 2>&1
grep -v "undefined symbol" /tmp/weblab-ldd.txt | head -20
echo "undefined symbols: $(grep -c 'undefined symbol' /tmp/weblab-ldd.txt)"
grep "undefined symbol" /tmp/weblab-ldd.txt | head -50 | { command -v c++filt >/dev/null && c++filt || cat; }

if ! grep -q "is_available: True" <<<"$probe"; then
    banner "2b. probe through LD_LIBRARY_PATH only (TorchSharp's own loading)"
    WEBLAB_LIBTORCH_DIR="" LD_LIBRARY_PATH=$lib${nvidia_libs:+:$nvidia_libs} smoke 90 probe
fi

banner "4. does a libtorch error reach .NET as an exception? (own process each)"
smoke 60 errors --device cpu
grep -q "is_available: True" <<<"$probe" && smoke 60 errors --device cuda:0

if grep -q "is_available: True" <<<"$probe"; then
    banner "5. CUDA: one training step per size"
    smoke 90 train --device cuda:0 --sizes base,6x320x8,12x768x12
    banner "6. CUDA: batch-64 generation, T=1 (seeded), then greedy (no random draw)"
    smoke 90 generate --device cuda:0 --sizes base,6x320x8,12x768x12
    smoke 90 greedy --device cuda:0 --sizes base,6x320x8,12x768x12
fi
banner "7. CPU ($(nproc) cores): the same, small sizes"
smoke 120 train generate --device cpu --sizes "${SMOKE_CPU_SIZES:-base,6x320x8}"
echo; echo "=== done"
