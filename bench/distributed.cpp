// distributed.cpp — what distributed training costs on this machine, and a model of it on clusters.
//
//     mpirun -np 2 build/bench/bench_distributed_avx512
//
// In one run (every figure a median over rounds, ranks on their own cores):
//  1. the allreduce of the gradients of TwoLayerNet (784-50-10: 39,760 floats)
//     and of 784-1024-10 (814,090), through ctnet's shared-memory sum and
//     through MPI_Allreduce (Open MPI's shared-memory transport);
//  2. TwoLayerNet's SGD step at global batches 100, 200 and 1000: on one
//     rank (the one-process step, Model::sgd_step) and split across the job's
//     ranks (gradient of the rank's share, the allreduce, the update);
//  3. from the measured per-rank compute and a ring allreduce's alpha-beta
//     cost, the efficiency on 8, 64 and 512 machines over 25 GbE and 100 Gb/s
//     InfiniBand, and the smallest per-rank batch that keeps it above 90%.
#include <fmt/core.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <ctnet/ctnet.hpp>
#include <ctnet/distributed/mpi.hpp>
#include <memory>
#include <span>
#include <vector>

#include "support.hpp"

namespace {

using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>,
                                      ctnet::SoftmaxWithLoss>;
using WideNet = ctnet::Sequential<ctnet::Affine<784, 1024>, ctnet::Relu, ctnet::Affine<1024, 10>,
                                  ctnet::SoftmaxWithLoss>;

ctnet::MpiCommunicator& comm = ctnet::mpi_world();
constexpr int rounds = 15;

// Seconds per call of f run by every rank together: each round starts
// together, is as slow as its slowest rank, and repeats f `reps` times; the median round.
template <class F>
double together_s(F&& f, int reps) {
    f();  // warm
    std::vector<double> times;
    for (int round = 0; round < rounds; ++round) {
        std::uint64_t sync = 0;
        comm.allreduce_max(std::span(&sync, 1));
        const auto t0 = std::chrono::steady_clock::now();
        for (int r = 0; r < reps; ++r) f();
        std::uint64_t ns = static_cast<std::uint64_t>(
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / reps);
        comm.allreduce_max(std::span(&ns, 1));
        times.push_back(static_cast<double>(ns) * 1e-9);
    }
    return bench::median(times);
}

// Seconds per call of f on rank 0 alone (the others wait), sent to every rank.
template <class F>
double rank0_s(F&& f) {
    double s = 0;
    if (comm.rank() == 0) s = bench::median_ns(f, rounds) * 1e-9;
    comm.broadcast(std::span(reinterpret_cast<char*>(&s), sizeof s), 0);
    return s;
}

// A batch of B random inputs and labels.
template <class Model>
struct Batch {
    std::unique_ptr<typename Model::Input> x = std::make_unique<typename Model::Input>();
    std::array<std::uint32_t, Model::batch> t{};
    Batch() {
        ctnet::Rng rng(comm.rank() + 1);
        for (std::size_t i = 0; i < Model::batch; ++i) {
            for (std::size_t j = 0; j < Model::input_width; ++j) (*x)(i, j) = static_cast<float>(rng.uniform());
            t[i] = static_cast<std::uint32_t>(rng.below(Model::output_width));
        }
    }
};

template <class Net>
std::size_t gradient_floats() {
    ctnet::Model<Net, float, 1> m;
    return ctnet::FusionBuffer<float>(m, 0).params().size();
}

// The allreduce as a step calls it: ctnet's sums the values in place in
// shared memory (allreduce_sum_view on sum_slot); MPI's, MPI_Allreduce.
double allreduce_s(std::size_t floats, bool shared) {
    comm.shared_memory = shared;
    std::vector<float> v(floats + 2, 1.0f);
    std::span<float> into = v;
    if (const std::span<float> slot = comm.sum_slot(v.size()); !slot.empty()) into = slot;
    // Each time the values are written first, as a step's packing writes
    // them: summing the same lines again would find them already shared.
    float x = 1;
    const double s = together_s(
        [&] {
            std::fill(into.begin(), into.end(), x += 1);
            bench::keep(comm.allreduce_sum_view(into).data());
        },
        floats > 100000 ? 10 : 100);
    comm.shared_memory = true;
    return s;
}

// One rank's distributed step on a model of B rows: the gradient of its
// share, packed, summed over the ranks (unless `sum` is false: the compute
// alone), and the SGD update from the sums: what ctnet::train does per step.
// The compute alone packs into the buffer's own memory.
template <class Net, std::size_t B>
auto distributed_step(std::size_t share, std::size_t global, bool sum) {
    using Model = ctnet::Model<Net, float, B>;
    struct State {
        std::unique_ptr<Model> model = std::make_unique<Model>(ctnet::Init::he(), 1);
        Batch<Model> batch;
        ctnet::FusionBuffer<float> fusion{*model, 2};
        ctnet::Sgd sgd{0.01};
    };
    auto state = std::make_shared<State>();
    const float scale = static_cast<float>(share) / static_cast<float>(global);
    return [state, share, scale, sum] {
        State& s = *state;
        const float loss =
            s.model->gradient(*s.batch.x, std::span<const std::uint32_t>(s.batch.t.data(), share), share);
        // As ctnet::train does it: into the shared slot, the update from where the sum lands.
        std::span<float> into = s.fusion.all();
        if (const std::span<float> slot = comm.sum_slot(into.size()); sum && !slot.empty()) into = slot;
        s.fusion.pack_gradients(*s.model, scale, into);
        into[s.fusion.extra_at(0)] = loss * scale;
        const std::span<const float> sums = sum ? comm.allreduce_sum_view(into) : std::span<const float>(into);
        s.fusion.sgd_update(*s.model, static_cast<float>(s.sgd.lr), sums);
    };
}

// The one-process step on a model of B rows: Model::sgd_step (the update fused), rank 0 alone.
template <class Net, std::size_t B>
double one_process_step_s() {
    using Model = ctnet::Model<Net, float, B>;
    auto model = std::make_unique<Model>(ctnet::Init::he(), 1);
    Batch<Model> batch;
    return rank0_s([&] { bench::keep(model->sgd_step(*batch.x, batch.t, 0.01f)); });
}

struct StepRow {
    std::size_t global;
    double one, split, compute;  // seconds: one process; split across the ranks; its compute alone
};

template <std::size_t G>
StepRow step_row() {
    const double one = one_process_step_s<TwoLayerNet, G>();
    const int reps = std::max(1, static_cast<int>(2e-3 / one));
    const auto measure = [&](auto share_c) {
        constexpr std::size_t share = decltype(share_c)::value;
        const double split = together_s(distributed_step<TwoLayerNet, share>(share, G, true), reps);
        const double compute = together_s(distributed_step<TwoLayerNet, share>(share, G, false), reps);
        return StepRow{G, one, split, compute};
    };
    if (comm.size() == 1) return measure(std::integral_constant<std::size_t, G>{});
    return measure(std::integral_constant<std::size_t, G / 2>{});
}

// A network's per-rank compute at per-rank batch b (rank 0 alone), for the cluster model.
template <class Net, std::size_t... B>
std::vector<std::pair<double, double>> compute_curve() {
    std::vector<std::pair<double, double>> curve;
    ((curve.emplace_back(double(B), rank0_s(distributed_step<Net, B>(B, B * 8, false)))), ...);
    return curve;
}

// Per-rank compute at batch b: interpolated between the measured batches, linear past the last.
double compute_at(const std::vector<std::pair<double, double>>& curve, double b) {
    std::size_t k = 1;
    while (k + 1 < curve.size() && curve[k].first < b) ++k;
    const auto [b0, t0] = curve[k - 1];
    const auto [b1, t1] = curve[k];
    return std::max(t0 + (t1 - t0) * (b - b0) / (b1 - b0), 0.0);
}

struct Network {
    const char* name;
    double latency_s, bandwidth_bytes_per_s;
};

std::string cpu_name() {
    std::FILE* f = std::fopen("/proc/cpuinfo", "r");
    char line[512];
    std::string name = "unknown CPU";
    while (f && std::fgets(line, sizeof line, f))
        if (std::string_view(line).starts_with("model name")) {
            name = std::string(line).substr(std::string(line).find(':') + 2);
            name.pop_back();
            break;
        }
    if (f) std::fclose(f);
    return name;
}

}  // namespace

