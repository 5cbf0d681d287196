// The second Affine expects 60 inputs but the ReLU before it outputs 50: the error names layer 2, the layer and both widths.
// expect: ctnet: a layer's input width differs from the width the layer before it outputs
// expect: layer_input_width_matches<2, ctnet::Affine<60, 10>, 60, 50>
#include <ctnet/net.hpp>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<60, 10>, ctnet::SoftmaxWithLoss>;
#else
using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
#endif

int main() {
    ctnet::Model<Net, float, 100> net;
    return static_cast<int>(net.output_width);
}
