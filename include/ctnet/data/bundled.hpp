// bundled.hpp — bundled_mnist_dir(): where the digits that ship with ctnet are, in a build tree or an installed prefix.
#pragma once

#include <filesystem>

namespace ctnet {

// The directory holding the 10,000 bundled MNIST digits (data/mnist in the
// source tree; <prefix>/share/ctnet/mnist once installed), for load_mnist:
//
//     auto [train, test] = ctnet::load_mnist<float>(ctnet::bundled_mnist_dir());
//
// Looked for, in order: $CTNET_DATA_DIR/mnist; next to the libctnet that is
// running (<libdir>/../share/ctnet/mnist, so a relocated prefix works); the
// source tree it was built from (a build tree); the install prefix it was
// configured with. Returns the canonical path; throws ctnet::Error naming
// every place tried if none holds the files.
std::filesystem::path bundled_mnist_dir();

}  // namespace ctnet
