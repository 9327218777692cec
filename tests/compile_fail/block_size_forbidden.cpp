// SPDX-License-Identifier: Apache-2.0
// A block format's block holds 2 to 4096 values.
#include <sparq/sparq.hpp>

#ifdef SPARQ_SHOULD_FAIL
using bad = sparq::block_format<sparq::float4_e2m1fn, sparq::float8_e8m0fnu, 1, sparq::scale_rule::ocp_floor>;
#else
using bad = sparq::block_format<sparq::float4_e2m1fn, sparq::float8_e8m0fnu, 16, sparq::scale_rule::ocp_floor>;
#endif
std::size_t f() { return sizeof(bad); }
