// A network that starts with a Convolution and no Input<Shape<...>{}>: nothing tells it the image's shape.
// expect: ctnet: the first layer takes its width from a layer before it, and there is none
// expect: Input<Shape<1, 28, 28>{}> before a Convolution
#include <ctnet/net.hpp>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<ctnet::Convolution<30, 5, 5>, ctnet::Relu, ctnet::Affine<30 * 24 * 24, 10>,
                              ctnet::SoftmaxWithLoss>;
#else
using Net = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 28, 28>{}>, ctnet::Convolution<30, 5, 5>, ctnet::Relu,
                              ctnet::Affine<30 * 24 * 24, 10>, ctnet::SoftmaxWithLoss>;
#endif

int main() {
    ctnet::Model<Net, float, 2> net;
    return static_cast<int>(net.output_width);
}
