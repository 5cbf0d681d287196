// read_file.cpp — read_regular_file: fstat before read, so no special file is ever read from.
#include "ctnet/io/read_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "ctnet/config.hpp"

namespace ctnet {

std::string read_regular_file(const std::filesystem::path& path, std::size_t max_bytes) {
    // O_NONBLOCK keeps even the open of a FIFO from waiting for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw Error("cannot open " + path.string() + ": " + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw Error(path.string() + ": not a regular file (" +
                    (S_ISDIR(st.st_mode) ? "a directory" : "a pipe, socket or device") + ")");
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
        throw Error(path.string() + ": " + std::to_string(st.st_size) + " bytes, more than the " +
                    std::to_string(max_bytes) + " it can hold");
    std::string data;
    data.reserve(static_cast<std::size_t>(st.st_size));
    advise_huge_pages(data.data(), static_cast<std::size_t>(st.st_size));
    data.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
        if (n == 0) throw Error(path.string() + ": the file shrank while it was being read");
        done += static_cast<std::size_t>(n);
    }
    return data;
}

void advise_huge_pages(void* data, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t huge = std::uintptr_t(2) << 20;
    if (bytes < 2 * huge) return;
    // Only the whole 2 MB pages inside the buffer: madvise wants page-aligned ranges.
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + huge - 1) & ~(huge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(huge - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // a hint: failure is harmless
#else
    (void)data;
    (void)bytes;
#endif
}

}  // namespace ctnet
