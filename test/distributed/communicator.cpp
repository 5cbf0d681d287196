// Tests for distributed/communicator.hpp on a run of one (test/distributed/mpi.cpp runs the MPI ranks).
#include "ctnet/distributed/communicator.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

BOOST_AUTO_TEST_SUITE(communicator)

BOOST_AUTO_TEST_CASE(a_solo_run_is_rank_0_of_1) {
    ctnet::SoloCommunicator solo;
    BOOST_TEST(solo.rank() == 0u);
    BOOST_TEST(solo.size() == 1u);
    float v[3] = {1, 2, 3};
    solo.allreduce_sum(std::span<float>(v));
    BOOST_TEST(v[2] == 3.0f);
    BOOST_TEST(ctnet::broadcast_string(solo, "abc", 0) == "abc");
}

// collectively turns an error into one every rank throws, naming the rank;
// one that was already collective keeps its message.
BOOST_AUTO_TEST_CASE(collectively_names_the_failing_rank) {
    ctnet::SoloCommunicator solo;
    int ran = 0;
    ctnet::collectively(solo, [&] { ++ran; });
    BOOST_TEST(ran == 1);
    BOOST_CHECK_EXCEPTION(ctnet::collectively(solo, [] { throw ctnet::Error("no such file"); }), ctnet::CollectiveError,
                          [](const ctnet::Error& e) { return std::string(e.what()) == "rank 0: no such file"; });
    BOOST_CHECK_EXCEPTION(ctnet::collectively(solo, [] { throw ctnet::CollectiveError("rank 3: gone"); }),
                          ctnet::CollectiveError,
                          [](const ctnet::Error& e) { return std::string(e.what()) == "rank 3: gone"; });
    BOOST_CHECK_EXCEPTION(ctnet::collectively(solo, [] { throw 42; }), ctnet::CollectiveError,
                          [](const ctnet::Error& e) { return std::string(e.what()).find("rank 0: ") == 0; });
}

BOOST_AUTO_TEST_SUITE_END()
