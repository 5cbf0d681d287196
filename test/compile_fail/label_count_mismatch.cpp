// 99 labels in a std::array for a batch of 100: a compile error naming the number of labels and the
// batch size (a std::vector or a dynamic std::span of the wrong size is an ctnet::Error at run time).
// expect: ctnet: a batch takes one label per sample, and the number of labels differs from the batch size
// expect: label_count_matches_batch<3, ctnet::SoftmaxWithLoss, 99, 100>
#include <ctnet/net.hpp>
#include <ctnet/optim.hpp>

#include <array>
#include <cstdint>

using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;

int main() {
    ctnet::Model<Net, float, 100> net;
    ctnet::Matrix<float, 100, 784> x;
#ifdef CTNET_COMPILE_FAIL
    const std::array<std::uint8_t, 99> labels{};
#else
    const std::array<std::uint8_t, 100> labels{};
#endif
    ctnet::Sgd sgd{0.1};
    const float loss = ctnet::train_step(net, x, labels, sgd);
    return static_cast<int>(loss + static_cast<float>(net.accuracy(x, labels)));
}
