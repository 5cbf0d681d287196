// options.cpp — the training programs' command line: a handful of flags, each validated.
#include "ctnet/train/options.hpp"

#include <csignal>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "ctnet/config.hpp"

namespace ctnet {

namespace {
// A rate as people write it: 0.1, 0.001, 1e-05.
std::string fmt_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace

std::string train_usage(const std::string& program, const TrainOptions& defaults) {
    double default_lr = defaults.lr;
    for (const auto& [name, rate] : optimizer_defaults)
        if (defaults.optimizer == name) default_lr = rate;
    return "usage: " + program +
           " [--data DIR|bundled|fashion] [--iters N] [--optimizer NAME] [--lr X]\n"
           "       [--weight-decay X] [--seed N] [--out DIR] [--threads N] [--eval-samples N]"
           " [--resume | --overwrite] [--quiet]\n"
           "       [--distributed [--timeout S]]\n"
           "\n"
           "Trains the program's network with mini-batches (the book's training loop), reporting\n"
           "loss and accuracy on the training and test sets every epoch.\n"
           "\n"
           "  --data DIR   a directory with the four MNIST files (train-images-idx3-ubyte[.gz], ...);\n"
           "               'bundled' (the default): 8,000/2,000 real MNIST digits shipped with ctnet;\n"
           "               'fashion': Fashion-MNIST from " + fashion_mnist_dir.string() + "\n"
           "  --iters N    mini-batch steps (default " +
           (defaults.iters ? std::to_string(defaults.iters) : std::string("20 epochs")) + ")\n"
           "  --optimizer NAME  sgd, momentum, nesterov, adagrad, rmsprop or adam (default " +
           defaults.optimizer + ")\n"
           "  --lr X       learning rate (default " + fmt_number(default_lr) + "; without --lr each optimizer takes its\n"
           "               own: sgd 0.1, as the book's chapter 5, adam 0.001, the others 0.01)\n"
           "  --weight-decay X  the L2 penalty's lambda, 0.5 X sum W^2 on the loss (default 0)\n"
           "  --seed N     seed of the initial weights and the batch sampling (default 0)\n"
           "  --out DIR    where metrics.csv, training.svg and model.ckpt go (default out);\n"
           "               the checkpoint is rewritten every epoch and on Ctrl-C\n"
           "  --threads N  threads for the steps and evaluations (default 0: every core); the\n"
           "               results are the same, bit for bit, for every count\n"
           "  --eval-samples N  measure each epoch on the first N samples of each set, as the\n"
           "               book's Trainer (default " +
           (defaults.eval_samples ? std::to_string(defaults.eval_samples) : std::string("0: all of them")) +
           "); the last measurement takes all\n"
           "  --resume     continue the interrupted run whose checkpoint is in --out, with its\n"
           "               settings; the result is the same as an uninterrupted run, bit for bit\n"
           "  --overwrite  replace another run's files in --out (without it, or --resume, a run\n"
           "               refuses an --out that holds them)\n"
           "  --quiet      print only the final JSON summary\n"
           "  --distributed  train on the ranks of an MPI job (mpirun -np N PROGRAM --distributed),\n"
           "               each on its shard of the data, the book's batch split among them; rank 0\n"
           "               prints and writes the files (docs/distributed.md)\n"
           "  --timeout S  with --distributed: end every rank when the others have not answered in\n"
           "               S seconds (a rank died or hung; default " + fmt_number(defaults.distributed_timeout_s) + ")\n"
           "  --help       this text\n";
}

namespace {

// The defaults the program set before parsing, for the usage text.
thread_local TrainOptions program_defaults;

[[noreturn]] void bad(const std::string& program, const std::string& why) {
    throw Error(why + "\n" + train_usage(program, program_defaults));
}

// Digits only: strtoull alone would take " -1" (leading space, then a minus) as 2^64 - 1.
std::uint64_t parse_count(const std::string& program, std::string_view flag, const std::string& v, std::uint64_t max) {
    bool digits = !v.empty();
    for (const char c : v) digits = digits && c >= '0' && c <= '9';
    errno = 0;
    const unsigned long long n = digits ? std::strtoull(v.c_str(), nullptr, 10) : 0;
    if (!digits || errno != 0 || n > max)
        bad(program, std::string(flag) + " takes a whole number up to " + std::to_string(max) + ", not '" + v + "'");
    return n;
}

bool parse_bool(const std::string& program, std::string_view flag, const std::string& v) {
    if (v == "yes" || v == "true" || v == "1" || v == "on") return true;
    if (v == "no" || v == "false" || v == "0" || v == "off") return false;
    bad(program, std::string(flag) + " takes yes or no (true/false, 1/0), not '" + v + "'");
}

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int sig) {
    interrupted.store(true);
    // The next one is not caught: a second Ctrl-C ends the process at once.
    std::signal(sig, SIG_DFL);
}

}  // namespace

const std::atomic<bool>* interrupt_flag() {
    static const bool installed = [] {
        std::signal(SIGINT, on_interrupt);
        std::signal(SIGTERM, on_interrupt);
        return true;
    }();
    (void)installed;
    return &interrupted;
}

bool parse_train_options(int argc, const char* const* argv, const std::filesystem::path& bundled,
                         TrainOptions& options) {
    const std::string program = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "train";
    program_defaults = options;
    options.data = bundled;
    options.threads = 0;
    bool resume = false, overwrite = false;
    std::string setting;  // the first flag given that a resumed run takes from its checkpoint
    bool lr_given = false;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i], value;
        const auto eq = flag.find('=');
        const bool has_inline = flag.rfind("--", 0) == 0 && eq != std::string::npos;
        if (has_inline) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        }
        // A value that is itself an option means the value was forgotten:
        // `--data --iters 5` must not read "--iters" as the directory.
        auto take = [&]() -> std::string {
            if (has_inline) return value;
            if (i + 1 >= argc) bad(program, flag + " needs a value");
            const std::string next = argv[i + 1];
            if (next.rfind("--", 0) == 0)
                bad(program, flag + " needs a value, but the next argument is the option '" + next +
                                 "' (write " + flag + "=" + next + " if that is really the value)");
            return argv[++i];
        };
        auto boolean = [&]() { return has_inline ? parse_bool(program, flag, value) : true; };
        if (setting.empty() &&
            (flag == "--data" || flag == "--iters" || flag == "--lr" || flag == "--seed" || flag == "--optimizer" ||
             flag == "--weight-decay"))
            setting = flag;
        if (flag == "--help" || flag == "-h") {
            std::fputs(train_usage(program, program_defaults).c_str(), stdout);
            return false;
        } else if (flag == "--quiet") {
            options.quiet = boolean();
        } else if (flag == "--resume") {
            resume = boolean();
        } else if (flag == "--overwrite") {
            overwrite = boolean();
        } else if (flag == "--data") {
            const std::string d = take();
            options.data = d == "bundled" ? bundled : d == "fashion" ? fashion_mnist_dir : std::filesystem::path(d);
        } else if (flag == "--iters") {
            options.iters = parse_count(program, flag, take(), 1'000'000'000);
        } else if (flag == "--seed") {
            options.seed = parse_count(program, flag, take(), UINT64_MAX);
        } else if (flag == "--optimizer") {
            const std::string v = take();
            std::string known;
            for (const auto& [name, rate] : optimizer_defaults) known += std::string(known.empty() ? "" : ", ") + name;
            bool found = false;
            for (const auto& [name, rate] : optimizer_defaults) found = found || v == name;
            if (!found) bad(program, "--optimizer takes one of " + known + ", not '" + v + "'");
            options.optimizer = v;
        } else if (flag == "--lr") {
            lr_given = true;
            const std::string v = take();
            char* end = nullptr;
            const double lr = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0' || !std::isfinite(lr) || lr <= 0)
                bad(program, "--lr takes a positive number, not '" + v + "'");
            // The networks compute in float: a rate below its smallest normal
            // number would round to zero (or lose precision) and train nothing.
            if (lr < std::numeric_limits<float>::min())
                bad(program, "--lr " + v + " is too small: the network computes in float, whose smallest normal "
                             "number is 1.2e-38, so the rate would round to zero and train nothing");
            options.lr = lr;
        } else if (flag == "--weight-decay") {
            const std::string v = take();
            char* end = nullptr;
            const double wd = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0' || !std::isfinite(wd) || wd < 0)
                bad(program, "--weight-decay takes a number of at least 0, not '" + v + "'");
            options.weight_decay = wd;
        } else if (flag == "--threads") {
            options.threads = parse_count(program, flag, take(), 1024);
        } else if (flag == "--eval-samples") {
            options.eval_samples = parse_count(program, flag, take(), 1'000'000'000);
        } else if (flag == "--distributed") {
            options.distributed = boolean();
        } else if (flag == "--timeout") {
            const std::string v = take();
            char* end = nullptr;
            const double t = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0' || !std::isfinite(t) || t <= 0)
                bad(program, "--timeout takes a positive number of seconds, not '" + v + "'");
            options.distributed_timeout_s = t;
        } else if (flag == "--out") {
            options.out = take();
        } else {
            bad(program, "unknown option '" + std::string(argv[i]) + "'");
        }
    }
    if (resume && overwrite) bad(program, "--resume and --overwrite contradict each other: choose one");
    if (resume && !setting.empty())
        bad(program, "--resume continues the run with the settings in its checkpoint; leave out " + setting);
    if (!lr_given)
        for (const auto& [name, rate] : optimizer_defaults)
            if (options.optimizer == name) options.lr = rate;
    options.output = resume ? OutputPolicy::resume : overwrite ? OutputPolicy::overwrite : OutputPolicy::fresh;
    return true;
}

}  // namespace ctnet
