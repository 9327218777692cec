#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds and runs every test through ctest, then two more configurations:
#   1. Release, AVX2/FMA/F16C header kernels and the runtime-dispatch library (AVX2 and AVX-512
#      kernels, the best this CPU runs serves sparq::gemm), -Wall -Wextra -Werror (tests,
#      examples, benchmarks built);
#   2. minimal: every optional dependency hidden (SPARQ_HIDE_OPTIONAL) and no SIMD at all
#      (SPARQ_NO_SIMD): builds sparq-explore and the kernel tests, runs both, which proves that a
#      machine without the optional packages builds, and that the scalar paths pass the tests;
#   3. AddressSanitizer + UndefinedBehaviorSanitizer, compiler-default ISA (the generic SIMD path,
#      no runtime-dispatch library, so every call runs the sanitized header kernels);
#      warnings are not errors there: GCC 12 reports false maybe-uninitialized in std::regex.
#   4. AArch64: cross-compiled with g++-aarch64-linux-gnu (cmake/toolchains/), run under
#      qemu-aarch64: the format tests and the kernel tests of every NEON overload (baseline
#      armv8-a header kernels), and the runtime-dispatch test (NEON + dot-product library arch,
#      and the fallback on an emulated CPU without it), -Werror.
#   5. clang: libFuzzer (ASan + UBSan): each harness of tests/fuzz/ (quantized matrices, sparse
#      layouts over arbitrary metadata, the .npy / .safetensors readers, scalar vs bulk conversion)
#      runs SPARQ_FUZZ_SECONDS (default 60) from its seed corpus; and ThreadSanitizer (tests/tsan/):
#      the executors' tests and the parallel kernels, OpenMP through libomp + Archer.
# SPARQ_TEST_QUICK=1 skips passes 2 to 5.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc)"
pass() { echo "== sparq: $1 (at ${SECONDS} s) =="; }
trap 'echo "== sparq: finished (at ${SECONDS} s) =="' EXIT
"$root/scripts/install-deps.sh"

pass "release build with -Werror (AVX2)"
cmake -S "$root" -B "$root/build/release" -DCMAKE_BUILD_TYPE=Release -DSPARQ_WERROR=ON \
      -DSPARQ_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$root/build/release" -j "$jobs"
(cd "$root/build/release" && ctest -j "$jobs" --output-on-failure)

if [[ "${SPARQ_TEST_QUICK:-0}" != 1 ]]; then
  pass "minimal build (optional dependencies hidden, SPARQ_NO_SIMD)"
  cmake -S "$root" -B "$root/build/minimal" -DCMAKE_BUILD_TYPE=Release -DSPARQ_HIDE_OPTIONAL=ON \
        -DSPARQ_ARCH_FLAGS= -DSPARQ_NO_SIMD_TESTS=ON -DSPARQ_RUNTIME_DISPATCH=OFF -DSPARQ_HEADER_CHECK=OFF
  cmake --build "$root/build/minimal" -j "$jobs" --target sparq-explore sparq_kernel_tests_no_simd
  "$root/build/minimal/examples/sparq-explore" formats >/dev/null
  "$root/build/minimal/tests/sparq_kernel_tests_no_simd"

  pass "ASan + UBSan build (generic SIMD path)"
  # -O0: the sanitized SIMD templates compile 5x faster than at -O1 and the tests stay quick.
  cmake -S "$root" -B "$root/build/sanitize" -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O0 -g1" -DSPARQ_WERROR=OFF \
        -DSPARQ_SANITIZE=ON -DSPARQ_ARCH_FLAGS= -DSPARQ_BUILD_BENCHMARKS=OFF \
        -DSPARQ_HEADER_CHECK=OFF -DSPARQ_CUDA_TESTS=OFF -DSPARQ_RUNTIME_DISPATCH=OFF >/dev/null
  cmake --build "$root/build/sanitize" -j "$jobs"
  (cd "$root/build/sanitize" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest -j "$jobs" --output-on-failure -E "^cmake_consumer|^compile_fail")

  pass "AArch64 cross build, tests under qemu-aarch64 (NEON)"
  cmake -S "$root" -B "$root/build/aarch64" --toolchain "$root/cmake/toolchains/aarch64-linux-gnu.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DSPARQ_WERROR=ON -DSPARQ_HIDE_OPTIONAL=ON -DSPARQ_ARCH_FLAGS= \
        -DSPARQ_BUILD_BENCHMARKS=OFF -DSPARQ_BUILD_EXAMPLES=OFF -DSPARQ_CROSS_TESTS=quick >/dev/null
  cmake --build "$root/build/aarch64" -j "$jobs"
  (cd "$root/build/aarch64" && ctest -j "$jobs" --output-on-failure)

  pass "clang: libFuzzer harnesses (ASan + UBSan) and ThreadSanitizer tests"
  cmake -S "$root" -B "$root/build/fuzz" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None -DSPARQ_FUZZ=ON -DSPARQ_TSAN=ON \
        -DSPARQ_FUZZ_SECONDS="${SPARQ_FUZZ_SECONDS:-60}" -DSPARQ_BUILD_TESTS=OFF -DSPARQ_BUILD_EXAMPLES=OFF \
        -DSPARQ_BUILD_BENCHMARKS=OFF -DSPARQ_RUNTIME_DISPATCH=OFF -DSPARQ_WERROR=ON >/dev/null
  cmake --build "$root/build/fuzz" -j "$jobs"
  (cd "$root/build/fuzz" && ctest -j "$jobs" --output-on-failure)
fi
