// cpu_check_program.cpp — a small product on the packets, built for a wide backend and run by cpu_check.py on an emulated older CPU.
#include <cstdio>

#include <ctnet/matrix/matrix.hpp>
#include <ctnet/simd/packet.hpp>

int main() {
    ctnet::Matrix<float, 4, 16> a, b;
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 16; ++j) {
            a(i, j) = static_cast<float>(i + j);
            b(i, j) = static_cast<float>(j % 3);
        }
    const ctnet::Matrix<float, 4, 4> c = dot(a, transpose(b));
    std::printf("%s backend: c(1, 2) = %g\n", ctnet::simd::backend_name, static_cast<double>(c(1, 2)));
}
