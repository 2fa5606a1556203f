# Sourced by bench/gpu-smoke.sh and bench/gpu-check.sh: finds the libtorch of an existing PyTorch install for TorchSharp
# (WEBLAB_LIBTORCH_DIR, else the first python3 that imports torch) and sets lib (torch/lib) and nvidia_libs (the pip
# wheels' CUDA libraries, colon-separated), printing what it found. Returns 1 when there is none.
find_libtorch() {
    lib=${WEBLAB_LIBTORCH_DIR:-}
    nvidia_libs=""
    if [[ -z $lib ]]; then
        for py in ${PYTHON:-} python3 /opt/torch/.venv/bin/python3; do
            info=$("$py" -c 'import torch, os, glob; d = os.path.dirname(torch.__file__); print(torch.__version__, torch.version.cuda, torch.cuda.is_available(), d + "/lib", ":".join(sorted(glob.glob(os.path.dirname(d) + "/nvidia/**/lib", recursive=True))))' 2>/dev/null) || continue
            read -r tv tcuda tavail lib nvidia_libs <<<"$info"
            echo "python: $py: torch $tv, CUDA $tcuda, torch.cuda.is_available() $tavail"
            break
        done
    fi
    [[ -n $lib ]] || { echo "no libtorch: set WEBLAB_LIBTORCH_DIR or PYTHON (a python3 with torch)"; return 1; }
    echo "lib: $lib"; echo "nvidia libs: ${nvidia_libs:-none}"
}
