// A network with no layers.
// expect: ctnet: Sequential<> needs at least one layer
#include <ctnet/net.hpp>

#ifdef CTNET_COMPILE_FAIL
using Net = ctnet::Sequential<>;
#else
using Net = ctnet::Sequential<ctnet::Affine<784, 10>>;
#endif

int main() {
    ctnet::Model<Net, float, 100> net;
    return static_cast<int>(net.output_width);
}
