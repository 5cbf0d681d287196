// shapes.hpp — the element types and shapes every matrix test runs over (each tail case of every backend).
#pragma once

#include <boost/mpl/list.hpp>

#include <cstddef>

namespace ctnet::test {

template <class T, std::size_t R, std::size_t C>
struct Shape {
    using type = T;
    static constexpr std::size_t rows = R, cols = C;
};

// 1, 3, 5, 7, 9, 17, 33, 50 and 784 columns cover a full packet, a short row,
// and every remainder modulo 2, 4, 8 and 16 lanes.
using Shapes = boost::mpl::list<Shape<float, 1, 1>, Shape<double, 1, 1>, Shape<float, 3, 7>, Shape<double, 3, 7>,
                                Shape<float, 9, 5>, Shape<double, 9, 5>, Shape<float, 7, 17>, Shape<double, 2, 33>,
                                Shape<float, 100, 50>, Shape<double, 100, 50>, Shape<float, 100, 784>,
                                Shape<double, 784, 50>>;

}  // namespace ctnet::test
