// Tests for train/options.hpp: every flag, and clear errors for everything else.
#include "ctnet/train/options.hpp"

#include <boost/test/unit_test.hpp>

#include <initializer_list>
#include <cstdint>
#include <string>
#include <vector>

#include "ctnet/config.hpp"

namespace {
ctnet::TrainOptions parse(std::initializer_list<const char*> args) {
    std::vector<const char*> argv{"train_neuralnet"};
    argv.insert(argv.end(), args);
    ctnet::TrainOptions o;
    ctnet::parse_train_options(static_cast<int>(argv.size()), argv.data(), "/bundled", o);
    return o;
}
bool mentions(const ctnet::Error& e, const char* text) { return std::string(e.what()).find(text) != std::string::npos; }
}  // namespace

BOOST_AUTO_TEST_SUITE(train_options)

BOOST_AUTO_TEST_CASE(defaults_are_the_book_hyperparameters) {
    const auto o = parse({});
    BOOST_TEST(o.data == "/bundled");
    BOOST_TEST(o.iters == 10000u);
    BOOST_TEST(o.lr == 0.1);
    BOOST_TEST(o.seed == 0u);
    BOOST_TEST(!o.quiet);
    BOOST_TEST(o.threads.value_or(99) == 0u);  // the programs: every core
    BOOST_TEST(!ctnet::TrainOptions{}.threads);              // the API: what the program set
}

BOOST_AUTO_TEST_CASE(threads_are_a_count_and_allowed_when_resuming) {
    BOOST_TEST(parse({"--threads", "2"}).threads.value_or(99) == 2u);
    BOOST_TEST(parse({"--threads=1"}).threads.value_or(99) == 1u);
    BOOST_TEST(parse({"--resume", "--threads", "3"}).threads.value_or(99) == 3u);  // the result does not depend on it
    BOOST_CHECK_EXCEPTION(parse({"--threads", "two"}), ctnet::Error,
                          [](const ctnet::Error& e) { return mentions(e, "--threads takes a whole number up to 1024"); });
    BOOST_CHECK_EXCEPTION(parse({"--threads", "5000"}), ctnet::Error,
                          [](const ctnet::Error& e) { return mentions(e, "--threads takes a whole number up to 1024"); });
}

BOOST_AUTO_TEST_CASE(every_flag_in_both_spellings) {
    const auto o = parse({"--data", "fashion", "--iters=250", "--lr", "0.05", "--seed=7", "--out", "/tmp/x", "--quiet"});
    BOOST_TEST(o.data == ctnet::fashion_mnist_dir);
    BOOST_TEST(o.iters == 250u);
    BOOST_TEST(o.lr == 0.05);
    BOOST_TEST(o.seed == 7u);
    BOOST_TEST(o.out == "/tmp/x");
    BOOST_TEST(o.quiet);
    BOOST_TEST(parse({"--data", "bundled"}).data == "/bundled");
    BOOST_TEST(parse({"--data=/home/me/mnist"}).data == "/home/me/mnist");
}

BOOST_AUTO_TEST_CASE(mistakes_are_explained_with_the_usage) {
    using E = ctnet::Error;
    BOOST_CHECK_EXCEPTION(parse({"--itters", "5"}), E, [](const E& e) { return mentions(e, "unknown option '--itters'") && mentions(e, "usage:"); });
    BOOST_CHECK_EXCEPTION(parse({"--iters", "-3"}), E, [](const E& e) { return mentions(e, "--iters takes a whole number"); });
    BOOST_CHECK_EXCEPTION(parse({"--iters", "12abc"}), E, [](const E& e) { return mentions(e, "'12abc'"); });
    BOOST_CHECK_EXCEPTION(parse({"--lr", "0"}), E, [](const E& e) { return mentions(e, "--lr takes a positive number"); });
    BOOST_CHECK_EXCEPTION(parse({"--lr", "nan"}), E, [](const E& e) { return mentions(e, "--lr"); });
    BOOST_CHECK_EXCEPTION(parse({"--out"}), E, [](const E& e) { return mentions(e, "--out needs a value"); });
    // strtoull alone takes " -1" (a space, then a minus) as 2^64 - 1.
    BOOST_CHECK_EXCEPTION(parse({"--seed", " -1"}), E, [](const E& e) { return mentions(e, "--seed takes a whole number"); });
    BOOST_CHECK_EXCEPTION(parse({"--seed", "+5"}), E, [](const E& e) { return mentions(e, "'+5'"); });
    BOOST_CHECK_EXCEPTION(parse({"--seed", "18446744073709551616"}), E, [](const E& e) { return mentions(e, "--seed"); });
    BOOST_TEST(parse({"--seed", "18446744073709551615"}).seed == UINT64_MAX);
    // A forgotten value must not swallow the next option.
    BOOST_CHECK_EXCEPTION(parse({"--data", "--iters", "5"}), E, [](const E& e) {
        return mentions(e, "--data needs a value, but the next argument is the option '--iters'");
    });
    BOOST_TEST(parse({"--out=--odd"}).out == "--odd");  // said explicitly, it is a value
    // 1e-320 is a double, but 0 in the float the network computes in.
    BOOST_CHECK_EXCEPTION(parse({"--lr", "1e-320"}), E, [](const E& e) { return mentions(e, "is too small"); });
    BOOST_TEST(parse({"--lr", "1e-30"}).lr == 1e-30);
}

