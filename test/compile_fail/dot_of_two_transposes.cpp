// dot(transpose(a), transpose(b)) is transpose(dot(b, a)); ctnet asks for the latter.
// expect: ctnet: dot(transpose(a), transpose(b)) is transpose(dot(b, a))
#include <ctnet/matrix/matrix.hpp>

int main() {
    ctnet::Matrix<float, 4, 3> a;
    ctnet::Matrix<float, 5, 4> b;
#ifdef CTNET_COMPILE_FAIL
    ctnet::Matrix<float, 3, 5> c = dot(transpose(a), transpose(b));
#else
    ctnet::Matrix<float, 5, 3> c = dot(b, a);
#endif
    return static_cast<int>(c(0, 0));
}
