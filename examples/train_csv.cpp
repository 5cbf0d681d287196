// train_csv.cpp — ctnet's training loop on a CSV file you wrote: numeric feature columns and a label column.
//
//     train_csv --train flowers_train.csv --test flowers_test.csv --label species
//     train_csv --train a.csv --test b.csv --label 4 --optimizer adam --iters 3000
//
// Each feature is standardised (mean 0, deviation 1 over the training file)
// unless --raw. The network is a type, so its widths are compile-time numbers: this one
// takes 4 features and tells 3 classes apart (the shape of the Iris data set).
// For a file of other widths, change Features and Classes below and rebuild;
// a file that does not fit is refused with both widths named. Every other
// flag is train_neuralnet's (--iters, --optimizer, --lr, --weight-decay,
// --seed, --out, --resume, --overwrite, --quiet; see --help). Writes
// out/metrics.csv, out/training.svg and out/model.ckpt, and ends with one
// line of JSON.
#include <fmt/core.h>

#include <ctnet/ctnet.hpp>
#include <exception>
#include <string>
#include <vector>

constexpr std::size_t Features = 4, Classes = 3, Batch = 10;
using Net = ctnet::Sequential<ctnet::Affine<Features, 16>, ctnet::Relu, ctnet::Affine<16, Classes>,
                              ctnet::SoftmaxWithLoss>;

int main(int argc, char** argv) try {
    // This program's own flags; the rest go to the shared training options.
    std::string train_file, test_file;
    ctnet::CsvOptions csv;
    std::vector<const char*> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw ctnet::Error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--train") train_file = value();
        else if (a == "--test") test_file = value();
        else if (a == "--label") csv.label = value();
        else if (a == "--no-header") csv.header = false;
        else if (a == "--raw") csv.standardize = false;
        else rest.push_back(argv[i]);
    }
    ctnet::TrainOptions options;
    options.iters = 2000;
    if (!ctnet::parse_train_options(static_cast<int>(rest.size()), rest.data(), "", options)) {
        fmt::print("\ntrain_csv's own flags: --train FILE --test FILE [--label NAME|INDEX] [--no-header] [--raw]\n"
                   "(--raw: the features as written; without it each is standardised over the training file)\n");
        return 0;
    }
    if (train_file.empty() || test_file.empty()) throw ctnet::Error("give --train FILE and --test FILE (see --help)");
    if (options.output == ctnet::OutputPolicy::resume) ctnet::take_resumed_settings(options);
    options.data = train_file;
    options.stop = ctnet::interrupt_flag();
    ctnet::set_threads(*options.threads);  // --threads (0: every core)

    const ctnet::CsvDataSet data = ctnet::read_csv_dataset(train_file, test_file, csv);
    if (!options.quiet)
        fmt::print("{}: {} training and {} test samples, {} features, {} classes\n", train_file, data.train.size(),
                   data.test.size(), data.train.width(),
                   data.classes.empty() ? std::string("numbered") : fmt::format("{}", fmt::join(data.classes, ", ")));
    const ctnet::TrainSummary summary = ctnet::with_optimizer(options, [&](auto optimizer) {
        ctnet::Model<Net, float, Batch> network(ctnet::Init::he(), options.seed);
        network.set_weight_decay(static_cast<float>(options.weight_decay));
        return ctnet::train(network, data, optimizer, options);
    });
    fmt::print("{}\n", ctnet::summary_json(summary));
    ctnet::flush_output();
} catch (const ctnet::Interrupted& e) {
    fmt::print(stderr, "train_csv: {}\n", e.what());
    return 130;
} catch (const std::exception& e) {
    fmt::print(stderr, "train_csv: {}\n", e.what());
    return 1;
}
