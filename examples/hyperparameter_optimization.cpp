// hyperparameter_optimization.cpp — the book's ch06/hyperparameter_optimization.py
// (figure 6-24): random search of the learning rate, 10^U(-6, -2), and weight decay,
// 10^U(-8, -4), for the seven-layer network 784-[100 x 6]-10 (He weights, SGD), each
// trial trained for 50 epochs on 400 of the first 500 training images and validated on
// the other 100 (shuffled first; the test set is never looked at). Prints every trial
// and the best ones as the book does; the figure is the best 20 trials' validation
// (solid) and training (dashed) accuracy per epoch, best first.
//
//     build/examples/hyperparameter_optimization
//     build/examples/hyperparameter_optimization --trials 30 --epochs 20
#include <algorithm>
#include <cmath>

#include "experiment.hpp"

using Net = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::Relu, ctnet::Repeat<5, ctnet::Affine<100, 100>, ctnet::Relu>,
                              ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;
using Model = ctnet::Model<Net, float, 100>;

struct Trial {
    double lr, weight_decay;
    std::vector<ctnet::EpochMetrics> epochs;  // "test" here is the validation split
};

int main(int argc, char** argv) try {
    experiment::Flags flags("hyperparameter_optimization",
                            "The book's random search of hyperparameters (6.5.3): learning rate and weight\n"
                            "decay drawn on log scales, each trial judged on a validation split.");
    std::size_t trials = 100, epochs = 50, samples = 500, shown = 20;
    flags.count("--trials", &trials, "random trials");
    flags.count("--epochs", &epochs, "epochs per trial");
    flags.count("--samples", &samples, "images from the start of the training set, a fifth for validation", 10);
    flags.count("--shown", &shown, "best trials in the figure");
    if (!flags.parse(argc, argv)) return 0;
    const ctnet::MnistRaw mnist = ctnet::read_mnist(flags.data);
    // The book's shuffle_dataset, then the first 20% for validation.
    const std::size_t n = std::min(samples, mnist.train.size()), validation = n / 5;
    const std::vector<std::size_t> order = ctnet::shuffled_rows(n, flags.seed);
    const ctnet::DataPair data{
        ctnet::Subset(mnist.train, std::vector<std::size_t>(order.begin() + static_cast<std::ptrdiff_t>(validation), order.end())),
        ctnet::Subset(mnist.train, std::vector<std::size_t>(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(validation)))};

    ctnet::Rng draw(flags.seed + 2);
    std::vector<Trial> results;
    for (std::size_t k = 0; k < trials; ++k) {
        Trial trial;
        trial.weight_decay = std::pow(10.0, draw.uniform() * 4 - 8);  // 10^U(-8, -4)
        trial.lr = std::pow(10.0, draw.uniform() * 4 - 6);            // 10^U(-6, -2)
        auto model = std::make_unique<Model>(ctnet::Init::he(), flags.seed + 3 + k);
        model->set_weight_decay(static_cast<float>(trial.weight_decay));
        ctnet::Sgd sgd{trial.lr};
        trial.epochs = experiment::train_epochs(*model, sgd, data, epochs, ctnet::Rng(flags.seed + 1 + k));
        flags.say("val acc: {:.2f} | lr: {:.3g}, weight decay: {:.3g}\n", trial.epochs.back().test_acc, trial.lr,
                  trial.weight_decay);
        results.push_back(std::move(trial));
    }
    // Best first by the final validation accuracy; a tie keeps the trial order.
    std::stable_sort(results.begin(), results.end(),
                     [](const Trial& a, const Trial& b) { return a.epochs.back().test_acc > b.epochs.back().test_acc; });
    flags.say("=========== Hyper-Parameter Optimization Result ===========\n");
    std::vector<ctnet::ChartPanel> panels;
    for (std::size_t k = 0; k < std::min(shown, results.size()); ++k) {
        const Trial& t = results[k];
        flags.say("Best-{}(val acc:{:.2f}) | lr: {:.3g}, weight decay: {:.3g}\n", k + 1, t.epochs.back().test_acc, t.lr,
                  t.weight_decay);
        panels.push_back({fmt::format("Best-{}: lr {:.2g}, decay {:.2g}", k + 1, t.lr, t.weight_decay), "epochs",
                          "accuracy",
                          {{"val", experiment::epoch_numbers(t.epochs), experiment::column(t.epochs, &ctnet::EpochMetrics::test_acc)},
                           {"train", experiment::epoch_numbers(t.epochs),
                            experiment::column(t.epochs, &ctnet::EpochMetrics::train_acc), true}},
                          0.0, 1.0});
    }
    experiment::write_figure(flags, fmt::format("the best {} of {} random trials, {} training and {} validation images ({})",
                                                panels.size(), trials, data.train.size(), data.test.size(),
                                                flags.data.filename().string()),
                             panels, 4);
} catch (const std::exception& e) {
    fmt::print(stderr, "hyperparameter_optimization: {}\n", e.what());
    return 1;
}
