// SPDX-License-Identifier: Apache-2.0
// `sparq-explore --svg FILE`: the format trade-off drawn as one self-contained SVG (no scripts,
// fonts or links; a browser opens it). Left panel: SNR (dB) against bits per weight, one point per
// format; right panel: GEMV weight GB/s per format (exact, and int8_activations where measured).
#pragma once

#include <string>
#include <vector>

#include "table.hpp"

namespace sparq_explore {

/// The SVG text. Every mark carries its numbers as data attributes (data-format, data-bits,
/// data-snr, data-gbs, data-mode) so tools and tests can read the plot back. `caption` is the
/// subtitle (source matrix, threads, kernels).
std::string svg_plot(std::vector<result> const& results, std::string const& caption);

/// Writes svg_plot to `path` through a temporary file renamed into place: the file is either the
/// whole plot or untouched. Throws sparq::file_error naming the path when it cannot be written.
void write_svg(std::string const& path, std::vector<result> const& results, std::string const& caption);

/// Throws sparq::file_error when `path` cannot be created (its directory is missing or read-only),
/// leaving nothing behind; run before the measurements so a bad path fails at once.
void check_writable(std::string const& path);

}  // namespace sparq_explore
