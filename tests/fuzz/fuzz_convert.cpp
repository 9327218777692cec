// SPDX-License-Identifier: Apache-2.0
// Scalar conversion against the bulk (SIMD) path: any float bits to every element format under
// each rounding x overflow policy, and every code back to float, bit for bit.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <sparq/convert/convert.hpp>
#include <sparq/format/all.hpp>
#include <sparq/format/convert.hpp>

#include "fuzz_input.hpp"

namespace {

template <class T>
struct tag {
  using type = T;
};

template <class F, class... P>
void check(std::vector<float> const& x, P... policies) {
  std::vector<F> bulk(x.size());
  sparq::convert_n(x.data(), x.size(), bulk.data(), policies...);
  std::vector<float> back(x.size());
  sparq::convert_n(bulk.data(), bulk.size(), back.data());
  for (std::size_t i = 0; i < x.size(); ++i) {
    F const one = sparq::convert<F>(x[i], policies...);
    if (one.bits() != bulk[i].bits()) sparq_fuzz::finding();
    float const v = sparq::convert<float>(one);
    if (std::memcmp(&v, &back[i], sizeof v) != 0) sparq_fuzz::finding();
  }
}

template <class... F>
void check_all(sparq::type_list<F...>, std::vector<float> const& x, unsigned mode) {
  namespace overflow = sparq::overflow;
  namespace rounding = sparq::rounding;
  auto one = [&](auto tag) {
    using T = typename decltype(tag)::type;
    switch (mode % 4) {
      case 0: check<T>(x); break;
      case 1: check<T>(x, rounding::toward_zero); break;
      case 2: check<T>(x, overflow::saturate); break;
      default: check<T>(x, rounding::toward_zero, overflow::ieee); break;
    }
  };
  (one(tag<F>{}), ...);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  sparq_fuzz::input in(data, size);
  unsigned const mode = in.take<std::uint8_t>();
  std::vector<float> x(in.left() / 4);
  for (float& v : x) v = in.take<float>();
  check_all(sparq::element_formats{}, x, mode);
  return 0;
}
