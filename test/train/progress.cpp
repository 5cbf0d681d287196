// Tests for train/progress.hpp: plain epoch lines when the output is not a terminal, silence when quiet.
#include "ctnet/train/progress.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>

#include "ctnet/config.hpp"

namespace {
std::string run(bool quiet) {
    std::FILE* f = std::tmpfile();
    {
        ctnet::Progress p(100, quiet, f);
        for (std::size_t i = 1; i <= 100; ++i) p.step(i, 0.5);
        p.epoch({3, 100, 0.2, 0.95, 0.3, 0.93, 1.0});
        p.finish();
    }
    std::string out(4096, '\0');
    std::rewind(f);
    out.resize(std::fread(out.data(), 1, out.size(), f));
    std::fclose(f);
    return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(train_progress)

BOOST_AUTO_TEST_CASE(a_file_gets_epoch_lines_only) {
    const std::string out = run(false);
    BOOST_TEST(out == "epoch   3  iter    100  train acc 0.9500  test acc 0.9300  train loss 0.2000  test loss 0.3000\n");
}

BOOST_AUTO_TEST_CASE(quiet_prints_nothing) { BOOST_TEST(run(true).empty()); }

BOOST_AUTO_TEST_CASE(output_that_cannot_be_written_is_an_error) {
    // /dev/full takes the buffered write and fails the flush, as a full disk does.
    std::FILE* full = std::fopen("/dev/full", "w");
    BOOST_TEST_REQUIRE(full != nullptr);
    std::fputs("{\"iters\":1}\n", full);
    BOOST_CHECK_EXCEPTION(ctnet::flush_output(full), ctnet::Error, [](const ctnet::Error& e) {
        return std::string(e.what()).find("cannot write the output: No space left on device") != std::string::npos;
    });
    std::fclose(full);
    std::FILE* fine = std::tmpfile();
    std::fputs("ok\n", fine);
    BOOST_CHECK_NO_THROW(ctnet::flush_output(fine));
    std::fclose(fine);
}

BOOST_AUTO_TEST_SUITE_END()
