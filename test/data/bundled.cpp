// Tests for data/bundled.hpp: the bundled digits and the book's weights are found from the build tree, and CTNET_DATA_DIR redirects the search.
#include "ctnet/data/bundled.hpp"

#include <boost/test/unit_test.hpp>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "ctnet/config.hpp"
#include "ctnet/data/mnist.hpp"
#include "../support/files.hpp"

namespace fs = std::filesystem;
using ctnet::test::TempDir;

namespace {

// Sets CTNET_DATA_DIR for one test and restores the environment after it.
struct DataDirEnv {
    explicit DataDirEnv(const fs::path& dir) { ::setenv("CTNET_DATA_DIR", dir.c_str(), 1); }
    ~DataDirEnv() { ::unsetenv("CTNET_DATA_DIR"); }
};

void copy_mnist(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    for (const char* f : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                          "t10k-labels-idx1-ubyte.gz"})
        fs::copy_file(from / f, to / f);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bundled)

BOOST_AUTO_TEST_CASE(the_build_tree_finds_the_source_trees_digits) {
    ::unsetenv("CTNET_DATA_DIR");
    const fs::path dir = ctnet::bundled_mnist_dir();
    // This test runs from the build tree, so the digits are the source tree's
    // data/mnist (this file is test/data/bundled.cpp in the same tree).
    const fs::path source_data = fs::path(__FILE__).parent_path().parent_path().parent_path() / "data" / "mnist";
    BOOST_TEST(fs::equivalent(dir, source_data));
    const ctnet::MnistRaw raw = ctnet::read_mnist(dir);
    BOOST_TEST(raw.train.labels.size() == 8000u);
    BOOST_TEST(raw.test.labels.size() == 2000u);
}

BOOST_AUTO_TEST_CASE(ctnet_data_dir_comes_first) {
    TempDir tmp;
    copy_mnist(ctnet::bundled_mnist_dir(), tmp.path / "mnist");
    DataDirEnv env(tmp.path);
    BOOST_TEST(fs::equivalent(ctnet::bundled_mnist_dir(), tmp.path / "mnist"));
}

BOOST_AUTO_TEST_CASE(a_data_dir_without_the_files_is_passed_over) {
    TempDir tmp;
    fs::create_directories(tmp.path / "mnist");  // empty: no digits here
    DataDirEnv env(tmp.path);
    const fs::path dir = ctnet::bundled_mnist_dir();
    BOOST_TEST(!fs::equivalent(dir, tmp.path / "mnist"));
    BOOST_TEST(fs::is_regular_file(dir / "train-images-idx3-ubyte.gz"));
}

BOOST_AUTO_TEST_CASE(the_books_weights_are_found_and_redirected_as_the_digits) {
    ::unsetenv("CTNET_DATA_DIR");
    const fs::path source_data = fs::path(__FILE__).parent_path().parent_path().parent_path() / "data";
    BOOST_TEST(fs::equivalent(ctnet::book_weights_dir(), source_data / "book-weights"));

    TempDir tmp;
    fs::create_directories(tmp.path / "book-weights");
    fs::copy_file(source_data / "book-weights" / "simple_convnet.npz", tmp.path / "book-weights" / "simple_convnet.npz");
    DataDirEnv env(tmp.path);
    // One of the two files is not enough.
    BOOST_TEST(fs::equivalent(ctnet::book_weights_dir(), source_data / "book-weights"));
    fs::copy_file(source_data / "book-weights" / "deep_convnet.npz", tmp.path / "book-weights" / "deep_convnet.npz");
    BOOST_TEST(fs::equivalent(ctnet::book_weights_dir(), tmp.path / "book-weights"));
}

BOOST_AUTO_TEST_SUITE_END()
