// A float matrix plus a double matrix: one element type per expression.
// expect: ctnet: an expression mixes float and double matrices
#include <ctnet/matrix/matrix.hpp>

int main() {
    ctnet::Matrix<float, 3, 3> a;
#ifdef CTNET_COMPILE_FAIL
    ctnet::Matrix<double, 3, 3> b;
#else
    ctnet::Matrix<float, 3, 3> b;
#endif
    ctnet::Matrix<float, 3, 3> c = a + b;
    return static_cast<int>(c(0, 0));
}
