// SPDX-License-Identifier: Apache-2.0
// sparq umbrella header: includes the public headers, nothing else.
#pragma once

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/span.hpp>
#include <sparq/core/type_list.hpp>
#include <sparq/format/all.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/convert.hpp>
#include <sparq/format/policy.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/kernel/convert.hpp>
#include <sparq/layout/packing.hpp>
#include <sparq/quantize/block.hpp>
