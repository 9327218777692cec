// SPDX-License-Identifier: Apache-2.0
// The scalar codec is SPARQ_HOST_DEVICE: compiled by nvcc and run on the GPU, it must give the
// CPU's codes and values bit for bit, for every format and policy, on every FP16 and BF16 bit
// pattern plus random float32 inputs, and on every code. Exit 77 (a ctest skip) without a GPU.
#include <cuda_runtime.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/format/convert.hpp>

#include "device.cuh"

namespace {

enum class policy { nearest_saturate, nearest_ieee, toward_zero, stochastic };

template <class F>
__host__ __device__ std::uint32_t encode_one(float x, std::uint32_t r, policy p) {
  switch (p) {
    case policy::nearest_saturate: return sparq::convert<F>(x, sparq::overflow::saturate).bits();
    case policy::nearest_ieee: return sparq::convert<F>(x, sparq::overflow::ieee).bits();
    case policy::toward_zero: return sparq::convert<F>(x, sparq::rounding::toward_zero).bits();
    default: return sparq::convert<F>(x, sparq::rounding::stochastic{r}).bits();
  }
}

__host__ __device__ std::uint32_t random_word(std::size_t i) {
  std::uint32_t h = static_cast<std::uint32_t>(i) * 2654435761u + 0x9E3779B9u;
  h ^= h >> 15;
  h *= 0x85EBCA6Bu;
  return h ^ (h >> 13);
}

template <class F>
__global__ void encode_kernel(float const* x, std::size_t n, policy p, std::uint32_t* out) {
  std::size_t const i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) out[i] = encode_one<F>(x[i], random_word(i), p);
}

template <class F>
__global__ void decode_kernel(std::uint32_t codes, float* out) {
  std::uint32_t const c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c < codes) out[c] = static_cast<float>(F::from_bits(c));
}

bool check(cudaError_t e, char const* what) {
  if (e != cudaSuccess) std::printf("CUDA error in %s: %s\n", what, cudaGetErrorString(e));
  return e == cudaSuccess;
}

}  // namespace

int main() {
  if (!sparq::test::have_device()) return sparq::test::skip_exit_code;
  std::vector<float> x;
  for (std::uint32_t h = 0; h < (1u << 16); ++h) {
    x.push_back(static_cast<float>(sparq::float16::from_bits(h)));
    std::uint32_t const u = h << 16;
    float f;
    std::memcpy(&f, &u, 4);
    x.push_back(f);
  }
  for (std::uint32_t i = 0; i < 100000; ++i) {
    std::uint32_t const u = random_word(i + 12345);
    float f;
    std::memcpy(&f, &u, 4);
    x.push_back(f);
  }
  std::size_t const n = x.size();
  float* dx = nullptr;
  std::uint32_t* dcodes = nullptr;
  float* dvalues = nullptr;
  if (!check(cudaMalloc(&dx, n * sizeof(float)), "cudaMalloc") ||
      !check(cudaMalloc(&dcodes, n * sizeof(std::uint32_t)), "cudaMalloc") ||
      !check(cudaMalloc(&dvalues, (1u << 16) * sizeof(float)), "cudaMalloc") ||
      !check(cudaMemcpy(dx, x.data(), n * sizeof(float), cudaMemcpyHostToDevice), "cudaMemcpy")) {
    return 1;
  }
  int failures = 0, passes = 0;
  std::vector<std::uint32_t> got(n);
  std::vector<float> values(1u << 16);
  sparq::for_each_type(sparq::element_formats{}, [&](auto f) {
    using F = decltype(f);
    for (policy p : {policy::nearest_saturate, policy::nearest_ieee, policy::toward_zero, policy::stochastic}) {
      encode_kernel<F><<<static_cast<unsigned>((n + 255) / 256), 256>>>(dx, n, p, dcodes);
      if (!check(cudaMemcpy(got.data(), dcodes, n * sizeof(std::uint32_t), cudaMemcpyDeviceToHost), "encode")) {
        ++failures;
        continue;
      }
      std::size_t bad = 0;
      for (std::size_t i = 0; i < n; ++i) bad += got[i] != encode_one<F>(x[i], random_word(i), p);
      if (bad) {
        std::printf("FAIL %s encode policy %d: %zu of %zu codes differ from the CPU\n", sparq::format_name_v<F>,
                    static_cast<int>(p), bad, n);
        ++failures;
      } else {
        ++passes;
      }
    }
    std::uint32_t const codes = 1u << sparq::bits_of_v<F>;
    decode_kernel<F><<<(codes + 255) / 256, 256>>>(codes, dvalues);
    if (!check(cudaMemcpy(values.data(), dvalues, codes * sizeof(float), cudaMemcpyDeviceToHost), "decode")) {
      ++failures;
      return;
    }
    std::size_t bad = 0;
    for (std::uint32_t c = 0; c < codes; ++c) {
      float const want = static_cast<float>(F::from_bits(c));
      bad += std::memcmp(&values[c], &want, 4) != 0;
    }
    if (bad) {
      std::printf("FAIL %s decode: %zu of %u values differ from the CPU\n", sparq::format_name_v<F>, bad, codes);
      ++failures;
    } else {
      ++passes;
    }
  });
  cudaFree(dx);
  cudaFree(dcodes);
  cudaFree(dvalues);
  std::printf("%d passed, %d failed\n", passes, failures);
  return failures ? 1 : 0;
}
