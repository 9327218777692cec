// SPDX-License-Identifier: Apache-2.0
#include "svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <sparq/core/error.hpp>

namespace sparq_explore {
namespace {

std::string num(double v, char const* fmt = "%.1f") {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

/// A data attribute's number: shortest round-trip-ish text; "inf"/"nan" where not finite.
std::string data_num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return num(v, "%.6g");
}

std::string xml_escape(std::string const& s) {
  std::string r;
  for (char ch : s) {
    switch (ch) {
      case '&': r += "&amp;"; break;
      case '<': r += "&lt;"; break;
      case '>': r += "&gt;"; break;
      case '"': r += "&quot;"; break;
      case '\'': r += "&apos;"; break;
      default:
        // Control characters are not allowed in XML 1.0 text.
        r += static_cast<unsigned char>(ch) < 0x20 ? ' ' : ch;
    }
  }
  return r;
}

/// 1, 2 or 5 times a power of ten, about range / ticks.
double nice_step(double range, int ticks) {
  if (!(range > 0)) return 1;
  double const raw = range / ticks, p = std::pow(10.0, std::floor(std::log10(raw))), f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/// A linear axis [lo, hi] in steps of `step`, drawn into pixels [p0, p1].
struct axis {
  double lo = 0, hi = 1, step = 1;
  double p0 = 0, p1 = 1;
  double at(double v) const { return p0 + (v - lo) / (hi - lo) * (p1 - p0); }
};

axis make_axis(double lo, double hi, int ticks, double p0, double p1) {
  if (!(hi > lo)) hi = lo + 1;
  axis a;
  a.step = nice_step(hi - lo, ticks);
  a.lo = std::floor(lo / a.step) * a.step;
  a.hi = std::ceil(hi / a.step) * a.step;
  if (a.hi <= a.lo) a.hi = a.lo + a.step;
  a.p0 = p0;
  a.p1 = p1;
  return a;
}

/// Grid lines and tick labels of `a`: vertical lines from y `from` to `to` labelled below at y
/// `label_at`, or horizontal lines from x `from` to `to` labelled left of x `label_at`.
void grid(std::ostringstream& o, axis const& a, bool vertical, double from, double to, double label_at) {
  for (double v = a.lo; v <= a.hi + a.step / 2; v += a.step) {
    double const p = a.at(v);
    o << "<line x1=\"" << num(vertical ? p : from) << "\" y1=\"" << num(vertical ? from : p) << "\" x2=\""
      << num(vertical ? p : to) << "\" y2=\"" << num(vertical ? to : p) << "\" stroke=\"#e4e4e4\"/><text x=\""
      << num(vertical ? p : label_at) << "\" y=\"" << num(vertical ? label_at : p + 4) << "\" text-anchor=\""
      << (vertical ? "middle" : "end") << "\">" << num(v, "%g") << "</text>\n";
  }
}

std::string cannot_write(std::string const& path) { return "--svg: cannot write '" + path + "'"; }

/// `path`.tmp opened for writing, or sparq::file_error naming `path`.
std::FILE* open_tmp(std::string const& path) {
  std::FILE* f = std::fopen((path + ".tmp").c_str(), "wb");
  if (f == nullptr) SPARQ_THROW(sparq::file_error, cannot_write(path));
  return f;
}

constexpr char const* kExactColour = "#1f77b4";
constexpr char const* kInt8Colour = "#ff7f0e";

}  // namespace

std::string svg_plot(std::vector<result> const& results, std::string const& caption) {
  std::size_t const n = results.size();
  double const row = 18, plot_h = std::max(320.0, row * static_cast<double>(n));
  double const top = 64, bottom = top + plot_h, width = 1000, height = bottom + 56;
  // Left panel: SNR against bits per weight.
  double max_bits = 1, lo_snr = 0, hi_snr = 0;
  bool any_snr = false;
  for (auto const& r : results) {
    max_bits = std::max(max_bits, r.bits_per_weight);
    if (std::isfinite(r.error.snr_db)) {
      lo_snr = any_snr ? std::min(lo_snr, r.error.snr_db) : r.error.snr_db;
      hi_snr = any_snr ? std::max(hi_snr, r.error.snr_db) : r.error.snr_db;
      any_snr = true;
    }
  }
  axis const bx = make_axis(0, max_bits, 8, 70, 450);
  axis const sy = make_axis(any_snr ? lo_snr : 0, any_snr ? hi_snr : 1, 6, bottom, top + 14);
  // Right panel: GEMV GB/s, one row per format.
  double max_gbs = 0;
  for (auto const& r : results) max_gbs = std::max({max_gbs, r.perf.gemv_gbs, r.perf.gemv_int8_gbs});
  axis const gx = make_axis(0, max_gbs > 0 ? max_gbs : 1, 5, 640, 970);

  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(width, "%.0f") << "\" height=\"" << num(height, "%.0f")
    << "\" viewBox=\"0 0 " << num(width, "%.0f") << " " << num(height, "%.0f") << "\" font-family=\"sans-serif\" font-size=\"11\">\n"
    << "<title>sparq-explore: error, size and speed of each format</title>\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << "<text x=\"20\" y=\"22\" font-size=\"15\" font-weight=\"bold\">sparq-explore: which format?</text>\n"
    << "<text class=\"caption\" x=\"20\" y=\"40\" fill=\"#555\">" << xml_escape(caption) << "</text>\n";

  // Grid and axes of the left panel.
  o << "<g class=\"panel\" id=\"snr-vs-bits\">\n"
    << "<text x=\"" << num(bx.p0) << "\" y=\"" << num(top - 2) << "\" font-weight=\"bold\">SNR (dB) against bits per weight (higher left is better)</text>\n";
  grid(o, bx, true, sy.p1, sy.p0, bottom + 14);
  grid(o, sy, false, bx.p0, bx.p1, bx.p0 - 6);
  o << "<rect x=\"" << num(bx.p0) << "\" y=\"" << num(sy.p1) << "\" width=\"" << num(bx.p1 - bx.p0) << "\" height=\""
    << num(sy.p0 - sy.p1) << "\" fill=\"none\" stroke=\"#888\"/>\n"
    << "<text x=\"" << num((bx.p0 + bx.p1) / 2) << "\" y=\"" << num(bottom + 32) << "\" text-anchor=\"middle\">bits per weight (codes + scales)</text>\n";
  for (auto const& r : results) {
    double const snr = r.error.snr_db;
    if (std::isnan(snr)) continue;  // no signal to compare against: nothing to place
    // An exact round trip (infinite SNR) sits on the top edge, marked as exact.
    double const y = std::isinf(snr) ? sy.p1 : sy.at(snr), x = bx.at(r.bits_per_weight);
    o << "<g class=\"point\" data-format=\"" << xml_escape(r.name) << "\" data-bits=\"" << data_num(r.bits_per_weight)
      << "\" data-snr=\"" << data_num(snr) << "\"><title>" << xml_escape(r.name) << ": " << num(r.bits_per_weight, "%.3f")
      << " bits/weight, SNR " << (std::isinf(snr) ? std::string("exact") : num(snr, "%.2f") + " dB") << "</title>"
      << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"4\" fill=\"" << kExactColour << "\"/>"
      << "<text x=\"" << num(x + 6) << "\" y=\"" << num(y - 4) << "\">" << xml_escape(r.name)
      << (std::isinf(snr) ? " (exact)" : "") << "</text></g>\n";
  }
  o << "</g>\n";

  // Right panel: bars.
  o << "<g class=\"panel\" id=\"gemv-speed\">\n"
    << "<text x=\"" << num(gx.p0) << "\" y=\"" << num(top - 2) << "\" font-weight=\"bold\">GEMV weight GB/s (M = 1, cold weights)</text>\n";
  grid(o, gx, true, top + 4, bottom, bottom + 14);
  for (std::size_t i = 0; i < n; ++i) {
    result const& r = results[i];
    double const y = top + 6 + row * static_cast<double>(i);
    o << "<text x=\"" << num(gx.p0 - 6) << "\" y=\"" << num(y + 11) << "\" text-anchor=\"end\">" << xml_escape(r.name) << "</text>\n";
    auto bar = [&](char const* mode, double gbs, double dy, char const* colour) {
      o << "<rect class=\"bar\" data-format=\"" << xml_escape(r.name) << "\" data-mode=\"" << mode << "\" data-gbs=\""
        << data_num(gbs) << "\" x=\"" << num(gx.p0) << "\" y=\"" << num(y + dy) << "\" width=\"" << num(gx.at(gbs) - gx.p0, "%.2f")
        << "\" height=\"7\" fill=\"" << colour << "\"><title>" << xml_escape(r.name) << " " << mode << ": "
        << num(gbs, "%.2f") << " GB/s</title></rect>\n";
    };
    bar("exact", r.perf.gemv_gbs, 1, kExactColour);
    if (r.perf.gemv_int8_gbs > 0) bar("int8_activations", r.perf.gemv_int8_gbs, 8, kInt8Colour);
  }
  o << "<text x=\"" << num((gx.p0 + gx.p1) / 2) << "\" y=\"" << num(bottom + 32) << "\" text-anchor=\"middle\">GB/s of weights read</text>\n"
    << "<rect x=\"" << num(gx.p0) << "\" y=\"" << num(bottom + 40) << "\" width=\"10\" height=\"7\" fill=\"" << kExactColour
    << "\"/><text x=\"" << num(gx.p0 + 14) << "\" y=\"" << num(bottom + 47) << "\">exact</text>"
    << "<rect x=\"" << num(gx.p0 + 70) << "\" y=\"" << num(bottom + 40) << "\" width=\"10\" height=\"7\" fill=\"" << kInt8Colour
    << "\"/><text x=\"" << num(gx.p0 + 84) << "\" y=\"" << num(bottom + 47) << "\">int8_activations</text>\n"
    << "</g>\n</svg>\n";
  return o.str();
}

void check_writable(std::string const& path) {
  std::fclose(open_tmp(path));
  std::remove((path + ".tmp").c_str());
}

void write_svg(std::string const& path, std::vector<result> const& results, std::string const& caption) {
  std::string const text = svg_plot(results, caption);
  std::string const tmp = path + ".tmp";
  std::FILE* f = open_tmp(path);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    SPARQ_THROW(sparq::file_error, cannot_write(path));
  }
}

}  // namespace sparq_explore
