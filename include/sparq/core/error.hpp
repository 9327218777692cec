// SPDX-License-Identifier: Apache-2.0
// The sparq::error hierarchy and SPARQ_THROW, which prints and aborts in -fno-exceptions builds.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

/// Base of every exception sparq throws. The message names the function, the argument and what
/// was expected, e.g. "sparq::convert_n: argument 'out' is null, expected a buffer of 7 elements".
class error : public std::runtime_error {
 public:
  explicit error(std::string const& what) : std::runtime_error(what) {}
};

/// An argument has the wrong size, shape, alignment or value.
class invalid_argument : public error {
 public:
  using error::error;
};

/// The request is valid but this build cannot serve it (no backend, format not supported there).
class unsupported : public error {
 public:
  using error::error;
};

/// A file could not be read as the format it claims (truncated, wrong dtype, inconsistent header).
class file_error : public error {
 public:
  using error::error;
};

/// Memory for a result could not be allocated (the request fits the address space, the machine
/// does not hold it).
class out_of_memory : public error {
 public:
  using error::error;
};

namespace detail {

template <class Error>
[[noreturn]] inline void raise(std::string const& message) {
#if SPARQ_HAS_EXCEPTIONS
  throw Error(message);
#else
  std::fprintf(stderr, "sparq error: %s\n", message.c_str());
  std::abort();
#endif
}

}  // namespace detail

SPARQ_NAMESPACE_END

/// SPARQ_THROW(sparq::invalid_argument, "message"): throw, or print and abort without exceptions.
#define SPARQ_THROW(ErrorType, message) ::sparq::v0::detail::raise<ErrorType>(message)
