// SPDX-License-Identifier: Apache-2.0
// A filter for cross-checks against other libraries (tests/format/ml_dtypes_crosscheck.py):
//   convert_dump encode FORMAT saturate|ieee   float32 LE on stdin -> uint16 LE codes on stdout
//   convert_dump decode FORMAT                 uint16 LE codes on stdin -> float32 LE on stdout
// Conversions go through the bulk path (sparq::convert_n).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/convert/convert.hpp>

namespace {

std::vector<char> read_stdin() {
  std::vector<char> data;
  char buf[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof buf, stdin)) > 0) data.insert(data.end(), buf, buf + got);
  return data;
}

template <class F>
int run(std::string const& op, std::string const& policy) {
  std::vector<char> const in = read_stdin();
  if (op == "encode") {
    std::vector<float> x(in.size() / 4);
    std::memcpy(x.data(), in.data(), x.size() * 4);
    std::vector<F> codes(x.size());
    if (policy == "ieee") {
      sparq::convert_n(x.data(), x.size(), codes.data(), sparq::overflow::ieee);
    } else if (policy == "saturate") {
      sparq::convert_n(x.data(), x.size(), codes.data(), sparq::overflow::saturate);
    } else {
      std::cerr << "convert_dump: unknown policy '" << policy << "', expected saturate or ieee\n";
      return 2;
    }
    std::vector<std::uint16_t> out(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i) out[i] = codes[i].bits();
    std::fwrite(out.data(), 2, out.size(), stdout);
    return 0;
  }
  if (op == "decode") {
    std::vector<std::uint16_t> c(in.size() / 2);
    std::memcpy(c.data(), in.data(), c.size() * 2);
    std::vector<F> codes(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) codes[i] = F::from_bits(c[i]);
    std::vector<float> out(c.size());
    sparq::convert_n(codes.data(), codes.size(), out.data());
    std::fwrite(out.data(), 4, out.size(), stdout);
    return 0;
  }
  std::cerr << "convert_dump: unknown operation '" << op << "', expected encode or decode\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: convert_dump encode FORMAT saturate|ieee | decode FORMAT\n";
    return 2;
  }
  std::string const op = argv[1], name = argv[2], policy = argc > 3 ? argv[3] : "";
  int rc = -1;
  sparq::for_each_type(sparq::element_formats{}, [&](auto f) {
    using F = decltype(f);
    if (rc == -1 && name == sparq::format_name_v<F>) rc = run<F>(op, policy);
  });
  if (rc == -1) {
    std::cerr << "convert_dump: unknown format '" << name << "'\n";
    return 2;
  }
  return rc;
}
