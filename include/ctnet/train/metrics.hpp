// metrics.hpp — EpochMetrics and the files made from them: metrics.csv, training.svg, the JSON summary.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ctnet {

// One row of the book's train_acc_list / test_acc_list, with the losses.
struct EpochMetrics {
    std::size_t epoch = 0;
    std::size_t iteration = 0;  // steps taken when measured
    double train_loss = 0, train_acc = 0;  // over the whole training set
    double test_loss = 0, test_acc = 0;    // over the whole test set
    double seconds = 0;                    // since training started
};

// epoch,iteration,train_loss,train_acc,test_loss,test_acc,seconds with a header line.
std::string metrics_csv(const std::vector<EpochMetrics>& epochs);

// The book's figure 5-x: accuracy per epoch (train and test) beside the loss
// per epoch, as a self-contained SVG document.
std::string training_plot_svg(const std::vector<EpochMetrics>& epochs, const std::string& title);

// What a run reports on its last line of output.
struct TrainSummary {
    std::size_t iters = 0;
    std::size_t epochs = 0;
    double train_acc = 0, test_acc = 0;
    double final_loss = 0;   // training-set loss at the end
    double wall_s = 0;       // training and evaluation, without loading the data
    double load_s = 0;       // reading and decoding the data files
    double ms_per_iter = 0;  // training steps alone
    std::string data;
    std::size_t threads = 1;  // TrainOptions::threads as run (0 resolved to the core count)
    std::size_t ranks = 1;    // the processes of a distributed run (TrainOptions::communicator)
    std::size_t batch = 0;    // samples per step: the model's batch, or a distributed run's global batch
};

// One line of JSON: {"iters":10000,"train_acc":...,"test_acc":...,"final_loss":...,...}.
std::string summary_json(const TrainSummary& s);

}  // namespace ctnet
