// A network starting with ReLU: nothing tells it its input width.
// expect: ctnet: the first layer takes its width from a layer before it, and there is none
// expect: first_layer_declares_its_input_width<ctnet::Relu>
#include <ctnet/net.hpp>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<ctnet::Relu, ctnet::Affine<784, 10>, ctnet::SoftmaxWithLoss>;
#else
using Net = ctnet::Sequential<ctnet::Affine<784, 10>, ctnet::Relu, ctnet::SoftmaxWithLoss>;
#endif

int main() {
    ctnet::Model<Net, float, 100> net;
    return static_cast<int>(net.output_width);
}
