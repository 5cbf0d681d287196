// csv.cpp — read_csv_dataset: lines to fields to checked numbers, every error naming file, line and column.
#include "ctnet/data/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "ctnet/config.hpp"
#include "ctnet/io/read_file.hpp"

namespace ctnet {

namespace {

struct Line {
    std::size_t number;  // 1-based, as an editor shows it
    std::vector<std::string> fields;
};

// Splits the text into lines of fields: separator-delimited, a field in
// double quotes may hold the separator, and "" inside quotes is one quote.
std::vector<Line> parse(const std::string& text, char sep, const std::string& file) {
    std::vector<Line> lines;
    std::size_t number = 0, pos = 0;
    while (pos < text.size()) {
        ++number;
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view raw(text.data() + pos, end - pos);
        pos = end + 1;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (raw.find_first_not_of(" \t") == std::string_view::npos) continue;
        Line line{number, {}};
        std::string field;
        // blank: the field so far is only spaces, so a quote opens it (kept
        // as a flag: rescanning the field at every quote was quadratic).
        bool quoted = false, was_quoted = false, blank = true;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            const char c = raw[i];
            if (quoted) {
                if (c == '"' && i + 1 < raw.size() && raw[i + 1] == '"') field += '"', ++i;
                else if (c == '"') quoted = false;
                else field += c;
            } else if (c == '"' && blank && !was_quoted) {
                field.clear();
                quoted = was_quoted = true;
                blank = false;
            } else if (c == sep) {
                line.fields.push_back(std::move(field));
                field.clear();
                was_quoted = false;
                blank = true;
            } else {
                field += c;
                blank = blank && (c == ' ' || c == '\t');
            }
        }
        if (quoted) throw Error(file + ":" + std::to_string(number) + ": a quoted field is not closed");
        line.fields.push_back(std::move(field));
        lines.push_back(std::move(line));
    }
    return lines;
}

// A field as an error message shows it: control bytes (a NUL would end the
// message) as \xNN, and at most 60 characters.
std::string shown(const std::string& v) {
    std::string out;
    for (const char c : v.substr(0, 60)) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return v.size() > 60 ? out + "..." : out;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool whole_number(const std::string& s, std::uint32_t& out) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    out = static_cast<std::uint32_t>(std::strtoul(s.c_str(), nullptr, 10));
    return true;
}

struct Table {
    std::vector<std::string> names;  // every column's
    std::vector<Line> rows;
};

Table read_table(const std::filesystem::path& path, const CsvOptions& o) {
    const std::string file = path.string();
    Table t;
    t.rows = parse(read_regular_file(path, std::size_t(4) << 30), o.separator, file);
    if (t.rows.empty()) throw Error(file + ": no lines");
    const std::size_t width = t.rows.front().fields.size();
    if (o.header) {
        for (const std::string& n : t.rows.front().fields) t.names.push_back(trim(n));
        t.rows.erase(t.rows.begin());
    } else {
        for (std::size_t j = 0; j < width; ++j) t.names.push_back("column " + std::to_string(j));
    }
    if (t.rows.empty()) throw Error(file + ": no samples, only a header");
    for (const Line& l : t.rows)
        if (l.fields.size() != width)
            throw Error(file + ":" + std::to_string(l.number) + ": " + std::to_string(l.fields.size()) +
                        " fields, where the first line has " + std::to_string(width));
    return t;
}

std::size_t label_index(const Table& t, const CsvOptions& o, const std::string& file) {
    for (std::size_t j = 0; j < t.names.size(); ++j)
        if (t.names[j] == o.label) return j;
    std::uint32_t k = 0;
    if (whole_number(o.label, k) && k < t.names.size()) return k;
    std::string all;
    for (const std::string& n : t.names) all += (all.empty() ? "" : ", ") + n;
    throw Error(file + ": no label column '" + o.label + "' (the columns: " + all +
                "); name it, or give its index counted from 0");
}

// Features and labels of one file; `classes` maps names to indices (filled
// from the training file, only read for the test file).
CsvSplit to_split(const Table& t, std::size_t label, const std::string& file, bool by_name,
                  std::vector<std::string>& classes, bool may_add_classes) {
    CsvSplit s;
    std::unordered_map<std::string, std::uint32_t> index;  // class name -> number, as `classes` holds them
    for (std::size_t k = 0; k < classes.size(); ++k) index.emplace(classes[k], static_cast<std::uint32_t>(k));
    s.columns = t.names.size() - 1;
    s.values.reserve(t.rows.size() * s.columns);
    s.labels.reserve(t.rows.size());
    for (const Line& l : t.rows) {
        const auto where = [&](std::size_t j) {
            return file + ":" + std::to_string(l.number) + ": column '" + t.names[j] + "' (" + std::to_string(j + 1) + ")";
        };
        for (std::size_t j = 0; j < l.fields.size(); ++j) {
            const std::string v = trim(l.fields[j]);
            if (j == label) {
                std::uint32_t k = 0;
                if (!by_name) {
                    if (!whole_number(v, k)) throw Error(where(j) + ": the label '" + shown(v) + "' is not a class number");
                } else {
                    if (v.empty()) throw Error(where(j) + ": an empty label");
                    const auto it = index.find(v);
                    if (it == index.end() && !may_add_classes)
                        throw Error(where(j) + ": the class '" + shown(v) + "' does not occur in the training file");
                    if (it != index.end()) {
                        k = it->second;
                    } else {
                        k = static_cast<std::uint32_t>(classes.size());
                        index.emplace(v, k);
                        classes.push_back(v);
                    }
                }
                s.labels.push_back(k);
                continue;
            }
            errno = 0;
            char* end = nullptr;
            const double x = std::strtod(v.c_str(), &end);
            // end must reach the field's end: a zero byte inside it would stop strtod early.
            if (v.empty() || end != v.c_str() + v.size() || errno == ERANGE || !std::isfinite(x) ||
                std::fabs(x) > static_cast<double>(std::numeric_limits<float>::max()))
                throw Error(where(j) + ": '" + shown(v) + "' is not a finite number");
            s.values.push_back(static_cast<float>(x));
        }
    }
    return s;
}

}  // namespace

