#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what sparq's build, tests and benchmarks need on Debian/Ubuntu, when missing.
# As root with apt-get it installs; otherwise it prints the command to run and fails.
set -euo pipefail

# Required: the compiler, CMake, xsimd (+ xtl), Catch2. The AArch64 cross compiler and qemu-user
# run the NEON tests (scripts/test.sh's fourth pass); clang, its libFuzzer runtime and LLVM's
# OpenMP runtime with its ThreadSanitizer tool (Archer) the fuzz harnesses and the TSan tests (the
# fifth). The rest feeds optional tests and baselines
# (Eigen interop, Google Benchmark, OpenBLAS, oneDNN); a build without them drops those parts
# with one line each. Debian's oneDNN CMake config needs the OpenCL development files
# (ocl-icd-opencl-dev, opencl-headers) or it stops the configure step.
debian_packages=(cmake g++ make python3 python3-pip libxsimd-dev xtl-dev catch2 libeigen3-dev
                 libbenchmark-dev libopenblas-dev libdnnl-dev ocl-icd-opencl-dev opencl-headers
                 g++-aarch64-linux-gnu qemu-user clang libclang-rt-14-dev libomp-14-dev)
missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "sparq: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "sparq: missing Debian packages: ${missing[*]}" >&2
    echo "       install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# numpy + ml_dtypes for the cross-check test, gguf (ggml's gguf-py) for the GGUF test, safetensors
# for the quantized checkpoint test (they report a skip when these are absent).
if ! python3 -c "import numpy, ml_dtypes, gguf, safetensors" 2>/dev/null; then
  echo "sparq: installing numpy, ml_dtypes, gguf and safetensors from PyPI" >&2
  python3 -m pip install -q numpy ml_dtypes gguf safetensors 2>/dev/null ||
    python3 -m pip install -q --break-system-packages numpy ml_dtypes gguf safetensors 2>/dev/null ||
    echo "sparq: could not install numpy/ml_dtypes/gguf/safetensors; the Python cross-checks will be skipped" >&2
fi
