// run_state.hpp — RunState: where a training run stands (settings, step, random stream, history), as a checkpoint section.
#pragma once

#include <array>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "../config.hpp"
#include "../distributed/communicator.hpp"
#include "../io/read_file.hpp"
#include "../net/checkpoint.hpp"
#include "../optim/state_io.hpp"
#include "options.hpp"
#include "metrics.hpp"

namespace ctnet::inline CTNET_ABI {

// What, beside the model and the optimizer, a run needs to continue exactly
// where it stopped. train() stores it in its checkpoint's "run" section at
// every epoch and on an interrupt; --resume reads it back.
struct RunState {
    // The settings the run was started with; a resume must use the same ones.
    std::uint64_t iters = 0, seed = 0, batch = 0;
    double lr = 0, weight_decay = 0;
    // The optimizer's rate when saved: lr, unless TrainOptions::on_epoch changed it.
    double lr_now = 0;
    // The data it trains on: sizes and a checksum of the labels, so a resume
    // on other data is refused, wherever the files now lie.
    std::string data;
    std::uint64_t train_size = 0, test_size = 0, data_fingerprint = 0;
    // Where it stands: steps taken, the sampler's random state, the epochs measured so far.
    std::uint64_t step = 0;
    std::array<std::uint64_t, 6> rng{};
    std::vector<EpochMetrics> epochs;
    // The loss of the very first batch, before any update: the yardstick for divergence.
    double reference_loss = 0;
    double elapsed_s = 0, train_s = 0;  // wall time so far, and the steps' share of it
    // How batches are drawn: "book" (np.random.choice from one generator) or
    // "stratified" (a distributed run's, train/sampler.hpp); batch is then the global batch.
    std::string sampler = "book";
};

namespace detail::run_state {
inline constexpr std::uint32_t version = 3;  // 3 added the sampler, 2 lr_now; 1 and 2 are still read
}

// The "run" checkpoint section of state.
inline CheckpointSection run_section(const RunState& s) {
    namespace ck = detail::checkpoint;
    std::string out;
    ck::put(out, detail::run_state::version);
    for (const std::uint64_t v : {s.iters, s.seed, s.batch}) ck::put(out, v);
    ck::put(out, s.lr);
    ck::put(out, s.weight_decay);
    ck::put(out, s.lr_now);
    ck::put_string(out, s.data);
    for (const std::uint64_t v : {s.train_size, s.test_size, s.data_fingerprint, s.step}) ck::put(out, v);
    for (const std::uint64_t w : s.rng) ck::put(out, w);
    for (const double v : {s.reference_loss, s.elapsed_s, s.train_s}) ck::put(out, v);
    ck::put(out, static_cast<std::uint64_t>(s.epochs.size()));
    for (const EpochMetrics& e : s.epochs) {
        ck::put(out, static_cast<std::uint64_t>(e.epoch));
        ck::put(out, static_cast<std::uint64_t>(e.iteration));
        for (const double v : {e.train_loss, e.train_acc, e.test_loss, e.test_acc, e.seconds}) ck::put(out, v);
    }
    ck::put_string(out, s.sampler);
    return {"run", out};
}

// The RunState in a checkpoint's sections. Throws ctnet::Error naming `path`
// if there is none (a checkpoint saved without a run) or it is malformed.
inline RunState parse_run_section(const std::vector<CheckpointSection>& sections, const std::filesystem::path& path) {
    const CheckpointSection* section = find_section(sections, "run");
    if (!section)
        throw Error("checkpoint " + path.string() +
                    " holds no training run to resume (it was saved by save_checkpoint alone, or by an older ctnet)");
    detail::checkpoint::Reader r(section->bytes, "checkpoint " + path.string() + ", run section");
    const auto version = r.get<std::uint32_t>("version");
    if (version < 1 || version > detail::run_state::version)
        r.fail("run state version " + std::to_string(version) + ", this ctnet reads versions 1 to " +
               std::to_string(detail::run_state::version));
    RunState s;
    for (std::uint64_t* v : {&s.iters, &s.seed, &s.batch}) *v = r.get<std::uint64_t>("settings");
    s.lr = r.get<double>("learning rate");
    s.weight_decay = r.get<double>("weight decay");
    s.lr_now = version >= 2 ? r.get<double>("learning rate now") : s.lr;
    s.data = r.get_string("data");
    for (std::uint64_t* v : {&s.train_size, &s.test_size, &s.data_fingerprint, &s.step}) *v = r.get<std::uint64_t>("position");
    for (std::uint64_t& w : s.rng) w = r.get<std::uint64_t>("random state");
    for (double* v : {&s.reference_loss, &s.elapsed_s, &s.train_s}) *v = r.get<double>("times");
    const auto n = r.get<std::uint64_t>("epoch count");
    // Each epoch takes 56 bytes: a count the section cannot hold is refused before allocating.
    if (n > r.left() / 56) r.fail("claims " + std::to_string(n) + " epochs, more than it holds");
    s.epochs.resize(static_cast<std::size_t>(n));
    for (EpochMetrics& e : s.epochs) {
        e.epoch = static_cast<std::size_t>(r.get<std::uint64_t>("epoch"));
        e.iteration = static_cast<std::size_t>(r.get<std::uint64_t>("iteration"));
        for (double* v : {&e.train_loss, &e.train_acc, &e.test_loss, &e.test_acc, &e.seconds}) *v = r.get<double>("metrics");
    }
    if (version >= 3) s.sampler = r.get_string("sampler");
    r.expect_end(version >= 3 ? "the sampler" : "the last epoch");
    if (s.step > s.iters || s.batch == 0 || !(s.lr > 0) || !(s.lr_now > 0))
        r.fail("inconsistent run state (step " + std::to_string(s.step) + " of " + std::to_string(s.iters) + ")");
    return s;
}

// The run state stored in a checkpoint file, read without a model: what a
// program needs to rebuild the run (its data, seed, learning rate) before
// it resumes it.
inline RunState read_run_state(const std::filesystem::path& checkpoint) {
    return parse_run_section(read_checkpoint_sections(checkpoint), checkpoint);
}

// For --resume: the settings of the run whose checkpoint is options.out/model.ckpt
// (data, steps, optimizer, rate, weight decay, seed) replace those in options.
//
//     if (options.output == ctnet::OutputPolicy::resume) ctnet::take_resumed_settings(options);
//
// In a distributed run (comm set) rank 0 reads the file and sends it to the
// others, which need not see it.
inline void take_resumed_settings(TrainOptions& options, Communicator* comm = nullptr) {
    const auto checkpoint = options.out / "model.ckpt";
    std::string bytes;
    const auto read = [&] { bytes = read_regular_file(checkpoint, std::size_t(1) << 32); };
    if (comm) {
        collectively(*comm, [&] {
            if (comm->rank() == 0) read();
        });
        bytes = broadcast_string(*comm, std::move(bytes), 0);
    } else {
        read();
    }
    const auto sections = detail::checkpoint::parse(bytes, "checkpoint " + checkpoint.string()).sections;
    const RunState run = parse_run_section(sections, checkpoint);
    options.data = run.data;
    options.iters = run.iters;
    options.lr = run.lr;
    options.weight_decay = run.weight_decay;
    options.seed = run.seed;
    // The option's name of the optimizer whose state was saved ("Adam" -> "adam").
    std::string name = saved_optimizer_name(sections);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!name.empty()) options.optimizer = name;
}

}  // namespace ctnet
