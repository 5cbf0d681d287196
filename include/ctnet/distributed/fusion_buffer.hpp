// fusion_buffer.hpp — FusionBuffer: every parameter's gradient (or value) in one contiguous buffer, for one allreduce.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "../config.hpp"
#include "../net/checkpoint_bytes.hpp"

namespace ctnet::inline CTNET_ABI {

// The gradients of a model, parameter after parameter in the model's order
// (W1, b1, W2, ...), followed by `extra` values a step sends along (its
// loss, a stop request): what a distributed step sums over the ranks with
// one allreduce rather than one per parameter (Horovod's tensor fusion).
// The padding of each matrix row (Matrix::stride) is left out.
template <class T>
class FusionBuffer {
public:
    template <class Model>
    FusionBuffer(Model& model, std::size_t extra) : extra_(extra) {
        model.for_each_param_matrix([&](const auto&, auto& p, auto&) {
            params_ += std::remove_cvref_t<decltype(p)>::rows * std::remove_cvref_t<decltype(p)>::cols;
        });
        values_.assign(params_ + extra_, T(0));
    }

    // Every gradient times `scale` (a rank's share of the global batch).
    template <class Model>
    void pack_gradients(Model& model, T scale) {
        visit(model, [scale](T* buffer, T*, T* grad, std::size_t n) {
            for (std::size_t j = 0; j < n; ++j) buffer[j] = grad[j] * scale;
        });
    }
    template <class Model>
    void unpack_gradients(Model& model) {
        visit(model, [](const T* buffer, T*, T* grad, std::size_t n) { std::copy_n(buffer, n, grad); });
    }
    template <class Model>
    void pack_params(Model& model) {
        visit(model, [](T* buffer, T* param, T*, std::size_t n) { std::copy_n(param, n, buffer); });
    }
    template <class Model>
    void unpack_params(Model& model) {
        visit(model, [](const T* buffer, T* param, T*, std::size_t n) { std::copy_n(buffer, n, param); });
    }

    // The parameters' part and the whole buffer.
    std::span<T> params() { return {values_.data(), params_}; }
    std::span<T> all() { return values_; }
    T& extra(std::size_t i) { return values_[params_ + i]; }

    // A checksum of the parameters' part (the ranks compare theirs).
    std::uint64_t checksum() const {
        return detail::checkpoint::fnv1a(reinterpret_cast<const char*>(values_.data()), params_ * sizeof(T));
    }

private:
    // f(buffer, param row, gradient row, n) for each row of every parameter matrix.
    template <class Model, class F>
    void visit(Model& model, F f) {
        T* at = values_.data();
        model.for_each_param_matrix([&](const auto&, auto& p, auto& g) {
            using M = std::remove_cvref_t<decltype(p)>;
            for (std::size_t i = 0; i < M::rows; ++i, at += M::cols) f(at, p.row_ptr(i), g.row_ptr(i), M::cols);
        });
    }

    std::size_t params_ = 0, extra_ = 0;
    std::vector<T> values_;
};

}  // namespace ctnet
