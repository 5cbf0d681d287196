// Assigning a 100x10 product to a 100x50 matrix: the error names the destination's and the value's shape.
// expect: ctnet: assigning an expression of another shape
// expect: assigned_shapes_match<100, 50, 100, 10>
#include <ctnet/matrix/matrix.hpp>

int main() {
    ctnet::Matrix<float, 100, 784> x;
#ifdef CTNET_COMPILE_FAIL
    ctnet::Matrix<float, 784, 10> w;
#else
    ctnet::Matrix<float, 784, 50> w;
#endif
    ctnet::Matrix<float, 100, 50> h;
    h = dot(x, w);
    return static_cast<int>(h(0, 0));
}
