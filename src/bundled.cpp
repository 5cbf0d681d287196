// bundled.cpp — finds the bundled digits from wherever libctnet is running.
#include "ctnet/data/bundled.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

#include "ctnet/config.hpp"

#ifndef CTNET_INSTALL_DATA_DIR
#  error "src/meson.build defines CTNET_INSTALL_DATA_DIR (<prefix>/<datadir>/ctnet)"
#endif
#ifndef CTNET_SOURCE_DATA_DIR
#  error "src/meson.build defines CTNET_SOURCE_DATA_DIR (the source tree's data/)"
#endif

namespace ctnet {

namespace {

bool holds_mnist(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / "train-images-idx3-ubyte.gz", ec) &&
           std::filesystem::is_regular_file(dir / "t10k-labels-idx1-ubyte.gz", ec);
}

// The directory of the shared object this function is compiled into.
std::filesystem::path library_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&holds_mnist), &info) == 0 || info.dli_fname == nullptr) return {};
    std::error_code ec;
    const auto lib = std::filesystem::canonical(info.dli_fname, ec);
    return ec ? std::filesystem::path() : lib.parent_path();
}

}  // namespace

std::filesystem::path bundled_mnist_dir() {
    std::vector<std::filesystem::path> tried;
    if (const char* env = std::getenv("CTNET_DATA_DIR"); env != nullptr && *env != '\0')
        tried.push_back(std::filesystem::path(env) / "mnist");
    // libdir may be lib/ or lib/<multiarch>/: look one and two levels up.
    if (const auto lib = library_dir(); !lib.empty()) {
        tried.push_back(lib.parent_path() / "share" / "ctnet" / "mnist");
        tried.push_back(lib.parent_path().parent_path() / "share" / "ctnet" / "mnist");
    }
    // A library running from its build tree is not beside a share/ directory:
    // its own source tree comes next, the configured prefix last (a static
    // libctnet linked into an installed program).
    tried.push_back(std::filesystem::path(CTNET_SOURCE_DATA_DIR) / "mnist");
    tried.push_back(std::filesystem::path(CTNET_INSTALL_DATA_DIR) / "mnist");
    for (const auto& dir : tried)
        if (holds_mnist(dir)) {
            std::error_code ec;
            const auto canonical = std::filesystem::canonical(dir, ec);
            return ec ? dir : canonical;
        }
    std::string where;
    for (const auto& dir : tried) where += "\n  " + dir.string();
    throw Error("the bundled MNIST digits are not installed; looked in:" + where +
                "\n(set CTNET_DATA_DIR to the directory that holds mnist/)");
}

}  // namespace ctnet
