// SPDX-License-Identifier: Apache-2.0
// At most one overflow policy per conversion.
#include <sparq/sparq.hpp>

sparq::float8_e5m2 f(float x) {
#ifdef SPARQ_SHOULD_FAIL
  return sparq::convert<sparq::float8_e5m2>(x, sparq::overflow::ieee, sparq::overflow::saturate);
#else
  return sparq::convert<sparq::float8_e5m2>(x, sparq::overflow::ieee, sparq::rounding::toward_zero);
#endif
}
