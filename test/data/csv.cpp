// Tests for data/csv.hpp: names or numbers as labels, quoting, standardisation, and every mistake named.
#include "ctnet/data/csv.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

#include "ctnet/config.hpp"
#include "ctnet/data/dataset.hpp"
#include "../support/files.hpp"

using ctnet::test::TempDir;
using ctnet::test::write_bytes;

static_assert(ctnet::DataSet<ctnet::CsvDataSet, float> && ctnet::DataSet<ctnet::CsvDataSet, double>);

namespace {
std::string error_reading(const TempDir& d, const std::string& train, const std::string& test,
                          ctnet::CsvOptions o = {}) {
    write_bytes(d.path / "train.csv", train);
    write_bytes(d.path / "test.csv", test);
    return ctnet::test::error_of([&] { ctnet::read_csv_dataset(d.path / "train.csv", d.path / "test.csv", o); });
}
}  // namespace

BOOST_AUTO_TEST_SUITE(csv)

BOOST_AUTO_TEST_CASE(names_become_classes_in_order_of_appearance) {
    TempDir d;
    write_bytes(d.path / "train.csv", "a,kind,b\r\n1,\"cat, big\",2\r\n3,dog,4\r\n\r\n5,\"cat, big\",6\r\n");
    write_bytes(d.path / "test.csv", "a,kind,b\n7,dog,8\n");
    ctnet::CsvOptions o;
    o.label = "kind";
    o.standardize = false;
    const auto data = ctnet::read_csv_dataset(d.path / "train.csv", d.path / "test.csv", o);
    BOOST_TEST(data.train.size() == 3u);
    BOOST_TEST(data.train.width() == 2u);
    BOOST_TEST((data.classes == std::vector<std::string>{"cat, big", "dog"}));
    BOOST_TEST((data.features == std::vector<std::string>{"a", "b"}));
    BOOST_TEST((data.train.labels == std::vector<std::uint32_t>{0, 1, 0}));
    BOOST_TEST((data.train.values == std::vector<float>{1, 2, 3, 4, 5, 6}));
    BOOST_TEST((data.test.labels == std::vector<std::uint32_t>{1}));
    double row[2];
    data.test.fill_row(0, row);
    BOOST_TEST(row[0] == 7.0);
    BOOST_TEST(row[1] == 8.0);
}

BOOST_AUTO_TEST_CASE(numbered_labels_by_index_and_standardisation) {
    TempDir d;
    write_bytes(d.path / "train.csv", "1;10;0\n3;10;2\n");
    write_bytes(d.path / "test.csv", "5;10;1\n");
    ctnet::CsvOptions o;
    o.label = "2";
    o.header = false;
    o.separator = ';';
    const auto data = ctnet::read_csv_dataset(d.path / "train.csv", d.path / "test.csv", o);
    BOOST_TEST(data.classes.empty());
    BOOST_TEST((data.train.labels == std::vector<std::uint32_t>{0, 2}));
    // Column 0: mean 2, deviation 1; column 1 is constant and keeps scale 1.
    BOOST_TEST((data.train.values == std::vector<float>{-1, 0, 1, 0}));
    BOOST_TEST((data.test.values == std::vector<float>{3, 0}));
    BOOST_TEST(data.mean[0] == 2.0);
    BOOST_TEST(data.scale[1] == 1.0);
}

BOOST_AUTO_TEST_CASE(every_mistake_names_the_file_line_and_column) {
    TempDir d;
    const std::string train = (d.path / "train.csv").string(), test = (d.path / "test.csv").string();
    const std::string ok = "x,label\n1,0\n";
    BOOST_TEST(error_reading(d, "x,label\n1,0\n2\n", ok) == train + ":3: 1 fields, where the first line has 2");
    BOOST_TEST(error_reading(d, "x,label\n1,0\nabc,1\n", ok) == train + ":3: column 'x' (1): 'abc' is not a finite number");
    BOOST_TEST(error_reading(d, "x,label\n1,0\nnan,1\n", ok) == train + ":3: column 'x' (1): 'nan' is not a finite number");
    BOOST_TEST(error_reading(d, "x,label\n1e39,0\n", ok) == train + ":2: column 'x' (1): '1e39' is not a finite number");
    BOOST_TEST(error_reading(d, ok, "x,label\n1,-1\n") == test + ":2: column 'label' (2): the label '-1' is not a class number");
    BOOST_TEST(error_reading(d, "x,label\n1,a\n", "x,label\n1,b\n") ==
               test + ":2: column 'label' (2): the class 'b' does not occur in the training file");
    BOOST_TEST(error_reading(d, "x,y\n1,0\n", ok).find("no label column 'label' (the columns: x, y)") != std::string::npos);
    BOOST_TEST(error_reading(d, "x,label\n\"1,0\n", ok) == train + ":2: a quoted field is not closed");
    BOOST_TEST(error_reading(d, "", ok) == train + ": no lines");
    BOOST_TEST(error_reading(d, "x,label\n", ok) == train + ": no samples, only a header");
    BOOST_TEST(error_reading(d, ok, "x,y,label\n1,2,0\n") == test + ": 3 columns, the training file " + train + " has 2");
    BOOST_TEST(error_reading(d, "x,label\n1,0\n", std::string("x,label\n1\0junk,0\n", 17)) ==
               test + ":2: column 'x' (1): '1\\x00junk' is not a finite number");
    BOOST_TEST(error_reading(d, "x,y,label\n1,2,0\n", "y,x,label\n1,2,0\n") ==
               test + ": column 1 is 'y' where the training file " + train + " has 'x'");
    // Standardised, a test value far outside the training values would leave float's range.
    BOOST_TEST(error_reading(d, "x,label\n-3e38,0\n-3e38,0\n", "x,label\n3e38,0\n").find(
                   test + ":2: column 'x' (1): '3e38' is too far from the training file's values") == 0u);
    BOOST_TEST(ctnet::test::error_of([&] { ctnet::read_csv_dataset(d.path, d.path); }).find("not a regular file") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
