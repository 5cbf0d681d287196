// loss() and train_step() on a network that ends in Affine: the error names the last layer and its index.
// expect: ctnet: loss(), gradient(), train_step() and evaluate() need a network that ends in a loss layer
// expect: network_ends_in_a_loss_layer<2, ctnet::Affine<50, 10>
#include <ctnet/net.hpp>
#include <ctnet/optim.hpp>

#include <array>
#include <cstdint>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>>;
#else
using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
#endif

int main() {
    ctnet::Model<Net, float, 100> net;
    ctnet::Matrix<float, 100, 784> x;
    const std::array<std::uint8_t, 100> labels{};
    ctnet::Sgd sgd{0.1};
    return static_cast<int>(net.loss(x, labels) + ctnet::train_step(net, x, labels, sgd));
}