BOOST_AUTO_TEST_CASE(each_optimizer_starts_from_its_own_default_rate) {
    BOOST_TEST(parse({}).optimizer == "sgd");
    BOOST_TEST(parse({}).lr == 0.1);  // the book's chapter 5
    BOOST_TEST(parse({"--optimizer", "adam"}).lr == 0.001);
    BOOST_TEST(parse({"--optimizer=rmsprop"}).lr == 0.01);
    BOOST_TEST(parse({"--optimizer", "momentum", "--lr", "0.05"}).lr == 0.05);  // a given rate wins
    BOOST_TEST(parse({"--lr", "0.05", "--optimizer", "nesterov"}).lr == 0.05);  // in either order
    BOOST_CHECK_EXCEPTION(parse({"--optimizer", "lbfgs"}), ctnet::Error, [](const ctnet::Error& e) {
        return mentions(e, "--optimizer takes one of sgd, momentum, nesterov, adagrad, rmsprop, adam, not 'lbfgs'");
    });
    BOOST_TEST(parse({"--weight-decay", "0.1"}).weight_decay == 0.1);
    BOOST_TEST(parse({}).weight_decay == 0.0);
    BOOST_CHECK_EXCEPTION(parse({"--weight-decay", "-1"}), ctnet::Error,
                          [](const ctnet::Error& e) { return mentions(e, "--weight-decay takes a number of at least 0"); });
    BOOST_CHECK_EXCEPTION(parse({"--resume", "--optimizer", "adam"}), ctnet::Error,
                          [](const ctnet::Error& e) { return mentions(e, "leave out --optimizer"); });
}

BOOST_AUTO_TEST_CASE(boolean_flags_mean_what_their_values_say) {
    BOOST_TEST(parse({"--quiet"}).quiet);
    BOOST_TEST(parse({"--quiet=yes"}).quiet);
    BOOST_TEST(parse({"--quiet=1"}).quiet);
    BOOST_TEST(!parse({"--quiet=no"}).quiet);
    BOOST_TEST(!parse({"--quiet=false"}).quiet);
    BOOST_TEST(!parse({"--quiet", "--quiet=0"}).quiet);
    BOOST_CHECK_EXCEPTION(parse({"--quiet=maybe"}), ctnet::Error, [](const ctnet::Error& e) { return mentions(e, "--quiet takes yes or no"); });
}

BOOST_AUTO_TEST_CASE(resume_and_overwrite_choose_what_happens_to_another_runs_files) {
    BOOST_TEST((parse({}).output == ctnet::OutputPolicy::fresh));
    BOOST_TEST((parse({"--overwrite"}).output == ctnet::OutputPolicy::overwrite));
    BOOST_TEST((parse({"--resume"}).output == ctnet::OutputPolicy::resume));
    BOOST_TEST((parse({"--resume=no"}).output == ctnet::OutputPolicy::fresh));
    using E = ctnet::Error;
    BOOST_CHECK_EXCEPTION(parse({"--resume", "--overwrite"}), E, [](const E& e) { return mentions(e, "contradict"); });
    // A resumed run takes its settings from its checkpoint, so giving them is a mistake.
    BOOST_CHECK_EXCEPTION(parse({"--resume", "--lr", "0.5"}), E, [](const E& e) { return mentions(e, "leave out --lr"); });
    BOOST_CHECK_EXCEPTION(parse({"--data=fashion", "--resume"}), E, [](const E& e) { return mentions(e, "leave out --data"); });
}

BOOST_AUTO_TEST_CASE(help_describes_every_flag) {
    const std::string u = ctnet::train_usage("train_neuralnet");
    for (const char* flag : {"--data", "--iters", "--optimizer", "--lr", "--weight-decay", "--seed", "--out", "--resume", "--overwrite", "--quiet",
                             "--threads", "--help"})
        BOOST_TEST(u.find(flag) != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
