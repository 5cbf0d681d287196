// dot(x, w) with x 100x784 and w 50x784: the inner dimensions disagree (forgot transpose).
// expect: ctnet: dot(a, b) needs a's columns to equal b's rows
// expect: dot_inner_dimensions_agree<100, 784, 50, 784>
#include <ctnet/matrix/matrix.hpp>

int main() {
    ctnet::Matrix<float, 100, 784> x;
    ctnet::Matrix<float, 50, 784> w;
#ifdef CTNET_COMPILE_FAIL
    ctnet::Matrix<float, 100, 50> h = dot(x, w);
#else
    ctnet::Matrix<float, 100, 50> h = dot(x, transpose(w));
#endif
    return static_cast<int>(h(0, 0));
}
