// SPDX-License-Identifier: Apache-2.0
// sparq configuration: version, host/device and inlining macros, the versioned namespace.
#pragma once

/// The single place the version lives; CMake parses these three lines.
#define SPARQ_VERSION_MAJOR 0
#define SPARQ_VERSION_MINOR 1
#define SPARQ_VERSION_PATCH 0

#define SPARQ_VERSION (SPARQ_VERSION_MAJOR * 10000 + SPARQ_VERSION_MINOR * 100 + SPARQ_VERSION_PATCH)

// SPARQ_HOST_DEVICE marks code that must compile for both the CPU and a GPU (format arithmetic,
// scalar reference kernels). The pattern follows CUTLASS: nvcc, clang-CUDA and NVRTC see the CUDA
// qualifiers; a plain host compiler sees nothing.
#if defined(__CUDACC__) || defined(__CUDA_ARCH__) || defined(__CUDACC_RTC__)
#define SPARQ_HOST_DEVICE __host__ __device__
#else
#define SPARQ_HOST_DEVICE
#endif

#if defined(_MSC_VER) && !defined(__clang__)
#define SPARQ_INLINE __forceinline
#else
#define SPARQ_INLINE inline __attribute__((always_inline))
#endif

/// Before a loop with a small constant trip count that must become straight-line code (register
/// arrays of SIMD batches stay in registers only when every index is a constant).
#if defined(__clang__)
#define SPARQ_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define SPARQ_UNROLL _Pragma("GCC unroll 16")
#else
#define SPARQ_UNROLL
#endif

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define SPARQ_HAS_EXCEPTIONS 1
#else
#define SPARQ_HAS_EXCEPTIONS 0
#endif

/// Two namespaces. Types (errors, views, containers, formats, options, executors, weight
/// sources) live in sparq::v0: SPARQ_NAMESPACE_BEGIN / END.
///
/// Code whose instructions depend on the build's instruction set (kernels, bulk conversion,
/// quantization, the reference kernels) opens SPARQ_ARCH_NAMESPACE_BEGIN / END. Translation units
/// built for one arch by sparq_add_arch_sources (cmake/sparq_add_arch_sources.cmake) define
/// SPARQ_ARCH_NAMESPACE, which puts that code in an inline namespace of its own, so inline functions
/// compiled with different instruction sets never merge at link time, while the types stay one and
/// the same on both sides of a dispatch (a sparq::error thrown by an AVX2 translation unit is caught
/// as sparq::error by the dispatching one). Implementation details of arch code live in
/// `arch_detail` (never `detail`, which would make `detail::` ambiguous in the types' code once
/// an arch namespace exists); arch_detail sees the types' `detail` through a using-directive.
#define SPARQ_NAMESPACE_BEGIN \
  namespace sparq {           \
  inline namespace v0 {
#define SPARQ_NAMESPACE_END \
  }                         \
  }

namespace sparq {
inline namespace v0 {
namespace detail {}
}  // namespace v0
}  // namespace sparq

/// A read prefetch hint (no effect where the compiler has none).
#if defined(__GNUC__) || defined(__clang__)
#define SPARQ_PREFETCH(p) __builtin_prefetch(p)
#else
#define SPARQ_PREFETCH(p) ((void)(p))
#endif

#if defined(SPARQ_ARCH_NAMESPACE)
#define SPARQ_ARCH_NAMESPACE_BEGIN                 \
  namespace sparq {                                \
  inline namespace v0 {                            \
  inline namespace SPARQ_ARCH_NAMESPACE {          \
  namespace arch_detail {                          \
  using namespace ::sparq::v0::detail;             \
  }
#define SPARQ_ARCH_NAMESPACE_END \
  }                              \
  }                              \
  }
#else
#define SPARQ_ARCH_NAMESPACE_BEGIN   \
  namespace sparq {                  \
  inline namespace v0 {              \
  namespace arch_detail {            \
  using namespace ::sparq::v0::detail; \
  }
#define SPARQ_ARCH_NAMESPACE_END SPARQ_NAMESPACE_END
#endif
