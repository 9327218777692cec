// SPDX-License-Identifier: Apache-2.0
// convert<To> only targets element formats and float.
#include <sparq/sparq.hpp>

#ifdef SPARQ_SHOULD_FAIL
double f(float x) { return sparq::convert<double>(x); }
#else
float f(float x) { return sparq::convert<float>(sparq::float8_e4m3fn(x)); }
#endif
