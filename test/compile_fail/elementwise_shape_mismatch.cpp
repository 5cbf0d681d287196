// Adding a 100x10 matrix to a 100x50 one: the error names both shapes and suggests dot().
// expect: ctnet: element-wise operation on shapes that do not broadcast
// expect: elementwise_shapes_broadcast<100, 50, 100, 10>
#include <ctnet/matrix/matrix.hpp>

int main() {
    ctnet::Matrix<float, 100, 50> h;
#ifdef CTNET_COMPILE_FAIL
    ctnet::Matrix<float, 100, 10> b;
#else
    ctnet::Matrix<float, 1, 50> b;
#endif
    ctnet::Matrix<float, 100, 50> y = h + b;
    return static_cast<int>(y(0, 0));
}
