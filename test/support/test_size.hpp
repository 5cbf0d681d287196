// How large a test may be. test/meson.build sets CTNET_TEST_SIZE=small for the
// builds whose tests run 20-50x slower than native ones (under qemu, under the
// sanitizers), and a test that trains for long takes a shorter run there, with
// its own stated bound, instead of a longer timeout alone.
#pragma once

#include <cstdlib>
#include <string_view>

namespace ctnet::test {

inline bool small_test_size() {
    const char* size = std::getenv("CTNET_TEST_SIZE");
    return size != nullptr && std::string_view(size) == "small";
}

}  // namespace ctnet::test
