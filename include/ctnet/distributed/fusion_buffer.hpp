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
    FusionBuffer(Model& model, std::size_t extra) {
        model.for_each_param_matrix([&](const auto&, auto& p, auto&) {
            params_ += std::remove_cvref_t<decltype(p)>::rows * std::remove_cvref_t<decltype(p)>::cols;
        });
        values_.assign(params_ + extra, T(0));
    }

    // Every gradient times `scale` (a rank's share of the global batch), into
    // this buffer or into `into` (all().size() values: a communicator's
    // shared memory, Communicator::sum_slot, saving a copy).
    template <class Model>
    void pack_gradients(Model& model, T scale) {
        pack_gradients(model, scale, all());
    }
    template <class Model>
    void pack_gradients(Model& model, T scale, std::span<T> into) {
        visit(model, into.data(), [scale](T* buffer, T*, T* grad, std::size_t n) {
            for (std::size_t j = 0; j < n; ++j) buffer[j] = grad[j] * scale;
        });
    }
    // The gradients back into the model, from this buffer or from `sums`
    // (Communicator::allreduce_sum_view's result).
    template <class Model>
    void unpack_gradients(Model& model) {
        unpack_gradients(model, std::span<const T>(all()));
    }
    template <class Model>
    void unpack_gradients(Model& model, std::span<const T> sums) {
        visit(model, sums.data(), [](const T* buffer, T*, T* grad, std::size_t n) { std::copy_n(buffer, n, grad); });
    }
    // Plain SGD straight from the summed gradients, p -= lr * g, without
    // unpacking them first (the same operations as Sgd::update after
    // unpack_gradients; the model's own gradients are left as they were).
    template <class Model>
    void sgd_update(Model& model, T lr) {
        sgd_update(model, lr, std::span<const T>(all()));
    }
    template <class Model>
    void sgd_update(Model& model, T lr, std::span<const T> sums) {
        visit(model, sums.data(), [lr](const T* buffer, T* param, T*, std::size_t n) {
            for (std::size_t j = 0; j < n; ++j) param[j] -= lr * buffer[j];
        });
    }
    template <class Model>
    void pack_params(Model& model) {
        visit(model, values_.data(), [](T* buffer, T* param, T*, std::size_t n) { std::copy_n(param, n, buffer); });
    }
    template <class Model>
    void unpack_params(Model& model) {
        visit(model, values_.data(), [](const T* buffer, T* param, T*, std::size_t n) { std::copy_n(buffer, n, param); });
    }

    // The parameters' part and the whole buffer; the index of extra value i.
    std::span<T> params() { return {values_.data(), params_}; }
    std::span<T> all() { return values_; }
    std::size_t extra_at(std::size_t i) const { return params_ + i; }

    // A checksum of the parameters' part (the ranks compare theirs).
    std::uint64_t checksum() const {
        return detail::checkpoint::fnv1a(reinterpret_cast<const char*>(values_.data()), params_ * sizeof(T));
    }

private:
    // f(buffer, param row, gradient row, n) for each row of every parameter
    // matrix, the buffer's rows from `at` on.
    template <class Model, class U, class F>
    void visit(Model& model, U* at, F f) {
        model.for_each_param_matrix([&](const auto&, auto& p, auto& g) {
            using M = std::remove_cvref_t<decltype(p)>;
            for (std::size_t i = 0; i < M::rows; ++i, at += M::cols) f(at, p.row_ptr(i), g.row_ptr(i), M::cols);
        });
    }

    std::size_t params_ = 0;
    std::vector<T> values_;
};

}  // namespace ctnet
