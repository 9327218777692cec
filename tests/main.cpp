// SPDX-License-Identifier: Apache-2.0
// The Catch2 main of sparq_tests (one translation unit, so the others compile faster).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
