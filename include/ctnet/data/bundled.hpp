// bundled.hpp — bundled_mnist_dir(), book_weights_dir(): where the data that ships with ctnet is, in a build tree or an installed prefix.
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

// The directory holding the book authors' trained SimpleConvNet and
// DeepConvNet, simple_convnet.npz and deep_convnet.npz (data/book-weights in
// the source tree, <prefix>/share/ctnet/book-weights once installed; their
// README gives provenance and licence), for load_npz into ctnet::book's
// networks. Looked for as bundled_mnist_dir() looks, under book-weights/.
//
//     ctnet::load_npz(net, ctnet::book_weights_dir() / "deep_convnet.npz");
std::filesystem::path book_weights_dir();

}  // namespace ctnet
