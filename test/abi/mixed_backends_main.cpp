// mixed_backends_main.cpp — calls the SSE2 and the AVX2 translation unit of mixed_backends.cpp; each must read 4.
#include <cstdio>

float read_narrow();
float read_wide();

int main() {
    const float narrow = read_narrow(), wide = read_wide();
    std::printf("sse2 translation unit reads m(1, 0) = %g, avx2 translation unit reads %g\n", narrow, wide);
    return narrow == 4.0f && wide == 4.0f ? 0 : 1;
}
