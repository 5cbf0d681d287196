// Tests for gemm.hpp's cache blocking: product.cpp's checks again, in a program built for caches
// so small (L1d 2 KiB, L2 16 KiB) that its products are cut into blocks, remainders included.
// Its own executable: the same kernels with other block sizes in one program would break the
// one-definition rule.
#define CTNET_L1D_BYTES 2048
#define CTNET_L2_BYTES 16384
#include "product.cpp"
