// mixed_backends.cpp — one matrix read in a translation unit of each of two backends, linked into one program.
//
// Compiled twice by test/meson.build, at -O0 so that every inline function
// is emitted as a weak symbol and the linker keeps one copy of each name:
// once for SSE2 (rows of Matrix<float, 2, 3> padded to 4 floats) with
// CTNET_READ=read_narrow, once for AVX2 (padded to 8) with
// CTNET_READ=read_wide. Each writes m(1, 0) through its own compile-time
// layout (Matrix::stride, a constant the linker cannot swap) and reads it
// back through operator() (a function it can). Before the backend
// namespaces both operator()s had one name, the linker kept the SSE2 one,
// and the AVX2 unit read 0 from its padding instead of 4.
#include <ctnet/matrix/matrix.hpp>

#ifndef CTNET_READ
#  error "define CTNET_READ (the function's name)"
#endif

float CTNET_READ() {
    using M = ctnet::Matrix<float, 2, 3>;
    M m;
    m.data()[1 * M::stride + 0] = 4.0f;
    return m(1, 0);
}
