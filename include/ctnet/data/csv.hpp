// csv.hpp — CSV data sets: numeric feature columns and a label column, every value checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ctnet {

// How to read a CSV file of samples, one per line.
struct CsvOptions {
    // The label column: its name in the header, or its 0-based index as a
    // number ("4"). Labels are class indices 0, 1, ... when every one is a
    // whole number, else class names, numbered in order of first appearance.
    std::string label = "label";
    bool header = true;   // the first line names the columns
    char separator = ',';
    // Standardise each feature to mean 0, standard deviation 1 over the
    // training file (the same shift and scale applied to the test file), as
    // MNIST's pixels are scaled to [0, 1]: raw measurements of different
    // sizes make a network's first steps diverge. false keeps the values as written.
    bool standardize = true;
};

// One split of a CSV data set, as ctnet::train reads it (data/dataset.hpp):
// the feature values row after row.
struct CsvSplit {
    std::vector<float> values;            // size() * width(), standardised if CsvOptions said so
    std::vector<std::uint32_t> labels;    // size() class indices
    std::size_t columns = 0;              // features per sample
    std::size_t size() const { return labels.size(); }
    std::size_t width() const { return columns; }
    template <class T>
    void fill_row(std::size_t i, T* dst) const {
        const float* src = values.data() + i * columns;
        for (std::size_t j = 0; j < columns; ++j) dst[j] = static_cast<T>(src[j]);
    }
};

// A training and a test split read from two files with the same columns.
struct CsvDataSet {
    CsvSplit train, test;
    std::vector<std::string> features;  // the feature columns' names (or "column N")
    std::vector<std::string> classes;   // class names when labels were names, else empty
    // What standardize did to each feature, (x - mean) / scale, so new samples
    // can be treated alike; mean 0 and scale 1 when it was off.
    std::vector<double> mean, scale;
};

// Reads train_path and test_path (standardised, unless options say not).
// Every field is checked: a line with another
// number of fields than the first, a feature that is not a finite number, a
// label that is neither a whole number nor a name, a test label the training
// file never named, a missing label column: each throws ctnet::Error naming
// the file, the line and the column. Quoted fields ("a, b", with "" for a
// quote) and CRLF line ends are read; empty lines are skipped. Only regular
// files are read.
//
//     ctnet::CsvOptions o;
//     o.label = "species";
//     const ctnet::CsvDataSet iris = ctnet::read_csv_dataset("iris_train.csv", "iris_test.csv", o);
//     // iris.train.width() == 4, iris.classes == {"setosa", "versicolor", "virginica"}
CsvDataSet read_csv_dataset(const std::filesystem::path& train_path, const std::filesystem::path& test_path,
                            const CsvOptions& options = {});

}  // namespace ctnet
