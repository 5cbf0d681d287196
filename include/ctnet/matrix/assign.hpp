// assign.hpp — evaluates any expression into a Matrix: one pass, no temporaries.
#pragma once

#include <cstddef>
#include <type_traits>

#include "../config.hpp"
#include "expr.hpp"
#include "matrix.hpp"
#include "operators.hpp"
#include "product.hpp"

namespace ctnet::inline CTNET_ABI::detail {

// How a computed value meets the destination: =, +=, -=, *=, /=.
// `additive` modes take a product in parts (dst = p1 + p2 is dst = p1, then
// dst += p2), which is how gemm.hpp blocks a long inner dimension;
// `continued` is the mode for every part after the first.
struct AddMode {
    static constexpr bool reads_destination = true, additive = true;
    using continued = AddMode;
    template <class V> static CTNET_INLINE V combine(V old, V v) { return old + v; }
};
struct SubMode {
    static constexpr bool reads_destination = true, additive = true;
    using continued = SubMode;
    template <class V> static CTNET_INLINE V combine(V old, V v) { return old - v; }
};
struct AssignMode {
    static constexpr bool reads_destination = false, additive = true;
    using continued = AddMode;
    template <class V> static CTNET_INLINE V combine(V, V v) { return v; }
};
struct MulMode {
    static constexpr bool reads_destination = true, additive = false;
    using continued = MulMode;
    template <class V> static CTNET_INLINE V combine(V old, V v) { return old * v; }
};
struct DivMode {
    static constexpr bool reads_destination = true, additive = false;
    using continued = DivMode;
    template <class V> static CTNET_INLINE V combine(V old, V v) { return old / v; }
};

// Named so that a compile error shows the shapes: destination rows, cols, then the expression's.
template <std::size_t DestRows, std::size_t DestCols, std::size_t ExprRows, std::size_t ExprCols>
inline constexpr bool assigned_shapes_match = DestRows == ExprRows && DestCols == ExprCols;

// Writes packet v at (i, j) of a row-major buffer with row length Cols, keeping
// the padding lanes past Cols at zero.
template <class Mode, std::size_t Cols, class T, class P>
CTNET_INLINE void store_packet(T* p, std::size_t j, P v) {
    if constexpr (Mode::reads_destination) v = Mode::combine(P::load(p), v);
    if constexpr (Cols % P::size != 0) {
        if (j + P::size > Cols) v = simd::select(P::first_lanes(Cols % P::size), v, P::zero());
    }
    v.store(p);
}

template <std::size_t DestRows, std::size_t DestCols, std::size_t ExprRows, std::size_t ExprCols>
constexpr void assert_assignable() {
    static_assert(assigned_shapes_match<DestRows, DestCols, ExprRows, ExprCols>,
                  "ctnet: assigning an expression of another shape (the four numbers below are the "
                  "destination's rows and cols, then the expression's)");
}

template <class Mode, class Dst, class E>
void evaluate(Dst& dst, const E& e) {
    if constexpr (any_poisoned<E>) {
        return;  // the mistake in e has been reported where it was made
    } else if constexpr (Mode::reads_destination && (E::rows != Dst::rows || E::cols != Dst::cols) &&
                         elementwise_shapes_broadcast<E::rows, E::cols, Dst::rows, Dst::cols> &&
                         E::rows <= Dst::rows && E::cols <= Dst::cols) {
        // y /= row_sum(y): compound assignment broadcasts its right side, as numpy's does.
        evaluate<Mode>(dst, stretch<Dst::rows, Dst::cols>(e));
    } else {
    using T = typename Dst::value_type;
    using P = simd::packet_t<T>;
    static_assert(std::is_same_v<typename E::value_type, T>,
                  "ctnet: assigning an expression of another element type (float vs double)");
    assert_assignable<Dst::rows, Dst::cols, E::rows, E::cols>();
    if constexpr (E::product_count > 0) {
        static_assert(E::product_count == 1 && E::product_rooted,
                      "ctnet: ctnet fuses one dot() per assignment, with element-wise operations around "
                      "it (scale, bias, activation); assign other products to a Matrix first");
        CTNET_ASSERT(!e.reads(dst.data()),
                     "the destination of dot() must not be one of its operands or other inputs");
        run_product<Mode>(dst, e);
    } else {
        CTNET_ASSERT(!e.reads_across(dst.data()),
                     "the destination is read transposed or broadcast on the right-hand side");
        constexpr std::size_t W = P::size;
        for (std::size_t i = 0; i < Dst::rows; ++i) {
            T* row = dst.data() + i * Dst::stride;
            for (std::size_t j = 0; j < Dst::stride; j += W)
                store_packet<Mode, Dst::cols>(row + j, j, e.packet(i, j));
        }
    }
    }
}

}  // namespace ctnet::detail
