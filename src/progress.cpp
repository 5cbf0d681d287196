// progress.cpp — the terminal bar and the epoch lines.
#include "ctnet/train/progress.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "ctnet/config.hpp"

namespace ctnet {

Progress::Progress(std::size_t total, bool quiet, std::FILE* out)
    : total_(total), quiet_(quiet), tty_(::isatty(::fileno(out)) != 0), out_(out), start_(Clock::now()),
      last_draw_(start_) {}

void Progress::step(std::size_t done, double loss) {
    loss_ = loss;
    if (quiet_ || !tty_) return;
    const auto now = Clock::now();
    if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    draw(done);
}

void Progress::draw(std::size_t done) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    constexpr int width = 30;
    const int filled = total_ ? static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total_)) : width;
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-');
    fmt::print(out_, "\r[{}] {}/{} {:3.0f}%  loss {:.4f}  {:.0f} it/s  ETA {:.1f} s\x1b[K", bar, done, total_,
               total_ ? 100.0 * static_cast<double>(done) / static_cast<double>(total_) : 100.0, loss_, rate, eta);
    std::fflush(out_);
    drawn_ = true;
}

void Progress::epoch(const EpochMetrics& m) {
    if (quiet_) return;
    if (drawn_) fmt::print(out_, "\r\x1b[K");
    fmt::print(out_, "epoch {:3}  iter {:6}  train acc {:.4f}  test acc {:.4f}  train loss {:.4f}  test loss {:.4f}\n",
               m.epoch, m.iteration, m.train_acc, m.test_acc, m.train_loss, m.test_loss);
    std::fflush(out_);
    drawn_ = false;
}

void Progress::finish() {
    if (quiet_ || !tty_) return;
    draw(total_);
    fmt::print(out_, "\n");
    std::fflush(out_);
}

void flush_output(std::FILE* out) {
    errno = 0;
    if (std::fflush(out) != 0 || std::ferror(out)) {
        const int err = errno;
        throw Error(std::string("cannot write the output") + (out == stdout ? " (standard output)" : "") + ": " +
                    (err ? std::strerror(err) : "a write failed"));
    }
}

}  // namespace ctnet
