// Tests for io/atomic_file.hpp: whole files or nothing, old contents kept on failure.
#include "ctnet/io/atomic_file.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

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

BOOST_AUTO_TEST_CASE(a_replaced_file_keeps_its_permissions) {
    TempDir dir;
    const auto file = dir.path / "model.ckpt";
    ctnet::write_file_atomically(file, "one");
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);  // 0600, as a user may set
    ctnet::write_file_atomically(file, "two", ctnet::Durability::atomic_only);
    BOOST_TEST(read_text(file) == "two");
    BOOST_TEST(static_cast<int>(fs::status(file).permissions() & fs::perms::mask) == 0600);
    // A new file gets what a plain create gives: 0666 less the umask.
    const mode_t mask = ::umask(022);
    ctnet::write_file_atomically(dir.path / "new.csv", "x");
    ::umask(mask);
    BOOST_TEST(static_cast<int>(fs::status(dir.path / "new.csv").permissions() & fs::perms::mask) == 0644);
}

BOOST_AUTO_TEST_CASE(stale_temporaries_of_a_killed_writer_are_removed_and_nothing_else) {
    TempDir dir;
    const auto file = dir.path / "metrics.csv";
    for (const char* name : {"metrics.csv.tmp-a1B2c3", "metrics.csv.tmp-ZZZZZZ", "metrics.csv.tmp-abc",
                             "metrics.csv.tmp-abcdefg", "metrics.csv.tmp-ab.cde", "model.ckpt.tmp-a1B2c3",
                             "metrics.csv"})
        ctnet::test::write_bytes(dir.path / name, "x");
    BOOST_TEST(ctnet::remove_stale_temporaries(file) == 2u);
    BOOST_TEST(!fs::exists(dir.path / "metrics.csv.tmp-a1B2c3"));
    BOOST_TEST(!fs::exists(dir.path / "metrics.csv.tmp-ZZZZZZ"));
    for (const char* kept : {"metrics.csv.tmp-abc", "metrics.csv.tmp-abcdefg", "metrics.csv.tmp-ab.cde",
                             "model.ckpt.tmp-a1B2c3", "metrics.csv"})
        BOOST_TEST(fs::exists(dir.path / kept), kept);
    BOOST_TEST(ctnet::remove_stale_temporaries(dir.path / "absent" / "x.csv") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
