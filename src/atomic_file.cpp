// atomic_file.cpp — temporary file, optional fsync, rename: the POSIX recipe for an atomic replace.
#include "ctnet/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <random>
#include <string>

#include "ctnet/config.hpp"

namespace ctnet {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* what, int err) {
    throw Error("cannot write " + path.string() + ": " + what + ": " + std::strerror(err));
}

constexpr std::string_view temp_marker = ".tmp-";
constexpr std::size_t temp_suffix_length = 6;  // mkstemp's XXXXXX

std::string random_suffix() {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    thread_local std::mt19937_64 gen{std::random_device{}() ^ (static_cast<std::uint64_t>(::getpid()) << 32)};
    std::string s(temp_suffix_length, 'x');
    for (char& c : s) c = alphabet[gen() % (sizeof alphabet - 1)];
    return s;
}

// The temporary being written. With O_TMPFILE it has no name until it is
// complete (link_to gives it one just before the rename), so a SIGKILL while
// writing leaves nothing in the directory; without it (an old kernel, a file
// system that lacks it) it is a mkstemp file, unlinked on any failure.
class TempFile {
public:
    explicit TempFile(const std::filesystem::path& target) : target_(target) {
        const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
#ifdef O_TMPFILE
        fd_ = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (fd_ >= 0) return;
#endif
        name_ = target.string() + std::string(temp_marker) + "XXXXXX";
        fd_ = ::mkstemp(name_.data());
        if (fd_ < 0) fail(target, "creating a temporary file", errno);
    }
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!name_.empty() && !committed_) ::unlink(name_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    int fd() const { return fd_; }
    // Gives an unnamed temporary its name beside the target (from here on a
    // kill leaves a complete `.tmp-XXXXXX` file) and closes the descriptor.
    void name_and_close() {
        if (name_.empty()) {
            const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
            for (int attempt = 0;; ++attempt) {
                std::string candidate = target_.string() + std::string(temp_marker) + random_suffix();
                if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, candidate.c_str(), AT_SYMLINK_FOLLOW) == 0) {
                    name_ = std::move(candidate);
                    break;
                }
                if (errno != EEXIST || attempt == 100) fail(target_, "naming the temporary file", errno);
            }
        }
        const int rc = ::close(fd_);
        fd_ = -1;
        if (rc != 0) fail(target_, "closing", errno);
    }
    const std::string& name() const { return name_; }
    void committed() { committed_ = true; }

private:
    std::filesystem::path target_;
    std::string name_;
    int fd_ = -1;
    bool committed_ = false;
};

// The mode the new file gets: the replaced file's, or what a plain create gives.
mode_t target_mode(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return st.st_mode & 07777;
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view contents, Durability durability) {
    TempFile tmp(path);
    const char* p = contents.data();
    std::size_t left = contents.size();
    while (left > 0) {
        const ssize_t n = ::write(tmp.fd(), p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(path, "writing", errno);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fchmod(tmp.fd(), target_mode(path)) != 0) fail(path, "setting permissions", errno);
    if (durability == Durability::durable && ::fsync(tmp.fd()) != 0) fail(path, "flushing", errno);
    tmp.name_and_close();
    if (::rename(tmp.name().c_str(), path.c_str()) != 0) fail(path, "renaming the temporary file", errno);
    tmp.committed();
    if (durability == Durability::durable) {
        // Make the rename itself durable.
        const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
        const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            ::fsync(dfd);
            ::close(dfd);
        }
    }
}

std::size_t remove_stale_temporaries(const std::filesystem::path& path) {
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const std::string prefix = path.filename().string() + std::string(temp_marker);
    std::size_t removed = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() != prefix.size() + temp_suffix_length || name.compare(0, prefix.size(), prefix) != 0) continue;
        bool suffix_ok = true;
        for (std::size_t i = prefix.size(); i < name.size(); ++i)
            suffix_ok = suffix_ok && std::isalnum(static_cast<unsigned char>(name[i]));
        std::error_code rm;
        if (suffix_ok && it->is_regular_file(rm) && std::filesystem::remove(it->path(), rm)) ++removed;
    }
    return removed;
}

}  // namespace ctnet
