// files.hpp — temporary directories, file bytes and error-message checks shared by the tests that touch files.
#pragma once

#include <boost/test/unit_test.hpp>
#include <unistd.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "ctnet/config.hpp"

namespace ctnet::test {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

// A fresh directory of its own for each use, removed afterwards.
struct TempDir {
    fs::path path;
    TempDir() {
        static int serial = 0;
        path = fs::temp_directory_path() / ("ctnet-test-" + std::to_string(::getpid()) + "-" + std::to_string(serial++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

inline Bytes read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
inline std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
inline void write_bytes(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

// The message of the ctnet::Error f throws, or a description of what happened instead.
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const ctnet::Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("(threw a std::exception that is not ctnet::Error: ") + e.what() + ")";
    }
    return "(threw nothing)";
}

// Whether an error message mentions every part, naming the first it lacks.
inline boost::test_tools::assertion_result mentions(const std::string& message,
                                                    std::initializer_list<std::string_view> parts) {
    for (const std::string_view part : parts)
        if (message.find(part) == std::string::npos) {
            boost::test_tools::assertion_result r(false);
            r.message() << "\"" << message << "\" does not mention \"" << part << "\"";
            return r;
        }
    return true;
}

}  // namespace ctnet::test
