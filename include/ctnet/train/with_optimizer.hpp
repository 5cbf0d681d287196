// with_optimizer.hpp — with_optimizer: runs code with the optimizer a TrainOptions names.
#pragma once

#include <string>

#include "../config.hpp"
#include "../optim.hpp"
#include "options.hpp"

namespace ctnet::inline CTNET_ABI {

// Calls f(optimizer) with the optimizer options.optimizer names (sgd,
// momentum, nesterov, adagrad, rmsprop, adam; see optimizer_defaults) at
// options.lr, and returns what f returns: the one place a program turns the
// --optimizer flag into a type.
//
//     auto summary = ctnet::with_optimizer(options, [&](auto opt) { return ctnet::train(net, data, opt, options); });
template <class F>
decltype(auto) with_optimizer(const TrainOptions& options, F&& f) {
    const std::string& name = options.optimizer;
    const double lr = options.lr;
    if (name == "momentum") return f(Momentum{lr});
    if (name == "nesterov") return f(Nesterov{lr});
    if (name == "adagrad") return f(AdaGrad{lr});
    if (name == "rmsprop") return f(RmsProp{lr});
    if (name == "adam") return f(Adam{lr});
    if (name != "sgd") throw Error("no optimizer named '" + name + "' (sgd, momentum, nesterov, adagrad, rmsprop, adam)");
    return f(Sgd{lr});
}

}  // namespace ctnet
