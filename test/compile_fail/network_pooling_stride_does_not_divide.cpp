// 2 x 2 windows of stride 2 over a 30 x 25 x 25 map would leave the last column out: the error
// names layer 2, the pooling and the shape it receives.
// expect: ctnet: a layer's stride does not divide its input's size (padding included) minus its window
// expect: layer_stride_divides_its_padded_input<2, ctnet::BasicPooling<ctnet::PoolKind::max, 2, 2, 2, 0>, ctnet::Dims{30, 25, 25}>
#include <ctnet/net.hpp>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 28, 28>{}>, ctnet::Convolution<30, 4, 4>, ctnet::Relu,
                              ctnet::Pooling<2, 2, 2>, ctnet::Affine<30 * 12 * 12, 10>, ctnet::SoftmaxWithLoss>;
#else
using Net = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 28, 28>{}>, ctnet::Convolution<30, 5, 5>, ctnet::Relu,
                              ctnet::Pooling<2, 2, 2>, ctnet::Affine<30 * 12 * 12, 10>, ctnet::SoftmaxWithLoss>;
#endif

int main() {
    ctnet::Model<Net, float, 2> net;
    return static_cast<int>(net.output_width);
}
