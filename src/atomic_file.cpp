// atomic_file.cpp — temporary file, fsync, rename: the POSIX recipe for an atomic replace.
#include "ctnet/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "ctnet/config.hpp"

namespace ctnet {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* what, int err) {
    throw Error("cannot write " + path.string() + ": " + what + ": " + std::strerror(err));
}

// Closes the descriptor and removes the temporary unless the rename happened.
class TempFile {
public:
    explicit TempFile(const std::filesystem::path& target) : name_(target.string() + ".tmp-XXXXXX") {
        fd_ = ::mkstemp(name_.data());
        if (fd_ < 0) fail(target, "creating a temporary file", errno);
    }
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(name_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    int fd() const { return fd_; }
    const std::string& name() const { return name_; }
    int close() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }
    void committed() { committed_ = true; }

private:
    std::string name_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
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
    // mkstemp creates 0600; give the file the permissions a plain create would (0666 & ~umask).
    const mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(tmp.fd(), 0666 & ~mask) != 0) fail(path, "setting permissions", errno);
    if (::fsync(tmp.fd()) != 0) fail(path, "flushing", errno);
    if (tmp.close() != 0) fail(path, "closing", errno);
    if (::rename(tmp.name().c_str(), path.c_str()) != 0) fail(path, "renaming the temporary file", errno);
    tmp.committed();
    // Make the rename itself durable.
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace ctnet