int main() {
    const bool print = comm.rank() == 0;
    if (comm.size() > 2) {
        if (print) fmt::print("bench_distributed: run it with 1 or 2 ranks (mpirun -np 2 ...)\n");
        return 1;
    }
    if (print)
        fmt::print("# bench_distributed: {} rank(s), {}, backend {}, 1 thread per rank\n\n", comm.size(), cpu_name(),
                   ctnet::simd::backend_name);

    // 1. The allreduce of the gradients.
    const std::size_t small = gradient_floats<TwoLayerNet>(), wide = gradient_floats<WideNet>();
    if (comm.size() > 1) {
        if (print) fmt::print("## allreduce of the gradients (+2 floats: loss, stop), {} ranks, each time "
                              "after writing the values (as packing them does)\n\n"
                              "| gradients | floats | ctnet (shared memory) us | MPI_Allreduce us | MPI / ctnet |\n"
                              "|---|---|---|---|---|\n", comm.size());
        for (const auto& [name, floats] : {std::pair{"784-50-10", small}, std::pair{"784-1024-10", wide}}) {
            const double ours = allreduce_s(floats, true), mpi = allreduce_s(floats, false);
            if (print) fmt::print("| {} | {} | {:.1f} | {:.1f} | {:.2f} |\n", name, floats, ours * 1e6, mpi * 1e6, mpi / ours);
        }
    }

    // 2. TwoLayerNet's step, one process against the job's ranks.
    if (print) fmt::print("\n## TwoLayerNet SGD step: one process against {} rank(s) with the same global batch\n\n"
                          "| global batch | one process us | {} ranks us | of which compute us | allreduce share | speed-up |\n"
                          "|---|---|---|---|---|---|\n", comm.size(), comm.size());
    for (const StepRow& r : {step_row<100>(), step_row<200>(), step_row<1000>()})
        if (print)
            fmt::print("| {} | {:.1f} | {:.1f} | {:.1f} | {:.0f}% | {:.2f}x |\n", r.global, r.one * 1e6, r.split * 1e6,
                       r.compute * 1e6, 100 * (r.split - r.compute) / r.split, r.one / r.split);

    // 3. The cluster model: ring allreduce, 2 (p - 1) messages of n / p floats each way.
    const auto curve_small = compute_curve<TwoLayerNet, 10, 30, 100, 300, 1000>();
    const auto curve_wide = compute_curve<WideNet, 10, 30, 100, 300, 1000>();
    if (!print) return 0;
    const Network networks[] = {{"25 GbE (TCP)", 25e-6, 25e9 / 8}, {"100 Gb/s InfiniBand", 2e-6, 100e9 / 8}};
    fmt::print("\n## Per-rank compute of a step (gradient, pack, update from the sums; rank 0 alone)\n\n"
               "| per-rank batch | 784-50-10 us | 784-1024-10 us |\n|---|---|---|\n");
    for (std::size_t k = 0; k < curve_small.size(); ++k)
        fmt::print("| {:.0f} | {:.1f} | {:.1f} |\n", curve_small[k].first, curve_small[k].second * 1e6,
                   curve_wide[k].second * 1e6);
    fmt::print("\n## Model: efficiency = compute / (compute + ring allreduce), no overlap\n\n"
               "Ring allreduce of n bytes on p machines: 2 (p - 1) (alpha + n / (p beta)). 25 GbE: alpha 25 us, "
               "beta 3.1 GB/s; 100 Gb/s InfiniBand: alpha 2 us, beta 12.5 GB/s.\n\n"
               "| network | gradients | machines | allreduce us | efficiency at per-rank batch 100 | smallest per-rank batch for 90% |\n"
               "|---|---|---|---|---|---|\n");
    for (const Network& net : networks)
        for (const auto& [name, floats, curve] :
             {std::tuple{"784-50-10", small, &curve_small}, std::tuple{"784-1024-10", wide, &curve_wide}})
            for (const double p : {8.0, 64.0, 512.0}) {
                const double bytes = 4.0 * static_cast<double>(floats + 2);
                const double ar = 2 * (p - 1) * (net.latency_s + bytes / (p * net.bandwidth_bytes_per_s));
                const double at100 = compute_at(*curve, 100);
                double b = 1;
                while (b < 1e6 && compute_at(*curve, b) < 9 * ar) b = std::ceil(b * 1.05);
                fmt::print("| {} | {} | {:.0f} | {:.0f} | {:.0f}% | {} |\n", net.name, name, p, ar * 1e6,
                           100 * at100 / (at100 + ar), b >= 1e6 ? std::string("none") : fmt::format("{:.0f}", b));
            }
    return 0;
}
