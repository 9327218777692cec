// SPDX-License-Identifier: Apache-2.0
// An independent, slow conversion reference for the tests: values from the bit fields in double
// precision, and encoding by searching the sorted value grid for the neighbours of the input.
// It shares no code with format/codec.hpp beyond the spec constants (the facts).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <sparq/format/all.hpp>

namespace sparq {
namespace test {

enum class ref_round { nearest_even, toward_zero, stochastic };

/// Value of a code from its fields, in double; NaN for NaN codes, +-inf for Inf codes.
template <class F>
double ref_value(std::uint32_t code) {
  using S = typename F::spec;
  if constexpr (S::is_integer) {
    std::uint32_t const c = code & S::mask;
    if (S::is_signed && (c >> (S::bits - 1)) != 0) return static_cast<double>(static_cast<int>(c) - (1 << S::bits));
    return static_cast<double>(c);
  } else {
    int const m = S::man_bits, e_bits = S::exp_bits;
    bool const neg = S::is_signed && ((code >> (e_bits + m)) & 1u);
    std::uint32_t const e = (code >> m) & ((1u << e_bits) - 1u);
    std::uint32_t const man = code & ((1u << m) - 1u);
    double const nan = std::numeric_limits<double>::quiet_NaN();
    switch (S::special) {
      case specials::ieee:
        if (e == (1u << e_bits) - 1u) return man == 0 ? (neg ? -INFINITY : INFINITY) : nan;
        break;
      case specials::nan_only:
        if (e == (1u << e_bits) - 1u && man == (1u << m) - 1u) return nan;
        break;
      case specials::nan_only_no_negzero:
        if (neg && e == 0 && man == 0) return nan;
        break;
      case specials::nan_only_no_zero:
        if (code == 0xFFu) return nan;
        return std::ldexp(1.0, static_cast<int>(code) - S::bias);
      case specials::none:
        break;
    }
    double const mag = e == 0 ? std::ldexp(static_cast<double>(man), 1 - S::bias - m)
                              : std::ldexp(1.0 + static_cast<double>(man) / (1 << m), static_cast<int>(e) - S::bias);
    return neg ? -mag : mag;
  }
}

/// The non-negative finite grid of a format: (value, code) sorted by value.
template <class F>
struct ref_grid {
  std::vector<double> values;
  std::vector<std::uint32_t> codes;
  double next_above_max = 0;  // the unbounded grid's first point beyond max (IEEE-like extension)
  std::uint32_t max_code = 0;

