// SPDX-License-Identifier: Apache-2.0
// A minimal type list; Catch2's TEMPLATE_LIST_TEST_CASE and the benchmarks iterate over it.
#pragma once

#include <cstddef>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

template <class... Ts>
struct type_list {
  static constexpr std::size_t size = sizeof...(Ts);
};

/// Calls fn(T{}) for each T of a type_list, in order (T must be default-constructible).
template <class... Ts, class Fn>
void for_each_type(type_list<Ts...>, Fn&& fn) {
  (fn(Ts{}), ...);
}

SPARQ_NAMESPACE_END
