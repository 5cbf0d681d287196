// Tests for matrix/matrix.hpp: storage, padding, value semantics, element access.
#include "ctnet/matrix/matrix.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <utility>

#include "../support/reference.hpp"
#include "../support/shapes.hpp"

using ctnet::Matrix;
using ctnet::test::padding_is_zero;
using ctnet::test::random_matrix;

BOOST_AUTO_TEST_SUITE(matrix)

BOOST_AUTO_TEST_CASE_TEMPLATE(layout_is_padded_and_aligned, S, ctnet::test::Shapes) {
    using T = typename S::type;
    using M = Matrix<T, S::rows, S::cols>;
    static_assert(M::stride % M::lanes == 0 && M::stride >= S::cols && M::stride < S::cols + M::lanes);
    const M m = random_matrix<T, S::rows, S::cols>(1);
    for (std::size_t i = 0; i < S::rows; ++i)
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(m.row_ptr(i)) % (M::lanes * sizeof(T)) == 0u);
    BOOST_TEST(padding_is_zero(m));
    // Large matrices live on the heap, so the object stays small enough for any stack.
    BOOST_TEST(sizeof(M) <= ctnet::detail::inline_storage_bytes + 64);
    BOOST_TEST(M::on_heap == (S::rows * M::stride * sizeof(T) > ctnet::detail::inline_storage_bytes));
}

BOOST_AUTO_TEST_CASE(default_is_zero_and_braces_fill_rows) {
    const Matrix<double, 2, 3> z;
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(z(i, j) == 0.0);
    const Matrix<float, 2, 3> m({{1, 2, 3}, {4, 5, 6}});
    BOOST_TEST(m(0, 2) == 3.0f);
    BOOST_TEST(m(1, 0) == 4.0f);
    BOOST_TEST(m.row(1)[2] == 6.0f);
    BOOST_TEST(m.row(1).size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_large_matrix_is_a_safe_local) {
    Matrix<float, 100, 784> x;  // 313 KB of elements
    Matrix<float, 784, 50> w;
    static_assert(decltype(x)::on_heap && decltype(w)::on_heap);
    x(99, 783) = 1.5f;
    BOOST_TEST(x(99, 783) == 1.5f);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(copies_are_independent_values, S, ctnet::test::Shapes) {
    using T = typename S::type;
    using M = Matrix<T, S::rows, S::cols>;
    M a = random_matrix<T, S::rows, S::cols>(2);
    M b = a;
    BOOST_TEST((a == b));
    b(S::rows - 1, S::cols - 1) += T(1);
    BOOST_TEST(!(a == b));
    M c;
    c = a;
    BOOST_TEST((c == a));
    BOOST_TEST(c.data() != a.data());
}

BOOST_AUTO_TEST_CASE(moves_keep_values_and_a_moved_from_matrix_is_reusable) {
    using M = Matrix<float, 100, 784>;
    M a = random_matrix<float, 100, 784>(3);
    const M copy = a;
    const float* buffer = a.data();
    M b = std::move(a);
    BOOST_TEST(b.data() == buffer);  // the heap block moved, nothing was copied
    BOOST_TEST((b == copy));
    a = copy * 2.0f;  // assigning to the moved-from matrix gives it storage again
    BOOST_TEST(a(5, 5) == 2 * copy(5, 5));
    M c;
    c = std::move(b);
    BOOST_TEST((c == copy));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(fill_zero_and_rows, S, ctnet::test::Shapes) {
    using T = typename S::type;
    Matrix<T, S::rows, S::cols> m;
    m.fill(T(2.5));
    BOOST_TEST(padding_is_zero(m));
    for (std::size_t i = 0; i < S::rows; ++i)
        for (T x : m.row(i)) BOOST_TEST(x == T(2.5));
    m.set_zero();
    for (std::size_t i = 0; i < S::rows; ++i)
        for (T x : m.row(i)) BOOST_TEST(x == T(0));
}

BOOST_AUTO_TEST_SUITE_END()
