// A user's layer without output_width: one line says which part of the Layer protocol is missing.
// expect: ctnet: not a layer (index and type below): it needs `static constexpr std::size_t output_width(std::size_t in)`
// expect: layer_maps_input_to_output_width<1, Doubler>
#include <ctnet/net.hpp>

struct Doubler {
    static constexpr std::string_view name = "Doubler";
#ifndef CTNET_COMPILE_FAIL
    static constexpr std::size_t output_width(std::size_t in) { return in; }
#endif
    template <class T, std::size_t B, std::size_t In>
    struct Impl {
        void forward(const ctnet::Matrix<T, B, In>& x, ctnet::Matrix<T, B, In>& y) { y = x * T(2); }
        template <bool WantDx>
        void backward(const ctnet::Matrix<T, B, In>&, const ctnet::Matrix<T, B, In>&,
                      const ctnet::Matrix<T, B, In>& dy, ctnet::Matrix<T, B, In>* dx) const {
            if constexpr (WantDx) *dx = dy * T(2);
        }
    };
};

using Net = ctnet::Sequential<ctnet::Affine<784, 10>, Doubler, ctnet::SoftmaxWithLoss>;

int main() {
    ctnet::Model<Net, float, 100> net;
    return static_cast<int>(net.output_width);
}
