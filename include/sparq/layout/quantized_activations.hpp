// SPDX-License-Identifier: Apache-2.0
// quantized_activations: the rows of A quantized once for compute_mode::int8_activations, so that
// several GEMMs sharing A (a transformer's Q, K and V projections) quantize it once.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

/// M rows of K values as int8 codes q (row stride padded_cols(), a multiple of 32, zero past K)
/// and one float scale d per 32 values (value ~ q * d; docs/formats.md section 5). Made by
/// sparq::quantize_activations; sparq::gemm takes it as A in compute_mode::int8_activations with
/// results identical to passing the float A.
class quantized_activations {
 public:
  static constexpr std::size_t block = 32;  ///< values per scale

  quantized_activations() = default;
  quantized_activations(std::size_t rows, std::size_t cols)
      : rows_(rows), cols_(cols), padded_((cols + block - 1) / block * block),
        codes_(rows * padded_), scales_(rows * (padded_ / block) * sizeof(float)) {}

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::size_t padded_cols() const noexcept { return padded_; }
  std::size_t blocks_per_row() const noexcept { return padded_ / block; }
  std::int8_t const* codes() const noexcept { return reinterpret_cast<std::int8_t const*>(codes_.data()); }
  float const* scales() const noexcept { return reinterpret_cast<float const*>(scales_.data()); }
  std::int8_t* codes() noexcept { return reinterpret_cast<std::int8_t*>(codes_.data()); }
  float* scales() noexcept { return reinterpret_cast<float*>(scales_.data()); }

 private:
  std::size_t rows_ = 0, cols_ = 0, padded_ = 0;
  aligned_buffer codes_, scales_;
};

SPARQ_NAMESPACE_END
