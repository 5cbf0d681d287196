// A 7 x 7 filter on a 6 x 6 image without padding does not fit: the error names layer 0, the
// convolution and the shape it receives.
// expect: ctnet: a layer's filter or window is larger than the input it receives, padding included
// expect: layer_window_fits_its_padded_input<0, ctnet::Convolution<8, 7, 7>, ctnet::Dims{1, 6, 6}>
#include <ctnet/net.hpp>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 6, 6>{}>, ctnet::Convolution<8, 7, 7>, ctnet::Relu,
                              ctnet::Affine<8 * 2 * 2, 10>, ctnet::SoftmaxWithLoss>;
#else
using Net = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 6, 6>{}>, ctnet::Convolution<8, 7, 7, 1, 1>, ctnet::Relu,
                              ctnet::Affine<8 * 2 * 2, 10>, ctnet::SoftmaxWithLoss>;
#endif

int main() {
    ctnet::Model<Net, float, 2> net;
    return static_cast<int>(net.output_width);
}
