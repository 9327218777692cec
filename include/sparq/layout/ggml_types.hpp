// SPDX-License-Identifier: Apache-2.0
// ggml's tensor types (the type ids GGUF files store): their names, and the values and bytes of
// one block of each, which every reader needs to size a tensor even when sparq cannot multiply
// with it. The ids and sizes are ggml's (ggml.h, ggml.c's type traits); ids ggml removed (4, 5,
// 31-33, 36-38) have no entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN
namespace ggml {

enum class type : std::uint32_t {
  f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9,
  q2_k = 10, q3_k = 11, q4_k = 12, q5_k = 13, q6_k = 14, q8_k = 15,
  iq2_xxs = 16, iq2_xs = 17, iq3_xxs = 18, iq1_s = 19, iq4_nl = 20, iq3_s = 21, iq2_s = 22, iq4_xs = 23,
  i8 = 24, i16 = 25, i32 = 26, i64 = 27, f64 = 28, iq1_m = 29, bf16 = 30, tq1_0 = 34, tq2_0 = 35,
  mxfp4 = 39, nvfp4 = 40, q1_0 = 41,
};

/// What ggml says of a type: its name, values per block and bytes per block (0, 0 for ids it
/// does not define).
struct type_traits {
  char const* name;
  std::size_t block_values;
  std::size_t block_bytes;
};

inline type_traits traits(std::uint32_t id) noexcept {
  constexpr std::size_t qk = 256;  // values of a K-quant super-block
  switch (static_cast<type>(id)) {
    case type::f32: return {"F32", 1, 4};
    case type::f16: return {"F16", 1, 2};
    case type::q4_0: return {"Q4_0", 32, 2 + 16};
    case type::q4_1: return {"Q4_1", 32, 2 + 2 + 16};
    case type::q5_0: return {"Q5_0", 32, 2 + 4 + 16};
    case type::q5_1: return {"Q5_1", 32, 2 + 2 + 4 + 16};
    case type::q8_0: return {"Q8_0", 32, 2 + 32};
    case type::q8_1: return {"Q8_1", 32, 4 + 4 + 32};
    case type::q2_k: return {"Q2_K", qk, 2 + 2 + qk / 16 + qk / 4};
    case type::q3_k: return {"Q3_K", qk, 2 + qk / 4 + qk / 8 + 12};
    case type::q4_k: return {"Q4_K", qk, 2 + 2 + qk / 2 + 12};
    case type::q5_k: return {"Q5_K", qk, 2 + 2 + qk / 2 + qk / 8 + 12};
    case type::q6_k: return {"Q6_K", qk, 2 + qk / 2 + qk / 4 + qk / 16};
    case type::q8_k: return {"Q8_K", qk, 4 + qk + qk / 8};
    case type::iq2_xxs: return {"IQ2_XXS", qk, 2 + qk / 4};
    case type::iq2_xs: return {"IQ2_XS", qk, 2 + qk / 4 + qk / 32};
    case type::iq3_xxs: return {"IQ3_XXS", qk, 2 + qk / 4 + qk / 8};
    case type::iq1_s: return {"IQ1_S", qk, 2 + qk / 8 + qk / 16};
    case type::iq4_nl: return {"IQ4_NL", 32, 2 + 16};
    case type::iq3_s: return {"IQ3_S", qk, 2 + qk / 4 + qk / 8 + qk / 32 + 4};
    case type::iq2_s: return {"IQ2_S", qk, 2 + qk / 4 + qk / 16};
    case type::iq4_xs: return {"IQ4_XS", qk, 2 + 2 + qk / 2 + qk / 64};
    case type::i8: return {"I8", 1, 1};
    case type::i16: return {"I16", 1, 2};
    case type::i32: return {"I32", 1, 4};
    case type::i64: return {"I64", 1, 8};
    case type::f64: return {"F64", 1, 8};
    case type::iq1_m: return {"IQ1_M", qk, qk / 8 + qk / 16 + qk / 32};
    case type::bf16: return {"BF16", 1, 2};
    case type::tq1_0: return {"TQ1_0", qk, 2 + 4 * 13};
    case type::tq2_0: return {"TQ2_0", qk, 2 + 64};
    case type::mxfp4: return {"MXFP4", 32, 1 + 16};
    case type::nvfp4: return {"NVFP4", 64, 4 + 32};
    case type::q1_0: return {"Q1_0", 128, 2 + 16};
  }
  return {nullptr, 0, 0};
}

/// ggml's name of a type ("Q4_0"), or "type <id>" for an id ggml does not define.
inline std::string type_name(std::uint32_t id) {
  type_traits const t = traits(id);
  return t.name != nullptr ? std::string(t.name) : "type " + std::to_string(id);
}
inline std::string type_name(type t) { return type_name(static_cast<std::uint32_t>(t)); }

namespace detail {
// One IEEE float operation, rounded once: the exact double result rounded to float (double holds
// every float product and sum exactly or rounds innocuously), which no compiler contracts into an
// FMA, so the codes are ggml's whatever -ffp-contract says.
inline float fmul(float a, float b) noexcept {
  return static_cast<float>(static_cast<double>(a) * static_cast<double>(b));
}
inline float fadd(float a, float b) noexcept {
  return static_cast<float>(static_cast<double>(a) + static_cast<double>(b));
}

}  // namespace detail

}  // namespace ggml
SPARQ_NAMESPACE_END
