// expr_base.hpp — what every expression node shares: the Expression concept and operand storage.
#pragma once

#include <concepts>
#include <cstddef>
#include <type_traits>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI {

template <class T, std::size_t R, std::size_t C>
class Matrix;

namespace detail {
// Base of every expression node (Matrix included). The protocol a node keeps:
//   value_type, rows, cols                      its element type and shape
//   coeff(i, j)                                 one element
//   packet(i, j)                                packet_t<T> of elements (i, j..j+lanes), j a
//                                               multiple of lanes and < padded cols; lanes past
//                                               cols may hold anything (stores mask them)
//   product_count                               how many matrix products the tree holds
//   reads(p), reads_across(p)                   does it read the buffer p at all / at any
//                                               position other than the one being written
struct ExprTag {};
}  // namespace detail

// Anything that can be evaluated into a Matrix: a Matrix itself or a lazy node.
template <class E>
concept Expression = std::derived_from<std::remove_cvref_t<E>, detail::ExprTag>;

namespace detail {

// How a node holds an operand: an lvalue leaf (a Matrix that lives elsewhere)
// by const reference, everything else (temporaries, lazy nodes) by value.
template <class E>
using operand_t = std::conditional_t<std::is_lvalue_reference_v<E> && std::remove_cvref_t<E>::is_leaf,
                                     const std::remove_cvref_t<E>&, std::remove_cvref_t<E>>;

template <class E>
using bare_t = std::remove_cvref_t<E>;

template <class A, class B>
inline constexpr bool same_element_type =
    std::is_same_v<typename bare_t<A>::value_type, typename bare_t<B>::value_type>;

// What an expression becomes once a static_assert has reported a mistake in it
// (wrong shapes, mixed element types): every later step accepts it silently, so
// one mistake gives one compile error instead of a cascade.
template <class T>
struct Poisoned : ExprTag {
    using value_type = T;
    static constexpr bool poisoned = true;
    static constexpr std::size_t rows = 1, cols = 1;
    static constexpr bool is_leaf = false, broadcastable = true, product_rooted = false;
    static constexpr int product_count = 0;
};

template <class... E>
inline constexpr bool any_poisoned = (requires { bare_t<E>::poisoned; } || ...);

// A node whose tree ends in exactly one product, reachable through element-wise
// nodes only: such an expression is evaluated by the product kernel, with the
// rest of the tree applied to each result tile while it is still in registers.
template <class E>
concept ProductRooted = bare_t<E>::product_rooted;

}  // namespace detail
}  // namespace ctnet
