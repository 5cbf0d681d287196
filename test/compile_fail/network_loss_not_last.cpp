// A loss layer in the middle of a network: the error names its index, the layer and the network's length.
// expect: ctnet: a loss layer must be the last layer of a network
// expect: loss_layer_is_last<1, ctnet::SoftmaxWithLoss, 3>
#include <ctnet/net.hpp>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<ctnet::Affine<784, 10>, ctnet::SoftmaxWithLoss, ctnet::Relu>;
#else
using Net = ctnet::Sequential<ctnet::Affine<784, 10>, ctnet::Relu, ctnet::SoftmaxWithLoss>;
#endif

int main() {
    ctnet::Model<Net, float, 100> net;
    return static_cast<int>(net.output_width);
}
