// bundled.cpp — finds the data that ships with ctnet (the bundled digits, the book's weights) from wherever libctnet is running.
#include "ctnet/data/bundled.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <initializer_list>
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

bool all_files(const std::filesystem::path& dir, std::initializer_list<const char*> names) {
    std::error_code ec;
    for (const char* name : names)
        if (!std::filesystem::is_regular_file(dir / name, ec)) return false;
    return true;
}

// The directory of the shared object this function is compiled into.
std::filesystem::path library_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&library_dir), &info) == 0 || info.dli_fname == nullptr) return {};
    std::error_code ec;
    const auto lib = std::filesystem::canonical(info.dli_fname, ec);
    return ec ? std::filesystem::path() : lib.parent_path();
}

// The first of the places below whose `sub` directory holds every one of
// `names`: $CTNET_DATA_DIR/<sub>; next to the libctnet that is running; the
// source tree; the configured prefix. Throws naming `what` and every place tried.
std::filesystem::path find_bundled(const char* sub, std::initializer_list<const char*> names, const char* what) {
    std::vector<std::filesystem::path> tried;
    if (const char* env = std::getenv("CTNET_DATA_DIR"); env != nullptr && *env != '\0')
        tried.push_back(std::filesystem::path(env) / sub);
    // libdir may be lib/ or lib/<multiarch>/: look one and two levels up.
    if (const auto lib = library_dir(); !lib.empty()) {
        tried.push_back(lib.parent_path() / "share" / "ctnet" / sub);
        tried.push_back(lib.parent_path().parent_path() / "share" / "ctnet" / sub);
    }
    // A library running from its build tree is not beside a share/ directory:
    // its own source tree comes next, the configured prefix last (a static
    // libctnet linked into an installed program).
    tried.push_back(std::filesystem::path(CTNET_SOURCE_DATA_DIR) / sub);
    tried.push_back(std::filesystem::path(CTNET_INSTALL_DATA_DIR) / sub);
    for (const auto& dir : tried)
        if (all_files(dir, names)) {
            std::error_code ec;
            const auto canonical = std::filesystem::canonical(dir, ec);
            return ec ? dir : canonical;
        }
    std::string where;
    for (const auto& dir : tried) where += "\n  " + dir.string();
    throw Error(std::string(what) + " are not installed; looked in:" + where +
                "\n(set CTNET_DATA_DIR to the directory that holds " + sub + "/)");
}

}  // namespace

std::filesystem::path bundled_mnist_dir() {
    return find_bundled("mnist", {"train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"},
                        "the bundled MNIST digits");
}

std::filesystem::path book_weights_dir() {
    return find_bundled("book-weights", {"simple_convnet.npz", "deep_convnet.npz"},
                        "the book's trained weights (simple_convnet.npz, deep_convnet.npz)");
}

}  // namespace ctnet