CsvDataSet read_csv_dataset(const std::filesystem::path& train_path, const std::filesystem::path& test_path,
                            const CsvOptions& options) {
    const Table train = read_table(train_path, options), test = read_table(test_path, options);
    if (train.names.size() < 2) throw Error(train_path.string() + ": a label column and at least one feature are needed");
    const std::size_t label = label_index(train, options, train_path.string());
    if (test.names.size() != train.names.size())
        throw Error(test_path.string() + ": " + std::to_string(test.names.size()) + " columns, the training file " +
                    train_path.string() + " has " + std::to_string(train.names.size()));
    // Columns in another order would be read silently as the wrong features.
    for (std::size_t j = 0; options.header && j < train.names.size(); ++j)
        if (test.names[j] != train.names[j])
            throw Error(test_path.string() + ": column " + std::to_string(j + 1) + " is '" + test.names[j] +
                        "' where the training file " + train_path.string() + " has '" + train.names[j] + "'");
    // Names or numbers: decided by the training file's labels, all of them.
    bool by_name = false;
    for (const Line& l : train.rows) {
        std::uint32_t k = 0;
        by_name = by_name || !whole_number(trim(l.fields[label]), k);
    }
    CsvDataSet d;
    for (std::size_t j = 0; j < train.names.size(); ++j)
        if (j != label) d.features.push_back(train.names[j]);
    d.train = to_split(train, label, train_path.string(), by_name, d.classes, true);
    d.test = to_split(test, label, test_path.string(), by_name, d.classes, false);

    const std::size_t w = d.train.columns, n = d.train.size();
    d.mean.assign(w, 0.0);
    d.scale.assign(w, 1.0);
    if (options.standardize) {
        std::vector<double> sum(w, 0.0), sum2(w, 0.0);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < w; ++j) sum[j] += d.train.values[i * w + j];
        for (std::size_t j = 0; j < w; ++j) d.mean[j] = sum[j] / static_cast<double>(n);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < w; ++j) {
                const double c = d.train.values[i * w + j] - d.mean[j];
                sum2[j] += c * c;
            }
        // A constant feature keeps scale 1: it carries nothing, and dividing by 0 would make it NaN.
        for (std::size_t j = 0; j < w; ++j)
            if (const double sd = std::sqrt(sum2[j] / static_cast<double>(n)); sd > 0) d.scale[j] = sd;
        // A test value far from the training file's (or any value, against a
        // constant feature's extreme mean) can standardise beyond a float's
        // range: refused, as a value the file should not hold, rather than
        // converted to infinity (undefined in C++) and trained on.
        const auto standardise = [&](CsvSplit& s, const Table& t, const std::string& file) {
            for (std::size_t i = 0; i < s.size(); ++i)
                for (std::size_t j = 0; j < w; ++j) {
                    float& v = s.values[i * w + j];
                    const double z = (v - d.mean[j]) / d.scale[j];
                    if (!(std::fabs(z) <= static_cast<double>(std::numeric_limits<float>::max()))) {
                        const std::size_t col = j < label ? j : j + 1;
                        char stats[96];
                        std::snprintf(stats, sizeof stats, "mean %.9g, standard deviation %.9g", d.mean[j],
                                      d.scale[j]);
                        throw Error(file + ":" + std::to_string(t.rows[i].number) + ": column '" + t.names[col] +
                                    "' (" + std::to_string(col + 1) + "): '" + trim(t.rows[i].fields[col]) +
                                    "' is too far from the training file's values (" + stats +
                                    ") to standardise as a float");
                    }
                    v = static_cast<float>(z);
                }
        };
        standardise(d.train, train, train_path.string());
        standardise(d.test, test, test_path.string());
    }
    return d;
}

}  // namespace ctnet
