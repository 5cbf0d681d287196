// eigen_step.hpp — the book's TwoLayerNet training step (784-50-10, ReLU, softmax
// with cross-entropy, batch 100, float, plain SGD), hand-written with Eigen 3.4
// fixed-size matrices: the peer ctnet's whole-step benchmark is compared against.
//
// The aim is the best honest Eigen version: every product is one Eigen product
// expression (noalias, no temporaries), the rest is Eigen array code, and the
// storage was chosen by measurement (bench/eigen_step_check.cpp times the
// alternatives in one run; the figures are in its header comment):
//
//   * W1 is stored transposed, 50x784 row-major (`W1Layout::out_in`, which is
//     the book's 784x50 matrix in column-major order). Both large products then
//     read W1 along the 784-long dimension: the forward z1 = x W1 is
//     x * W1t^T, and the update W1t -= lr dh^T x writes W1t row by row. Against
//     the book's 784x50 row-major layout it takes 5-7% less time per step and
//     25% (AVX2) to 43% (AVX-512) less in batch-1 inference, where the GEMV
//     becomes dot products along contiguous rows. `W1Layout::in_out` is kept
//     so the check can time it.
//   * The 100x50 and 100x10 intermediates are row-major (column-major hidden
//     buffers measured 3-10% slower).
//   * step() never materialises dW1 and dW2: each weight GEMM accumulates
//     -lr * gradient straight into the weights (Eigen's GEMM takes the alpha;
//     `W.noalias() -= (lr * A) * B` does not evaluate lr * A). Same arithmetic
//     as dW = A B; W -= lr dW, one pass over W1 fewer: 3-4% faster.
//     step_with_gradients() is the textbook form (gradients stored, then the
//     update) for a like-for-like comparison with code that keeps gradients.
//   * The small products (100x50x10) go through Eigen's GEMM too: lazyProduct
//     (coefficient-based) measured 16-22% slower for the whole step.
//
// Usage: the including file defines EIGEN_STACK_ALLOCATION_LIMIT 0 before the
// first include of Eigen (fixed-size matrices this large trip Eigen's stack
// guard), and allocates the net on the heap (std::make_unique): it is ~0.4 MB.
// Alignment: members are aligned to EIGEN_MAX_STATIC_ALIGN_BYTES (64 with
// AVX-512); C++17 aligned new honours alignof(BasicTwoLayerNet), and
// EIGEN_MAKE_ALIGNED_OPERATOR_NEW covers pre-C++17 builds.
//
// step() and predict_one() allocate nothing on the heap. step() does use about
// 0.5 MB of stack: Eigen's GEMM packs its operands into buffers that, for
// fixed sizes, are arrays on the stack (gemm_blocking_space<..., true>), fine
// for a main thread's 8 MB, not for a thread with a small stack.
#pragma once

#if !defined(EIGEN_STACK_ALLOCATION_LIMIT) || EIGEN_STACK_ALLOCATION_LIMIT != 0
#  error "define EIGEN_STACK_ALLOCATION_LIMIT 0 before including Eigen and bench/eigen_step.hpp"
#endif
#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <random>
#include <type_traits>

namespace bench::eigen_peer {

inline constexpr int batch = 100, inputs = 784, hidden = 50, outputs = 10;

// Row-major fixed-size float matrix (a single column must be column-major in Eigen).
template <int R, int C>
using Mat = Eigen::Matrix<float, R, C, C == 1 && R != 1 ? Eigen::ColMajor : Eigen::RowMajor>;

using Batch = Mat<batch, inputs>;
using Sample = Mat<1, inputs>;
using Labels = std::array<std::uint8_t, batch>;

// How W1 is stored: in_out is the book's 784x50 row-major matrix, out_in its
// transpose (50x784 row-major, i.e. the book's matrix in column-major order).
enum class W1Layout { in_out, out_in };

template <W1Layout Layout>
struct BasicTwoLayerNet {
    using W1Matrix = std::conditional_t<Layout == W1Layout::in_out, Mat<inputs, hidden>, Mat<hidden, inputs>>;

    // Parameters. W1 in `Layout`; w1() views it in the book's 784x50 orientation.
    W1Matrix W1;
    Mat<1, hidden> b1;
    Mat<hidden, outputs> W2;
    Mat<1, outputs> b2;

    // Forward buffers: pre-activation, activation, scores, softmax output.
    Mat<batch, hidden> z1, h;
    Mat<batch, outputs> s, y;
    Mat<batch, 1> rowmax, rowsum;  // per-sample max score and sum of exp(s - max)

    // Gradients. dW1 and dW2 are written by step_with_gradients() only; step()
    // folds them into the update.
    Mat<batch, outputs> ds;  // (softmax - onehot) / batch
    Mat<batch, hidden> dh;   // ds W2^T masked by z1 > 0
    W1Matrix dW1;            // same layout as W1
    Mat<1, hidden> db1;
    Mat<hidden, outputs> dW2;
    Mat<1, outputs> db2;

    // Batch-1 inference buffers.
    Mat<1, hidden> h1;
    Mat<1, outputs> s1;

