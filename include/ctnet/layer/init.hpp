// init.hpp — Init: how a layer's weights start: the book's Gaussian(0.01), Xavier or He.
#pragma once

#include <cmath>
#include <cstddef>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI {

// Weight initialisation (biases start at zero):
//   gaussian(s)  N(0, s^2), the book's weight_init_std (0.01 for TwoLayerNet)
//   xavier()     N(0, 1/n), n the layer's input width (book 6.2.3, for sigmoid/tanh)
//   he()         N(0, 2/n) (book 6.2.3, for ReLU)
//
//     ctnet::Model<Net, float, 100> net(ctnet::Init::he(), /*seed=*/7);
struct Init {
    enum class Kind { gaussian, xavier, he };
    Kind kind = Kind::gaussian;
    double stddev = 0.01;

    static constexpr Init gaussian(double s = 0.01) { return {Kind::gaussian, s}; }
    static constexpr Init xavier() { return {Kind::xavier, 0.0}; }
    static constexpr Init he() { return {Kind::he, 0.0}; }

    // The standard deviation for a layer with `fan_in` inputs.
    double stddev_for(std::size_t fan_in) const {
        switch (kind) {
            case Kind::xavier: return std::sqrt(1.0 / static_cast<double>(fan_in));
            case Kind::he: return std::sqrt(2.0 / static_cast<double>(fan_in));
            case Kind::gaussian: break;
        }
        return stddev;
    }
};

}  // namespace ctnet
