// SPDX-License-Identifier: Apache-2.0
// GEMV on ggml's block layouts (GGUF tensors) beside sparq's own formats of the same bits, in one
// binary:
//   memread/<threads>                                a plain AVX read-and-sum over 512 MiB
//   ggml/<type>/view/<N>x<K>/M1/<threads>            sparq::gemm on the blocks where they lie
//   ggml/<type>/prepacked/...                        sparq::prepack of the blocks (lossless)
//   sparq/<format>/canonical|prepacked/...           sparq's quantize of the same weights
// Types: Q8_0 (int8_group<32, float16>), Q4_0 (int4_group<32, float16>), MXFP4 (mxfp4); the
// blocks come from sparq::ggml::quantize (ggml's rounding). Q4_K and Q6_K (views only: no sparq
// format holds their values, so they do not prepack) are random blocks with small float16 scales,
// beside the sparq format of about the same bits (4.5: int4_g32_f16; 6.56: none, int8_g32_f16 at 8.5). weight_GBs = bytes of W read / s;
// copies of W totalling >= 96 MiB rotate (past the 32 MiB L3), as a decode step reads them.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <functional>
#include <string>

#include <sparq/interop/gguf.hpp>
#include <sparq/sparq.hpp>

#include "common.hpp"
#include "run.hpp"

namespace {

using namespace sparq_bench;

sparq::matrix_view<float const> weights_view(std::size_t n, std::size_t k) { return {weights(n, k).data(), n, k}; }

void add(std::string const& name, params const& p, std::function<void(benchmark::State&, params const&)> fn) {
  benchmark::RegisterBenchmark((name + tail(p)).c_str(), [p, fn](benchmark::State& st) { fn(st, p); })
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(0.3);
}

/// ggml blocks of Block (view and prepacked) and sparq's own F (canonical and prepacked).
template <class Block, class F>
void register_pair(std::string const& type, std::string const& format, params const& p) {
  add("ggml/" + type + "/view", p, [](benchmark::State& st, params const& q) {
    run_sparq(st, q, [&] { return sparq::ggml::quantize<Block>(weights_view(q.n, q.k)); },
              [](sparq::ggml_matrix<Block> const& w) { return w.bytes(); });
  });
  add("ggml/" + type + "/prepacked", p, [](benchmark::State& st, params const& q) {
    run_sparq(st, q, [&] { return sparq::prepack(sparq::ggml::quantize<Block>(weights_view(q.n, q.k))); },
              [](auto const& w) { return w.bytes(); });
  });
  add("sparq/" + format + "/canonical", p, [](benchmark::State& st, params const& q) {
    run_sparq(st, q, [&] { return sparq::quantize<F>(weights_view(q.n, q.k)); },
              [](sparq::quantized_matrix<F> const& w) { return w.storage_bytes(); });
  });
  add("sparq/" + format + "/prepacked", p, [](benchmark::State& st, params const& q) {
    run_sparq(st, q, [&] { return sparq::prepack(sparq::quantize<F>(weights_view(q.n, q.k))); },
              [](auto const& w) { return w.bytes(); });
  });
}

/// Random blocks of a K-quant with float16 scales of LLM size (the speed does not depend on them).
template <class Block>
sparq::ggml_matrix<Block> random_blocks(std::size_t n, std::size_t k) {
  sparq::ggml_matrix<Block> w(n, k);
  std::uint32_t x = 12345;
  for (std::size_t i = 0; i < w.bytes(); ++i) w.data()[i] = static_cast<std::uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
  for (std::size_t i = 0; i < w.bytes(); i += Block::bytes) {
    std::uint8_t* b = w.data() + i;
    std::size_t const at = Block::id == sparq::ggml::type::q6_k ? 208 : 0;
    b[at + 1] = 0x14;  // float16 d around 2^-10
    if (Block::id != sparq::ggml::type::q6_k) b[3] = 0x14;
  }
  return w;
}

template <class Block>
void register_view(std::string const& type, params const& p) {
  add("ggml/" + type + "/view", p, [](benchmark::State& st, params const& q) {
    run_sparq(st, q, [&] { return random_blocks<Block>(q.n, q.k); },
              [](sparq::ggml_matrix<Block> const& w) { return w.bytes(); });
  });
}

int register_all() {
  register_memread();
  for (auto [n, k] : {std::pair<std::size_t, std::size_t>{4096, 4096}, {11008, 4096}}) {
    for (unsigned t : {1u, 2u}) {
      params const p{n, k, 1, t};
      register_pair<sparq::ggml::q4_0, sparq::int4_group<32, sparq::float16>>("q4_0", "int4_g32_f16", p);
      register_pair<sparq::ggml::q8_0, sparq::int8_group<32, sparq::float16>>("q8_0", "int8_g32_f16", p);
      register_pair<sparq::ggml::mxfp4, sparq::mxfp4>("mxfp4", "mxfp4", p);
      register_view<sparq::ggml::q4_k>("q4_k", p);
      register_view<sparq::ggml::q6_k>("q6_k", p);
    }
  }
  return 0;
}
int const registered = register_all();

}  // namespace

BENCHMARK_MAIN();
