// mixed_link.cpp — a function taking a Matrix, declared in one backend's translation unit and defined in another's.
//
// test/abi/check_mixed_link.py compiles it with -DCTNET_CALLER for one
// backend and without for another, and links the two: the link must fail,
// and its message must name the backend the caller was built for, because
// the two Matrix types are different types.
#include <ctnet/matrix/matrix.hpp>

float first_element(const ctnet::Matrix<float, 2, 3>& m);

#ifdef CTNET_CALLER
int main() {
    const ctnet::Matrix<float, 2, 3> m({{1, 2, 3}, {4, 5, 6}});
    return first_element(m) == 1.0f ? 0 : 1;
}
#else
float first_element(const ctnet::Matrix<float, 2, 3>& m) { return m(0, 0); }
#endif
