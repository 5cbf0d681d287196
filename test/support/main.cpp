// main.cpp — the Boost.Test entry point, compiled once and linked into every test program.
#define BOOST_TEST_MODULE ctnet
#include <boost/test/unit_test.hpp>