  ref_grid() {
    using S = typename F::spec;
    std::vector<std::pair<double, std::uint32_t>> v;
    std::uint32_t const n = 1u << S::bits;
    for (std::uint32_t c = 0; c < n; ++c) {
      double const x = ref_value<F>(c);
      if (std::isnan(x) || std::isinf(x) || x < 0 || (x == 0 && std::signbit(x))) continue;
      if (x == 0 && c != 0) continue;
      v.emplace_back(x, c);
    }
    std::sort(v.begin(), v.end());
    for (auto const& p : v) {
      values.push_back(p.first);
      codes.push_back(p.second);
    }
    max_code = codes.back();
    // One unit in the last place of max, on the grid of max's binade: max + 2^(floor(log2 max) - m).
    double const top = values.back();
    int e = 0;
    std::frexp(top, &e);
    if constexpr (S::is_integer) {
      next_above_max = top + 1;
    } else {
      next_above_max = top + std::ldexp(1.0, e - 1 - S::man_bits);
    }
  }
};

template <class F>
ref_grid<F> const& grid_of() {
  static ref_grid<F> const g;
  return g;
}

/// floor(F * 2^32) < r decides stochastic rounding, with F the exact fractional position.
inline bool stochastic_up(double a, double lo, double hi, std::uint32_t r) {
  double const f = (a - lo) / (hi - lo);  // hi - lo is a power of two (or 1): exact
  double const scaled = std::floor(std::ldexp(f, 32));
  return static_cast<double>(r) < scaled;
}

/// The expected code of x under (round, ieee overflow?, random word r), per format/policy.hpp.
template <class F>
std::uint32_t ref_encode(float xf, ref_round round, bool ieee, std::uint32_t r) {
  using S = typename F::spec;
  double const x = static_cast<double>(xf);
  if constexpr (S::is_integer) {
    if (std::isnan(x)) return 0;
    double v;
    if (std::isinf(x)) {
      v = x;
    } else {
      double const a = std::fabs(x);
      double const lo = std::floor(a);
      double n = lo;
      if (round == ref_round::nearest_even) {
        double const d = a - lo;
        n = d > 0.5 ? lo + 1 : d < 0.5 ? lo : (std::fmod(lo, 2.0) == 0 ? lo : lo + 1);
      } else if (round == ref_round::stochastic) {
        n = lo + (a > lo && stochastic_up(a, lo, lo + 1, r) ? 1 : 0);
      }
      v = std::signbit(x) ? -n : n;
    }
    v = std::min<double>(std::max<double>(v, S::min_value), S::max_value);
    return static_cast<std::uint32_t>(static_cast<int>(v)) & S::mask;
  } else {
    auto const& g = grid_of<F>();
    bool const neg = std::signbit(x);
    std::uint32_t const sign = neg ? S::sign_mask : 0u;
    std::uint32_t const max_code = g.max_code;
    auto nan_code = [&] { return S::has_signed_nan ? (sign | S::nan_code) : S::nan_code; };
    auto big = [&](bool keep_finite) -> std::uint32_t {
      if constexpr (S::special == specials::nan_only_no_zero) {
        return keep_finite ? max_code : S::nan_code;
      } else {
        if (keep_finite) return sign | max_code;
        if (S::has_inf) return sign | S::inf_code;
        if (S::has_nan) return nan_code();
        return sign | max_code;
      }
    };
    if (std::isnan(x)) return S::has_nan ? nan_code() : 0u;
    if constexpr (S::special == specials::nan_only_no_zero) {
      if (neg || x == 0) return ieee ? S::nan_code : 0u;
    } else if (!S::is_signed && neg && x != 0) {
      return ieee && S::has_nan ? S::nan_code : 0u;
    }
    if (std::isinf(x)) return big(!ieee);
    double const a = std::fabs(x);
    bool const e8m0 = S::special == specials::nan_only_no_zero;
    // Neighbours lo <= a < hi on the grid extended by next_above_max.
    auto it = std::upper_bound(g.values.begin(), g.values.end(), a);
    std::uint32_t mag;
    if (it == g.values.begin()) {
      mag = g.codes.front();  // below the smallest value: only E8M0 (no zero) gets here
    } else {
      std::size_t const i = static_cast<std::size_t>(it - g.values.begin()) - 1;
      double const lo = g.values[i];
      bool const hi_virtual = it == g.values.end();
      double const hi = hi_virtual ? g.next_above_max : *it;
      std::uint32_t const lo_code = g.codes[i];
      std::uint32_t const hi_code = hi_virtual ? max_code + 1 : g.codes[i + 1];
      if (hi_virtual && a >= hi) return big(!ieee || round == ref_round::toward_zero);
      bool up = false;
      if (a == lo) {
        up = false;
      } else if (round == ref_round::nearest_even) {
        double const dl = a - lo, dh = hi - a;
        up = dh < dl || (dh == dl && (e8m0 || (hi_code & 1u) == 0));
      } else if (round == ref_round::stochastic) {
        up = stochastic_up(a, lo, hi, r);
      }
      if (up && hi_virtual) return big(!ieee);
      mag = up ? hi_code : lo_code;
    }
    if (mag == 0 && !S::has_negative_zero) return 0u;
    return sign | mag;
  }
}

/// Bits of a float.
inline std::uint32_t bits_of_float(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
inline float float_of_bits(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

}  // namespace test
}  // namespace sparq
