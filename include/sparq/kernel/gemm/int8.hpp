// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <type_traits>
#include <sparq/core/config.hpp>
SPARQ_NAMESPACE_BEGIN
namespace detail {
template <class F>
struct int8_mode_supported : std::false_type {};
template <class Arch, class F, class W, class TA, class Executor>
void gemm_int8(W const&, matrix_view<TA const> const&, matrix_view<float> const&, gemm_options const&, Executor const&) {}
}
SPARQ_NAMESPACE_END
