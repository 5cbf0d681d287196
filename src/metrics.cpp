// metrics.cpp — metrics.csv and the final JSON line.
#include "ctnet/train/metrics.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ctnet {

namespace {

// A float as numpy.loadtxt and Python's float() read it back: a NaN is
// "nan" whatever its sign bit (printf would write "-nan").
std::string number(double v, int decimals) {
    if (std::isnan(v)) return "nan";
    return fmt::format("{:.{}f}", v, decimals);
}

// The length of the well-formed UTF-8 sequence at s[i] (shortest form, no
// surrogates, at most U+10FFFF), or 0 if the byte there does not start one.
std::size_t utf8_sequence(const std::string& s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return 0;
    if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
    return n;
}

// The data path is the only free text in the summary. A path is bytes, not
// necessarily UTF-8: each byte that is not part of valid UTF-8 becomes the
// escape \udcXX, as Python's surrogateescape does, so the line is always
// valid JSON and os.fsencode(json.loads(line)["data"]) gives the bytes back.
std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            if (const std::size_t n = utf8_sequence(s, i)) {
                out.append(s, i, n);
                i += n;
            } else {
                out += fmt::format("\\udc{:02x}", c);
                ++i;
            }
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7F) out += fmt::format("\\u{:04x}", c);
                else out += static_cast<char>(c);
        }
        ++i;
    }
    return out + "\"";
}

}  // namespace

std::string metrics_csv(const std::vector<EpochMetrics>& epochs) {
    std::string out = "epoch,iteration,train_loss,train_acc,test_loss,test_acc,seconds\n";
    for (const EpochMetrics& e : epochs)
        out += fmt::format("{},{},{},{},{},{},{}\n", e.epoch, e.iteration, number(e.train_loss, 6),
                           number(e.train_acc, 6), number(e.test_loss, 6), number(e.test_acc, 6),
                           number(e.seconds, 3));
    return out;
}

std::string summary_json(const TrainSummary& s) {
    // JSON has no NaN or infinity: a figure that is not finite is null.
    const auto num = [](double v, int decimals) { return std::isfinite(v) ? number(v, decimals) : "null"; };
    return fmt::format(
        "{{\"iters\":{},\"epochs\":{},\"train_acc\":{},\"test_acc\":{},\"final_loss\":{},"
        "\"wall_s\":{},\"load_s\":{},\"ms_per_iter\":{},\"threads\":{},\"ranks\":{},\"batch\":{},\"data\":{}}}",
        s.iters, s.epochs, num(s.train_acc, 4), num(s.test_acc, 4), num(s.final_loss, 5), num(s.wall_s, 3),
        num(s.load_s, 3), num(s.ms_per_iter, 4), s.threads, s.ranks, s.batch, json_string(s.data));
}

}  // namespace ctnet
