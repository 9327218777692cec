// SPDX-License-Identifier: Apache-2.0
// The block quantizer (quantize/block.hpp) is SPARQ_HOST_DEVICE: run on the GPU, one thread per
// block, it must give the CPU's scales, zero points, codes and dequantized values bit for bit,
// for every block format, on random blocks with outliers, zeros, subnormals, NaN and Inf.
// Exit 77 (a ctest skip) without a GPU.
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

#include <sparq/format/block.hpp>
#include <sparq/quantize/block.hpp>

#include "device.cuh"

namespace {

struct block_out {
  std::uint8_t codes[128];
  std::uint32_t scale_bits;
  std::uint32_t zero;
  float values[128];
};

template <class BF>
__host__ __device__ void quantize_one(float const* x, sparq::tensor_scale t, block_out* o) {
  using E = typename BF::element;
  constexpr int bs = BF::block_size;
  E codes[bs];
  sparq::block_scale<BF> const s = sparq::quantize_block<BF>(x, bs, codes, t);
  for (int i = 0; i < bs; ++i) o->codes[i] = static_cast<std::uint8_t>(codes[i].bits());
  if constexpr (std::is_same<typename BF::scale_type, float>::value) {
    o->scale_bits = sparq::detail::bit_cast<std::uint32_t>(s.scale);
  } else {
    o->scale_bits = s.scale.bits();
  }
  o->zero = s.zero;
  sparq::dequantize_block<BF>(codes, bs, s, t, o->values);
}

template <class BF>
__global__ void quantize_kernel(float const* x, int blocks, sparq::tensor_scale t, block_out* out) {
  int const b = blockIdx.x * blockDim.x + threadIdx.x;
  if (b < blocks) quantize_one<BF>(x + b * BF::block_size, t, out + b);
}

template <class BF>
bool run(char const* name, std::vector<float> const& x, float* dx, block_out* dout) {
  int const blocks = static_cast<int>(x.size() / BF::block_size);
  sparq::tensor_scale const t = sparq::tensor_scale::nvfp4(40.0f);
  quantize_kernel<BF><<<(blocks + 63) / 64, 64>>>(dx, blocks, t, dout);
  std::vector<block_out> got(static_cast<std::size_t>(blocks));
  if (cudaMemcpy(got.data(), dout, got.size() * sizeof(block_out), cudaMemcpyDeviceToHost) != cudaSuccess) {
    std::printf("FAIL %s: CUDA error %s\n", name, cudaGetErrorString(cudaGetLastError()));
    return false;
  }
  std::size_t bad = 0;
  for (int b = 0; b < blocks; ++b) {
    block_out want;
    quantize_one<BF>(x.data() + b * BF::block_size, t, &want);
    bad += want.scale_bits != got[static_cast<std::size_t>(b)].scale_bits || want.zero != got[static_cast<std::size_t>(b)].zero ||
           std::memcmp(want.codes, got[static_cast<std::size_t>(b)].codes, BF::block_size) != 0 ||
           std::memcmp(want.values, got[static_cast<std::size_t>(b)].values, BF::block_size * sizeof(float)) != 0;
  }
  if (bad) std::printf("FAIL %s: %zu of %d blocks differ from the CPU\n", name, bad, blocks);
  return bad == 0;
}

}  // namespace

int main() {
  if (!sparq::test::have_device()) return sparq::test::skip_exit_code;
  std::size_t const n = 128 * 4096;
  std::vector<float> x(n);
  std::mt19937 g(9);
  std::normal_distribution<float> d(0.0f, 1.0f);
  for (std::size_t i = 0; i < n; ++i) {
    float v = d(g) * std::ldexp(1.0f, static_cast<int>(g() % 60) - 30);
    std::uint32_t const r = g() % 1000;
    if (r == 0) v = std::numeric_limits<float>::quiet_NaN();
    if (r == 1) v = -std::numeric_limits<float>::infinity();
    if (r == 2) v = 1e-40f;
    if (r < 20 && (i / 32) % 7 == 0) v = 0.0f;
    x[i] = v;
  }
  float* dx = nullptr;
  block_out* dout = nullptr;
  if (cudaMalloc(&dx, n * sizeof(float)) != cudaSuccess || cudaMalloc(&dout, (n / 16) * sizeof(block_out)) != cudaSuccess ||
      cudaMemcpy(dx, x.data(), n * sizeof(float), cudaMemcpyHostToDevice) != cudaSuccess) {
    std::printf("FAIL: CUDA allocation\n");
    return 1;
  }
  int pass = 0, fail = 0;
  auto tally = [&](bool ok) { ok ? ++pass : ++fail; };
  tally(run<sparq::mxfp8_e4m3>("mxfp8_e4m3", x, dx, dout));
  tally(run<sparq::mxfp8_e5m2>("mxfp8_e5m2", x, dx, dout));
  tally(run<sparq::mxfp6_e2m3>("mxfp6_e2m3", x, dx, dout));
  tally(run<sparq::mxfp6_e3m2>("mxfp6_e3m2", x, dx, dout));
  tally(run<sparq::mxfp4>("mxfp4", x, dx, dout));
  tally(run<sparq::mx_block<sparq::float4_e2m1fn, sparq::scale_rule::round_up>>("mxfp4_rceil", x, dx, dout));
  tally(run<sparq::mxint8>("mxint8", x, dx, dout));
  tally(run<sparq::nvfp4>("nvfp4", x, dx, dout));
  tally(run<sparq::int8_group<32>>("int8_g32", x, dx, dout));
  tally(run<sparq::int4_group<128, sparq::bfloat16>>("int4_g128_bf16", x, dx, dout));
  tally(run<sparq::uint4_group_zp<128>>("awq4_g128", x, dx, dout));
  cudaFree(dx);
  cudaFree(dout);
  std::printf("%d passed, %d failed\n", pass, fail);
  return fail ? 1 : 0;
}
