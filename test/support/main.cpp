// main.cpp — the Boost.Test entry point, compiled once and linked into every test program.
#define BOOST_TEST_MODULE ctnet
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>

#include "ctnet/parallel/pool.hpp"

namespace {

// CTNET_TEST_THREADS=n runs a program's tests with n threads (ctnet::set_threads):
// test/meson.build runs the matrix and network suites again that way, so
// every product they check is also computed in pieces across threads.
struct Threads {
    Threads() {
        if (const char* n = std::getenv("CTNET_TEST_THREADS")) ctnet::set_threads(std::stoul(n));
    }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(Threads);
