// matrix.hpp — Matrix<T, R, C>: a fixed-size, row-major, SIMD-padded matrix with value semantics.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <type_traits>

#include "../config.hpp"
#include "../simd/packet.hpp"
#include "expr_base.hpp"
#include "storage.hpp"

namespace ctnet::inline CTNET_ABI {

namespace detail {
struct AssignMode;
struct AddMode;
struct SubMode;
struct MulMode;
struct DivMode;
template <class Mode, class Dst, class E>
void evaluate(Dst& dst, const E& e);
template <class T, std::size_t R, std::size_t C>
struct Constant;
}  // namespace detail

// An R x C matrix of float or double whose shape is part of its type.
//
// Rows are padded to a whole number of SIMD packets and the padding is always
// zero, so every row starts aligned, kernels never run scalar tail loops, and
// a dot product along a row may read the padding. Up to 16 KiB the elements
// live inside the object; larger matrices own one aligned heap block,
// allocated at construction, so any Matrix is a safe local variable.
//
//     ctnet::Matrix<float, 2, 3> x({{1, -2, 3}, {-4, 5, -6}});
//     ctnet::Matrix<float, 2, 3> y = max(x, 0.0f) * 2.0f;   // one fused pass
//     float s = sum(y);                                      // 18
template <class T, std::size_t R, std::size_t C>
class Matrix : public detail::ExprTag {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                  "ctnet: Matrix<T, R, C> holds float or double");
    static_assert(R > 0 && C > 0, "ctnet: a Matrix needs at least one row and one column");

public:
    using value_type = T;
    using packet_type = simd::packet_t<T>;
    static constexpr std::size_t rows = R;
    static constexpr std::size_t cols = C;
    static constexpr std::size_t lanes = packet_type::size;
    // Elements from one row start to the next: C rounded up to whole packets.
    static constexpr std::size_t stride = (C + lanes - 1) / lanes * lanes;

    // The expression protocol (see expr_base.hpp).
    static constexpr bool is_leaf = true;
    static constexpr bool broadcastable = true;
    static constexpr bool product_rooted = false;
    static constexpr int product_count = 0;

private:
    using Storage = detail::Storage<T, R * stride>;

public:
    static constexpr bool on_heap = Storage::on_heap;

    // All zeros.
    Matrix() = default;
    // From nested braces: Matrix<float, 2, 2> m({{1, 2}, {3, 4}}).
    explicit Matrix(const T (&values)[R][C]) {
        for (std::size_t i = 0; i < R; ++i) std::copy_n(values[i], C, row_ptr(i));
    }
    // Evaluates an expression of the same shape in one pass.
    template <Expression E>
    Matrix(const E& e) {  // NOLINT(google-explicit-constructor): m = a + b reads as math
        detail::evaluate<detail::AssignMode>(*this, e);
    }

    Matrix(const Matrix&) = default;
    Matrix(Matrix&&) noexcept = default;
    Matrix& operator=(const Matrix&) = default;
    Matrix& operator=(Matrix&&) noexcept = default;

    template <Expression E>
    Matrix& operator=(const E& e) { return apply<detail::AssignMode>(e); }
    template <Expression E>
    Matrix& operator+=(const E& e) { return apply<detail::AddMode>(e); }
    template <Expression E>
    Matrix& operator-=(const E& e) { return apply<detail::SubMode>(e); }
    template <Expression E>
    Matrix& operator*=(const E& e) { return apply<detail::MulMode>(e); }
    template <Expression E>
    Matrix& operator/=(const E& e) { return apply<detail::DivMode>(e); }
    Matrix& operator+=(T s) { return apply<detail::AddMode>(detail::Constant<T, R, C>(s)); }
    Matrix& operator-=(T s) { return apply<detail::SubMode>(detail::Constant<T, R, C>(s)); }
    Matrix& operator*=(T s) { return apply<detail::MulMode>(detail::Constant<T, R, C>(s)); }
    Matrix& operator/=(T s) { return apply<detail::DivMode>(detail::Constant<T, R, C>(s)); }

    T& operator()(std::size_t i, std::size_t j) {
        CTNET_ASSERT(i < R && j < C, "Matrix index out of range");
        return data()[i * stride + j];
    }
    const T& operator()(std::size_t i, std::size_t j) const {
        CTNET_ASSERT(i < R && j < C, "Matrix index out of range");
        return data()[i * stride + j];
    }

    T* data() noexcept { return storage_.data(); }
    const T* data() const noexcept { return storage_.data(); }
    T* row_ptr(std::size_t i) noexcept { return data() + i * stride; }
    const T* row_ptr(std::size_t i) const noexcept { return data() + i * stride; }
    // Row i without its padding.
    std::span<T, C> row(std::size_t i) {
        CTNET_ASSERT(i < R, "Matrix row out of range");
        return std::span<T, C>(row_ptr(i), C);
    }
    std::span<const T, C> row(std::size_t i) const {
        CTNET_ASSERT(i < R, "Matrix row out of range");
        return std::span<const T, C>(row_ptr(i), C);
    }

    void fill(T value) {
        for (std::size_t i = 0; i < R; ++i) std::fill_n(row_ptr(i), C, value);
    }
    void set_zero() { std::fill_n(data(), R * stride, T(0)); }

    // The expression protocol: a leaf reads element (i, j) of its own buffer.
    CTNET_INLINE T coeff(std::size_t i, std::size_t j) const { return data()[i * stride + j]; }
    CTNET_INLINE packet_type packet(std::size_t i, std::size_t j) const {
        return packet_type::load(data() + i * stride + j);
    }
    bool reads(const void* p) const { return p == static_cast<const void*>(data()); }
    bool reads_across(const void*) const { return false; }

    // Equal shape and equal elements (padding is zero by construction).
    friend bool operator==(const Matrix& a, const Matrix& b) {
        for (std::size_t i = 0; i < R; ++i)
            if (!std::equal(a.row_ptr(i), a.row_ptr(i) + C, b.row_ptr(i))) return false;
        return true;
    }

private:
    template <class Mode, class E>
    Matrix& apply(const E& e) {
        storage_.ensure();
        detail::evaluate<Mode>(*this, e);
        return *this;
    }

    Storage storage_;
};

// A 1 x N row vector (the shape of a bias, or of one sample).
template <class T, std::size_t N>
using RowVector = Matrix<T, 1, N>;

template <class M>
inline constexpr bool is_matrix_v = false;
template <class T, std::size_t R, std::size_t C>
inline constexpr bool is_matrix_v<Matrix<T, R, C>> = true;

}  // namespace ctnet

#include "assign.hpp"
