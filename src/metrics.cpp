// metrics.cpp — metrics.csv and the final JSON line.
#include "ctnet/train/metrics.hpp"

#include <fmt/format.h>

namespace ctnet {

std::string metrics_csv(const std::vector<EpochMetrics>& epochs) {
    std::string out = "epoch,iteration,train_loss,train_acc,test_loss,test_acc,seconds\n";
    for (const EpochMetrics& e : epochs)
        out += fmt::format("{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.3f}\n", e.epoch, e.iteration, e.train_loss,
                           e.train_acc, e.test_loss, e.test_acc, e.seconds);
    return out;
}

namespace {
// The data path is the only free text in the summary; escape it for JSON.
std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
                else out += c;
        }
    }
    return out + "\"";
}
}  // namespace

std::string summary_json(const TrainSummary& s) {
    return fmt::format(
        "{{\"iters\":{},\"epochs\":{},\"train_acc\":{:.4f},\"test_acc\":{:.4f},\"final_loss\":{:.5f},"
        "\"wall_s\":{:.3f},\"load_s\":{:.3f},\"ms_per_iter\":{:.4f},\"data\":{}}}",
        s.iters, s.epochs, s.train_acc, s.test_acc, s.final_loss, s.wall_s, s.load_s, s.ms_per_iter,
        json_string(s.data));
}

}  // namespace ctnet
