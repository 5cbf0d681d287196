// csv.cpp — fuzzes ctnet::read_csv_dataset on a training and a test file the input holds, under the options it picks.
//
// Input: one mode byte, then the training file's bytes and the test file's as
// two parts (fuzz_support.hpp, Parts: the first ends at a backslash followed
// by another byte; the test file is everything after it). The mode byte:
// bits 0-1 the separator (0 ',', 1 ';', 2 tab, 3 ','), bit 2 set: no header
// line; bits 3-4 the label option: 0 the column name "label", 1 a column index
// (bits 5-7, 0 to 7, written as a number), 2 a name no seed's header has
// ("no such column"), 3 the column name "species". The features are
// standardised (CsvOptions' default), the path where a value can overflow.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ctnet/data/csv.hpp"
#include "fuzz_support.hpp"

namespace {

[[noreturn]] void finding(const char* what) {
    std::fprintf(stderr, "FINDING: read_csv_dataset returned a result that breaks its promise: %s\n", what);
    std::abort();
}

void check(const ctnet::CsvSplit& split, std::size_t classes) {
    if (split.values.size() != split.size() * split.width()) finding("values.size() != size() * width()");
    for (const std::uint32_t label : split.labels)
        if (classes != 0 && label >= classes) finding("a label not below classes.size()");
    for (const float v : split.values)
        if (!std::isfinite(v)) finding("a value that is not finite");
}

void check(const ctnet::CsvDataSet& d) {
    if (d.train.width() == 0) finding("no feature column");
    if (d.test.width() != d.train.width()) finding("test.width() != train.width()");
    if (d.features.size() != d.train.width()) finding("features.size() != train.width()");
    for (std::size_t i = 0; i < d.classes.size(); ++i) {
        if (d.classes[i].empty()) finding("an empty class name");
        for (std::size_t j = 0; j < i; ++j)
            if (d.classes[j] == d.classes[i]) finding("a class name twice in classes");
    }
    if (d.mean.size() != d.train.width() || d.scale.size() != d.train.width())
        finding("mean or scale not one per feature");
    for (std::size_t j = 0; j < d.mean.size(); ++j)
        if (!std::isfinite(d.mean[j]) || !std::isfinite(d.scale[j]) || !(d.scale[j] > 0))
            finding("a mean or scale that is not finite, or a scale not above 0");
    check(d.train, d.classes.size());
    check(d.test, d.classes.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return -1;
    const std::uint8_t mode = data[0];
    ctnet::CsvOptions options;
    options.separator = ",;\t,"[mode & 3];
    options.header = !(mode & 4);
    switch ((mode >> 3) & 3) {
        case 0: options.label = "label"; break;
        case 1: options.label = std::to_string(mode >> 5); break;
        case 2: options.label = "no such column"; break;
        default: options.label = "species"; break;
    }
    ctnet::fuzz::Parts parts(data + 1, size - 1);
    const std::string train = parts.next(), test = parts.rest();
    const auto train_path = ctnet::fuzz::scratch_dir() / "train.csv";
    const auto test_path = ctnet::fuzz::scratch_dir() / "test.csv";
    ctnet::fuzz::write_file(train_path, train);
    ctnet::fuzz::write_file(test_path, test);
    ctnet::fuzz::expect_success_or_error("read_csv_dataset", [&] {
        try {
            check(ctnet::read_csv_dataset(train_path, test_path, options));
        } catch (const ctnet::Error& e) {
            // Stricter than the scratch directory that expect_success_or_error asks for: one of the two files.
            const std::string_view message = e.what();
            if (message.find(train_path.string()) == std::string_view::npos &&
                message.find(test_path.string()) == std::string_view::npos) {
                std::fprintf(stderr, "FINDING: read_csv_dataset threw a ctnet::Error that names neither file: %s\n",
                             e.what());
                std::abort();
            }
            throw;
        }
    });
    return 0;
}
