// Tests for data/mnist.hpp: find_mnist_files and load_mnist on the bundled digits and on directories built here.
#include "ctnet/data/mnist.hpp"

#include <boost/test/unit_test.hpp>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "ctnet/config.hpp"
#include "ctnet/data/bundled.hpp"
#include "ctnet/data/idx.hpp"
#include "../support/files.hpp"

namespace fs = std::filesystem;
using namespace ctnet::test;

namespace {

const fs::path bundled = ctnet::bundled_mnist_dir();

// Per-class label counts of the bundled files, from the table in data/mnist/README.md.
constexpr std::array<std::size_t, 10> train_class_counts = {801, 902, 793, 826, 784, 690, 811, 856, 755, 782};
constexpr std::array<std::size_t, 10> test_class_counts = {200, 225, 198, 206, 196, 173, 203, 214, 189, 196};


void put_u32(Bytes& b, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

Bytes idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols) {
    Bytes b;
    put_u32(b, 0x00000803);
    put_u32(b, count);
    put_u32(b, rows);
    put_u32(b, cols);
    for (std::size_t i = 0; i < std::size_t(count) * rows * cols; ++i) b.push_back(static_cast<std::uint8_t>(i % 251));
    return b;
}

Bytes idx_labels(std::uint32_t count) {
    Bytes b;
    put_u32(b, 0x00000801);
    put_u32(b, count);
    for (std::uint32_t i = 0; i < count; ++i) b.push_back(static_cast<std::uint8_t>(i % 10));
    return b;
}

void write_raw(const fs::path& p, const Bytes& b) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    BOOST_TEST_REQUIRE(static_cast<bool>(out.flush()));
}

// zlib's own gunzip, independent of ctnet's reader.
Bytes gunzip(const fs::path& p) {
    gzFile f = gzopen(p.c_str(), "rb");
    BOOST_TEST_REQUIRE(f != nullptr);
    Bytes out;
    std::array<std::uint8_t, 1 << 16> buf;
    int got = 0;
    while ((got = gzread(f, buf.data(), static_cast<unsigned>(buf.size()))) > 0) out.insert(out.end(), buf.begin(), buf.begin() + got);
    BOOST_TEST_REQUIRE(got == 0);
    BOOST_TEST_REQUIRE(gzclose(f) == Z_OK);
    return out;
}

// A small MNIST-shaped directory: 5 training and 3 test digits, all four files raw.
void write_small_set(const fs::path& dir) {
    write_raw(dir / "train-images-idx3-ubyte", idx_images(5, 28, 28));
    write_raw(dir / "train-labels-idx1-ubyte", idx_labels(5));
    write_raw(dir / "t10k-images-idx3-ubyte", idx_images(3, 28, 28));
    write_raw(dir / "t10k-labels-idx1-ubyte", idx_labels(3));
}

// x against the bytes it came from: index and values of the first element that is not
// byte / 255 (or the byte itself), and how many are not.
template <class T>
boost::test_tools::assertion_result scaled_exactly(const std::vector<T>& x, const Bytes& bytes, bool normalize) {
    if (x.size() != bytes.size()) return false;
    std::size_t wrong = 0, first = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        // Division, as the book's x / 255.0 does, not a multiplication by a rounded 1/255.
        const T want = normalize ? static_cast<T>(bytes[i]) / static_cast<T>(255) : static_cast<T>(bytes[i]);
        if (x[i] != want && wrong++ == 0) first = i;
    }
    if (wrong == 0) return true;
    boost::test_tools::assertion_result r(false);
    r.message().stream().precision(17);
    r.message() << wrong << " of " << x.size() << " values differ; the first, [" << first << "] from byte "
                << int(bytes[first]) << ", is " << x[first] << " instead of "
                << (normalize ? static_cast<T>(bytes[first]) / static_cast<T>(255) : static_cast<T>(bytes[first]));
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mnist)

BOOST_AUTO_TEST_CASE(finds_the_bundled_gzip_files) {
    const ctnet::MnistFiles f = ctnet::find_mnist_files(bundled);
    BOOST_TEST(f.train_images == bundled / "train-images-idx3-ubyte.gz");
    BOOST_TEST(f.train_labels == bundled / "train-labels-idx1-ubyte.gz");
    BOOST_TEST(f.test_images == bundled / "t10k-images-idx3-ubyte.gz");
    BOOST_TEST(f.test_labels == bundled / "t10k-labels-idx1-ubyte.gz");
}

