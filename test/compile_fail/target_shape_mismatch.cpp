// A one-hot target with 9 columns for a network with 10 outputs: loss, gradient, train_step and accuracy
// all report it, once, naming the loss layer's index, the loss layer and both shapes.
// expect: ctnet: a target matrix (one-hot rows) must have the network output's shape
// expect: target_shape_matches_output<3, ctnet::SoftmaxWithLoss, 100, 9, 100, 10>
#include <ctnet/net.hpp>
#include <ctnet/optim.hpp>

using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;

int main() {
    ctnet::Model<Net, float, 100> net;
    ctnet::Matrix<float, 100, 784> x;
#ifdef CTNET_COMPILE_FAIL
    ctnet::Matrix<float, 100, 9> t;
#else
    ctnet::Matrix<float, 100, 10> t;
#endif
    ctnet::Sgd sgd{0.1};
    const float loss = net.loss(x, t) + net.gradient(x, t) + ctnet::train_step(net, x, t, sgd);
    return static_cast<int>(loss + static_cast<float>(net.accuracy(x, t)));
}
