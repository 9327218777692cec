// SPDX-License-Identifier: Apache-2.0
// What this CPU can run, probed once (cpuid and the OS's saved vector state on x86-64, the
// auxiliary vector on AArch64 Linux) and cached: sparq::cpu_features(). The runtime dispatch
// (kernel/dispatch.hpp) picks kernels from it; programs print it.
#pragma once

#include <string>

#include <sparq/core/config.hpp>

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif

SPARQ_NAMESPACE_BEGIN

struct cpu_feature_set {
  // x86-64 (AVX and AVX-512 only where the OS saves the wider registers)
  bool sse2 = false, sse4_2 = false, avx = false, avx2 = false, fma = false, f16c = false;
  bool avx512f = false, avx512cd = false, avx512dq = false, avx512bw = false, avx512vl = false;
  bool avx512vnni = false, avx512vbmi = false, avx512vbmi2 = false;
  // AArch64
  bool neon = false, dotprod = false, i8mm = false;

  /// What an AVX2 kernel needs: AVX2, FMA and F16C.
  bool has_avx2() const noexcept { return avx2 && fma && f16c; }
  /// What sparq's AVX-512 kernels need: F, CD, DQ, BW with the AVX2 set.
  bool has_avx512bw() const noexcept { return has_avx2() && avx512f && avx512cd && avx512dq && avx512bw; }

  /// "avx2 fma f16c avx512f ..." : the features present, for logs and benchmark headers.
  std::string text() const {
    std::string s;
    auto add = [&s](bool on, char const* name) {
      if (!on) return;
      if (!s.empty()) s += ' ';
      s += name;
    };
    add(sse2, "sse2"), add(sse4_2, "sse4.2"), add(avx, "avx"), add(avx2, "avx2"), add(fma, "fma"), add(f16c, "f16c");
    add(avx512f, "avx512f"), add(avx512cd, "avx512cd"), add(avx512dq, "avx512dq"), add(avx512bw, "avx512bw");
    add(avx512vl, "avx512vl"), add(avx512vnni, "avx512vnni"), add(avx512vbmi, "avx512vbmi");
    add(avx512vbmi2, "avx512vbmi2");
    add(neon, "neon"), add(dotprod, "dotprod"), add(i8mm, "i8mm");
    return s.empty() ? std::string("none") : s;
  }
};

namespace detail {

inline cpu_feature_set probe_cpu() noexcept {
  cpu_feature_set f;
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  // The compiler runtime's probe checks XGETBV: AVX and AVX-512 count only where the OS saves them.
  __builtin_cpu_init();
  f.sse2 = __builtin_cpu_supports("sse2");
  f.sse4_2 = __builtin_cpu_supports("sse4.2");
  f.avx = __builtin_cpu_supports("avx");
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
  f.avx512cd = __builtin_cpu_supports("avx512cd");
  f.avx512dq = __builtin_cpu_supports("avx512dq");
  f.avx512bw = __builtin_cpu_supports("avx512bw");
  f.avx512vl = __builtin_cpu_supports("avx512vl");
  f.avx512vnni = __builtin_cpu_supports("avx512vnni");
  f.avx512vbmi = __builtin_cpu_supports("avx512vbmi");
  f.avx512vbmi2 = __builtin_cpu_supports("avx512vbmi2");
  // F16C is not among the names every compiler's builtin knows: CPUID leaf 1, ECX bit 29, and
  // usable only with AVX.
  unsigned eax = 1, ebx = 0, ecx = 0, edx = 0;
  __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
  f.f16c = f.avx && ((ecx >> 29) & 1u) != 0;
#elif defined(__aarch64__)
  f.neon = true;
#if defined(__linux__)
  unsigned long const hw = getauxval(AT_HWCAP), hw2 = getauxval(AT_HWCAP2);
  f.dotprod = (hw & (1ul << 20)) != 0;  // HWCAP_ASIMDDP
  f.i8mm = (hw2 & (1ul << 13)) != 0;    // HWCAP2_I8MM
#endif
#endif
  return f;
}

}  // namespace detail

/// This CPU's features, probed on first use (thread-safe) and cached.
inline cpu_feature_set const& cpu_features() noexcept {
  static cpu_feature_set const f = detail::probe_cpu();
  return f;
}

SPARQ_NAMESPACE_END
