// The first copy of a Repeat's Affine<60, 60> receives the 100 outputs of the layers before it: the error
// names its index in the expanded network (2), the layer and both widths.
// expect: ctnet: a layer's input width differs from the width the layer before it outputs
// expect: layer_input_width_matches<2, ctnet::Affine<60, 60>, 60, 100>
#include <ctnet/net.hpp>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::Relu, ctnet::Repeat<3, ctnet::Affine<60, 60>, ctnet::Relu>,
                              ctnet::Affine<60, 10>, ctnet::SoftmaxWithLoss>;
#else
using Net = ctnet::Sequential<ctnet::Affine<784, 60>, ctnet::Relu, ctnet::Repeat<3, ctnet::Affine<60, 60>, ctnet::Relu>,
                              ctnet::Affine<60, 10>, ctnet::SoftmaxWithLoss>;
#endif

int main() {
    ctnet::Model<Net, float, 10> net;
    return static_cast<int>(net.output_width);
}