BOOST_AUTO_TEST_CASE(bundled_data_sizes_shapes_and_labels) {
    const auto [train, test] = ctnet::load_mnist<float>(bundled);
    BOOST_TEST(train.size() == 8000u);
    BOOST_TEST(test.size() == 2000u);
    BOOST_TEST(train.x.size() == 8000u * 784);
    BOOST_TEST(test.x.size() == 2000u * 784);
    BOOST_TEST(train.shape == (std::vector<std::size_t>{8000, 784}), boost::test_tools::per_element());
    BOOST_TEST(test.shape == (std::vector<std::size_t>{2000, 784}), boost::test_tools::per_element());
    BOOST_TEST(train.one_hot.empty());
    // The class counts data/mnist/README.md documents.
    std::array<std::size_t, 10> train_counts{}, test_counts{};
    for (const auto l : train.labels) ++train_counts.at(l);
    for (const auto l : test.labels) ++test_counts.at(l);
    BOOST_TEST(train_counts == train_class_counts, boost::test_tools::per_element());
    BOOST_TEST(test_counts == test_class_counts, boost::test_tools::per_element());
    // And the order it documents: both files start 1 7 3 6 0 2 4 9 8 5.
    const Bytes start = {1, 7, 3, 6, 0, 2, 4, 9, 8, 5};
    BOOST_TEST(Bytes(train.labels.begin(), train.labels.begin() + 10) == start, boost::test_tools::per_element());
    BOOST_TEST(Bytes(test.labels.begin(), test.labels.begin() + 10) == start, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(normalise_pixel_is_the_division_for_every_byte) {
    for (int b = 0; b < 256; ++b) {
        BOOST_TEST(ctnet::normalise_pixel<float>(static_cast<std::uint8_t>(b)) == static_cast<float>(b) / 255.0f);
        BOOST_TEST(ctnet::normalise_pixel<double>(static_cast<std::uint8_t>(b)) == static_cast<double>(b) / 255.0);
    }
}

BOOST_AUTO_TEST_CASE(normalized_pixels_are_exactly_byte_over_255) {
    // The reference is the files' bytes as read_idx_images gives them.
    const ctnet::MnistFiles f = ctnet::find_mnist_files(bundled);
    const ctnet::IdxImages train_bytes = ctnet::read_idx_images(f.train_images);
    const ctnet::IdxImages test_bytes = ctnet::read_idx_images(f.test_images);
    const auto fl = ctnet::load_mnist<float>(bundled);
    const auto [lo, hi] = std::minmax_element(fl.train.x.begin(), fl.train.x.end());
    BOOST_TEST(*lo == 0.0f);
    BOOST_TEST(*hi == 1.0f);
    BOOST_TEST(scaled_exactly(fl.train.x, train_bytes.pixels, true));
    BOOST_TEST(scaled_exactly(fl.test.x, test_bytes.pixels, true));
    const auto db = ctnet::load_mnist<double>(bundled);
    BOOST_TEST(scaled_exactly(db.train.x, train_bytes.pixels, true));
    BOOST_TEST(scaled_exactly(db.test.x, test_bytes.pixels, true));
}

BOOST_AUTO_TEST_CASE(unnormalized_pixels_are_the_bytes) {
    const ctnet::MnistFiles f = ctnet::find_mnist_files(bundled);
    const ctnet::IdxImages train_bytes = ctnet::read_idx_images(f.train_images);
    const ctnet::IdxImages test_bytes = ctnet::read_idx_images(f.test_images);
    const auto [train, test] = ctnet::load_mnist<float>(bundled, false);
    BOOST_TEST(scaled_exactly(train.x, train_bytes.pixels, false));
    BOOST_TEST(scaled_exactly(test.x, test_bytes.pixels, false));
    // The README: all 256 byte values occur across the 10,000 digits.
    // (Range-checked before indexing: the comparison above may have failed.)
    std::array<bool, 256> seen{};
    std::size_t out_of_range = 0;
    for (const auto* x : {&train.x, &test.x})
        for (const float v : *x) {
            if (v >= 0.0f && v <= 255.0f) seen[static_cast<std::size_t>(v)] = true;
            else ++out_of_range;
        }
    BOOST_TEST(out_of_range == 0u);
    BOOST_TEST(std::count(seen.begin(), seen.end(), true) == 256);
}

BOOST_AUTO_TEST_CASE(one_hot_rows_mark_the_label) {
    const auto [train, test] = ctnet::load_mnist<float>(bundled, true, true, true);
    for (const auto* s : {&train, &test}) {
        BOOST_TEST_REQUIRE(s->one_hot.size() == s->size() * 10);
        std::size_t bad_rows = 0;
        for (std::size_t i = 0; i < s->size(); ++i)
            for (std::size_t c = 0; c < 10; ++c)
                if (s->one_hot[i * 10 + c] != (c == s->labels[i] ? 1.0f : 0.0f)) {
                    ++bad_rows;
                    break;
                }
        BOOST_TEST(bad_rows == 0u);
    }
    // Asking for one-hot labels changes nothing else.
    const auto plain = ctnet::load_mnist<float>(bundled);
    BOOST_TEST(train.labels == plain.train.labels);
    BOOST_TEST(train.x == plain.train.x);
}

BOOST_AUTO_TEST_CASE(flatten_changes_only_the_shape) {
    const auto flat = ctnet::load_mnist<float>(bundled, true, true);
    const auto nchw = ctnet::load_mnist<float>(bundled, true, false);
    BOOST_TEST(nchw.train.shape == (std::vector<std::size_t>{8000, 1, 28, 28}), boost::test_tools::per_element());
    BOOST_TEST(nchw.test.shape == (std::vector<std::size_t>{2000, 1, 28, 28}), boost::test_tools::per_element());
    BOOST_TEST(flat.train.shape == (std::vector<std::size_t>{8000, 784}), boost::test_tools::per_element());
    BOOST_TEST(nchw.train.x == flat.train.x);
    BOOST_TEST(nchw.test.x == flat.test.x);
    BOOST_TEST(nchw.train.labels == flat.train.labels);
}

BOOST_AUTO_TEST_CASE(uncompressed_dotted_copies_load_identically) {
    // Some mirrors ship the files uncompressed as train-images.idx3-ubyte and so on.
    TempDir dir;
    const std::pair<const char*, const char*> names[] = {
        {"train-images-idx3-ubyte.gz", "train-images.idx3-ubyte"},
        {"train-labels-idx1-ubyte.gz", "train-labels.idx1-ubyte"},
        {"t10k-images-idx3-ubyte.gz", "t10k-images.idx3-ubyte"},
        {"t10k-labels-idx1-ubyte.gz", "t10k-labels.idx1-ubyte"},
    };
    for (const auto& [gz, raw] : names) write_raw(dir.path / raw, gunzip(bundled / gz));
    // The sizes the IDX layout gives for 8000 and 2000 digits.
    BOOST_TEST(fs::file_size(dir.path / "train-images.idx3-ubyte") == 16u + 8000u * 784);
    BOOST_TEST(fs::file_size(dir.path / "t10k-labels.idx1-ubyte") == 8u + 2000u);
    const ctnet::MnistFiles f = ctnet::find_mnist_files(dir.path);
    BOOST_TEST(f.train_images == dir.path / "train-images.idx3-ubyte");
    BOOST_TEST(f.train_labels == dir.path / "train-labels.idx1-ubyte");
    BOOST_TEST(f.test_images == dir.path / "t10k-images.idx3-ubyte");
    BOOST_TEST(f.test_labels == dir.path / "t10k-labels.idx1-ubyte");
    const auto copy = ctnet::load_mnist<float>(dir.path, false, true, true);
    const auto original = ctnet::load_mnist<float>(bundled, false, true, true);
    BOOST_TEST(copy.train.x == original.train.x);
    BOOST_TEST(copy.train.labels == original.train.labels);
    BOOST_TEST(copy.train.one_hot == original.train.one_hot);
    BOOST_TEST(copy.test.x == original.test.x);
    BOOST_TEST(copy.test.labels == original.test.labels);
}

BOOST_AUTO_TEST_CASE(a_missing_file_or_directory_is_named) {
    TempDir dir;
    write_small_set(dir.path);
    BOOST_TEST(ctnet::load_mnist<float>(dir.path).train.size() == 5u);
    fs::remove(dir.path / "train-labels-idx1-ubyte");
    const std::string message = error_of([&] { ctnet::find_mnist_files(dir.path); });
    BOOST_TEST(mentions(message, {dir.path.string(), "train-labels-idx1-ubyte"}));
    // Only the missing one is listed.
    BOOST_TEST(message.find("train-images") == std::string::npos);
    BOOST_TEST(message.find("t10k") == std::string::npos);
    fs::remove(dir.path / "t10k-images-idx3-ubyte");
    BOOST_TEST(mentions(error_of([&] { ctnet::load_mnist<float>(dir.path); }),
                        {dir.path.string(), "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte"}));
    // A directory that is not there, and a file where the directory should be.
    const auto nowhere = dir.path / "no-such-directory";
    BOOST_TEST(mentions(error_of([&] { ctnet::load_mnist<float>(nowhere); }), {nowhere.string()}));
    const auto file = dir.path / "train-images-idx3-ubyte";
    BOOST_TEST(mentions(error_of([&] { ctnet::find_mnist_files(file); }), {file.string()}));
}

BOOST_AUTO_TEST_CASE(image_and_label_counts_must_agree) {
    TempDir dir;
    write_small_set(dir.path);
    write_raw(dir.path / "train-labels-idx1-ubyte", idx_labels(4));
    BOOST_TEST(mentions(error_of([&] { ctnet::load_mnist<float>(dir.path); }),
                        {(dir.path / "train-images-idx3-ubyte").string(), (dir.path / "train-labels-idx1-ubyte").string(),
                         "5 images", "4 labels"}));
}

BOOST_AUTO_TEST_CASE(images_must_be_28_by_28) {
    TempDir dir;
    write_small_set(dir.path);
    const auto p = dir.path / "t10k-images-idx3-ubyte";
    write_raw(p, idx_images(3, 32, 32));
    BOOST_TEST(mentions(error_of([&] { ctnet::load_mnist<float>(dir.path); }),
                        {p.string(), "MNIST images are 28x28", "32x32"}));
    // 784 pixels in another shape are no MNIST digit either.
    write_raw(p, idx_images(3, 16, 49));
    BOOST_TEST(mentions(error_of([&] { ctnet::load_mnist<float>(dir.path); }), {p.string(), "28x28", "16x49"}));
}

BOOST_AUTO_TEST_SUITE_END()
