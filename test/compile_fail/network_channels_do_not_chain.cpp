// The Affine after the pooling expects 20 channels of 12 x 12 but receives 30: the error names
// layer 3 (Input is not a layer), the Affine and both widths (30 x 12 x 12 = 4320 received).
// expect: ctnet: a layer's input width differs from the width the layer before it outputs
// expect: layer_input_width_matches<3, ctnet::Affine<2880, 100>, 2880, 4320>
#include <ctnet/net.hpp>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 28, 28>{}>, ctnet::Convolution<30, 5, 5>, ctnet::Relu,
                              ctnet::Pooling<2, 2, 2>, ctnet::Affine<20 * 12 * 12, 100>, ctnet::SoftmaxWithLoss>;
#else
using Net = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 28, 28>{}>, ctnet::Convolution<30, 5, 5>, ctnet::Relu,
                              ctnet::Pooling<2, 2, 2>, ctnet::Affine<30 * 12 * 12, 100>, ctnet::SoftmaxWithLoss>;
#endif

int main() {
    ctnet::Model<Net, float, 2> net;
    return static_cast<int>(net.output_width);
}
