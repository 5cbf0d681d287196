// Tests for io/atomic_file.hpp: whole files or nothing, old contents kept on failure.
#include "ctnet/io/atomic_file.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "ctnet/config.hpp"
#include "../support/files.hpp"

namespace fs = std::filesystem;

using ctnet::test::TempDir;
using ctnet::test::read_text;

BOOST_AUTO_TEST_SUITE(atomic_file)

BOOST_AUTO_TEST_CASE(writes_and_replaces_whole_files) {
    TempDir dir;
    const auto file = dir.path / "metrics.csv";
    ctnet::write_file_atomically(file, "epoch,acc\n1,0.5\n");
    BOOST_TEST(read_text(file) == "epoch,acc\n1,0.5\n");
    const std::string big(3 << 20, 'x');
    ctnet::write_file_atomically(file, big);
    BOOST_TEST(read_text(file) == big);
    BOOST_TEST(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 1);
}

BOOST_AUTO_TEST_CASE(a_failure_names_the_path_and_keeps_the_old_file) {
    TempDir dir;
    const auto file = dir.path / "plot.svg";
    ctnet::write_file_atomically(file, "old");
    // A directory where the file should go: the rename fails after the data was written.
    const auto blocked = dir.path / "blocked";
    fs::create_directories(blocked / "inside");
    BOOST_CHECK_EXCEPTION(ctnet::write_file_atomically(blocked, "new"), ctnet::Error, [&](const ctnet::Error& e) {
        return std::string(e.what()).find(blocked.string()) != std::string::npos;
    });
    BOOST_CHECK_THROW(ctnet::write_file_atomically(dir.path / "missing" / "x.csv", "new"), ctnet::Error);
    BOOST_TEST(read_text(file) == "old");
    // No temporary file is left behind by either failure.
    BOOST_TEST(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 2);
}

BOOST_AUTO_TEST_SUITE_END()