    EIGEN_MAKE_ALIGNED_OPERATOR_NEW

    // W1 in the book's orientation (784x50), whatever the storage.
    decltype(auto) w1() const {
        if constexpr (Layout == W1Layout::in_out) return (W1);
        else return W1.transpose();
    }

    // W ~ N(0, 0.01^2), b = 0. W1 is drawn in the book's order (input-major), so
    // a seed gives the same weights in either layout.
    void init(std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        std::normal_distribution<float> normal(0.0f, 0.01f);
        for (int i = 0; i < inputs; ++i)
            for (int j = 0; j < hidden; ++j) w1_ref(i, j) = normal(rng);
        for (int i = 0; i < hidden; ++i)
            for (int j = 0; j < outputs; ++j) W2(i, j) = normal(rng);
        b1.setZero();
        b2.setZero();
    }

    // One SGD step on a batch; returns the batch's mean cross-entropy loss
    // (before the update). Labels must be < 10.
    float step(const Batch& x, const Labels& labels, float lr) {
        const float loss = forward_backward(x, labels);
        // dh was computed from the old W2 above, so W2 may change now.
        W2.noalias() -= (lr * h.transpose()) * ds;
        if constexpr (Layout == W1Layout::out_in) W1.noalias() -= (lr * dh.transpose()) * x;
        else W1.noalias() -= (lr * x.transpose()) * dh;
        b1 -= lr * db1;
        b2 -= lr * db2;
        return loss;
    }

    // The same step in the textbook form: dW1 and dW2 stored, then the update.
    float step_with_gradients(const Batch& x, const Labels& labels, float lr) {
        const float loss = forward_backward(x, labels);
        dW2.noalias() = h.transpose() * ds;
        if constexpr (Layout == W1Layout::out_in) dW1.noalias() = dh.transpose() * x;
        else dW1.noalias() = x.transpose() * dh;
        W1 -= lr * dW1;
        b1 -= lr * db1;
        W2 -= lr * dW2;
        b2 -= lr * db2;
        return loss;
    }

    // Batch-1 inference: sets cls to the argmax of the scores, returns that score.
    float predict_one(const Sample& x, int& cls) {
#if defined(EIGEN_VECTORIZE_AVX512)
        constexpr bool dot_products = Layout == W1Layout::out_in;
#else
        constexpr bool dot_products = false;
#endif
        if constexpr (dot_products) {
            // With 16-float packets, 50 coefficient-wise dot products of 784
            // (lazyProduct) beat Eigen's GEMV: 1.1 us against 1.5 us. With
            // 8-float packets they do not (1.65-1.85 us against 1.6 us).
            h1.noalias() = b1 + x.lazyProduct(W1.transpose());
        } else {
            h1 = b1;
            if constexpr (Layout == W1Layout::out_in) h1.noalias() += x * W1.transpose();
            else h1.noalias() += x * W1;
        }
        h1 = h1.cwiseMax(0.0f);
        s1.noalias() = b2 + h1.lazyProduct(W2);
        Eigen::Index arg;
        const float best = s1.maxCoeff(&arg);
        cls = static_cast<int>(arg);
        return best;
    }

private:
    decltype(auto) w1_ref(int i, int j) {
        if constexpr (Layout == W1Layout::in_out) return (W1(i, j));
        else return (W1(j, i));
    }

    // Forward, loss, and backward down to dh, db1, db2; returns the mean loss.
    float forward_backward(const Batch& x, const Labels& labels) {
        // h = relu(x W1 + b1): the bias goes in first and the GEMM accumulates onto it.
        z1.rowwise() = b1;
        if constexpr (Layout == W1Layout::out_in) z1.noalias() += x * W1.transpose();
        else z1.noalias() += x * W1;
        h = z1.cwiseMax(0.0f);

        s.rowwise() = b2;
        s.noalias() += h * W2;

        // Softmax and cross-entropy via log-sum-exp on max-shifted scores. The
        // shift is row by row; the exp runs over all 1000 floats at once, since
        // a row of 10 is no multiple of the packet and would not vectorise.
        rowmax = s.rowwise().maxCoeff();
        y = s;
        y.colwise() -= rowmax;
        y.array() = y.array().exp();
        rowsum = y.rowwise().sum();
        float loss = rowsum.array().log().sum();
        for (int i = 0; i < batch; ++i) loss -= s(i, labels[i]) - rowmax(i);
        y.array().colwise() /= rowsum.array();

        constexpr float inv_batch = 1.0f / batch;
        ds = y * inv_batch;
        for (int i = 0; i < batch; ++i) ds(i, labels[i]) -= inv_batch;
        db2 = ds.colwise().sum();

        dh.noalias() = ds * W2.transpose();
        dh.array() = (z1.array() > 0.0f).select(dh.array(), 0.0f);
        db1 = dh.colwise().sum();
        return loss * inv_batch;
    }
};

// The fastest formulation measured (see the top of this file).
using TwoLayerNet = BasicTwoLayerNet<W1Layout::out_in>;

static_assert(alignof(TwoLayerNet) >= EIGEN_MAX_STATIC_ALIGN_BYTES);

}  // namespace bench::eigen_peer
