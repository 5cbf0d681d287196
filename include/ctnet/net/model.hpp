// model.hpp — Model<Net, T, Batch>: a network instantiated for an element type and a batch size.
#pragma once

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/range.hpp>
#include <boost/hana/tuple.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../config.hpp"
#include "../layer/affine.hpp"
#include "../layer/init.hpp"
#include "../layer/mode.hpp"
#include "../layer/softmax.hpp"
#include "../matrix/matrix.hpp"
#include "../matrix/reduce.hpp"
#include "../parallel/pool.hpp"
#include "../random.hpp"
#include "layer_state.hpp"
#include "param.hpp"
#include "sequential.hpp"
#include "target.hpp"

namespace ctnet::inline CTNET_ABI {

namespace detail {

// One layer inside a model: the bound layer, its output and the gradient of
// the loss with respect to that output (which the next layer's backward fills).
template <class Spec, class T, std::size_t B, Dims In>
struct LayerNode {
    static constexpr std::size_t in = In.size(), out = next_shape<Spec>(In).size();
    bound_layer<Spec, T, B, In> layer;
    Matrix<T, B, out> y;
    Matrix<T, B, out> dy;
};

template <class L>
concept HasParams = requires(L& l) { l.for_each_param([](auto, auto&, auto&, bool) {}); };

// A layer whose parameters have a shape of their own in the book (a
// Convolution's filters, (FN, C, FH, FW)): param_shape(base) gives it, or
// nothing for a parameter shown as the matrix it is stored as.
template <class L>
concept HasParamShape = requires(const L& l, std::string_view base) {
    { l.param_shape(base) } -> std::convertible_to<std::vector<std::size_t>>;
};

// A layer whose weights take the L2 penalty (Affine, Convolution).
template <class L>
concept Decaying = requires(L& l) {
    l.weight_decay;
    l.decay_loss();
};

template <class L>
concept Initialisable = requires(L& l, const Init& i, Rng& r) { l.initialize(i, r); };

// A layer that computes differently in training (Dropout, BatchNorm) takes
// the Mode as forward's third argument; any other keeps forward(x, y).
template <class L, class X, class Y>
concept ModalForward = requires(L& l, const X& x, Y& y, Mode m) { l.forward(x, y, m); };

// A layer with a dropout ratio (Model::set_dropout).
template <class L>
concept Dropping = requires(L& l) {
    { l.ratio } -> std::same_as<double&>;
};

// What stands in for an invalid network once its compile error has been
// reported, so that the error is not followed by a cascade.
using PlaceholderNet = Sequential<Affine<1, 1>>;

template <std::size_t N>
constexpr auto indices = boost::hana::make_range(boost::hana::size_c<0>, boost::hana::size_c<N>);

}  // namespace detail

// A network for element type T (float or double) and batch size B: it owns
// every parameter, gradient and intermediate buffer, allocated once here, and
// runs forward and backward unrolled over the layers at compile time (no
// virtual call, no loop over layers, no allocation in a step).
//
// The book's TwoLayerNet interface:
//
//     using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>,
//                                   ctnet::SoftmaxWithLoss>;
//     ctnet::Model<Net, double, 3> net;          // W ~ N(0, 0.01^2), b = 0, seed 0
//     const auto& scores = net.predict(x);       // x: Matrix<double, 3, 784>
//     double loss = net.loss(x, labels);         // labels: 3 integers, or a 3 x 10 one-hot Matrix
//     net.gradient(x, labels);                   // backprop; net.grad("W1") is dL/dW1
//     auto numeric = net.numerical_gradient(x, labels);
//     double acc = net.accuracy(x, labels);
//
// Parameters are named as the book names them: W1, b1, W2, b2, ..., each
// name numbered by the parameters of that name before it (so a BatchNorm's
// are gamma1, beta1, ... between W1 and W2, as in the book's MultiLayerNetExtend).
//
// Layers that behave differently in training (Dropout, BatchNorm) are run in
// Mode::infer by predict, accuracy, evaluate and loss(x, t) (the book's
// train_flg=False), and in Mode::train by gradient and sgd_step; see
// layer/mode.hpp.
template <class Net, class T, std::size_t B>
class Model {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                  "ctnet: Model<Net, T, Batch> runs in float or double");
    static_assert(B > 0, "ctnet: Model<Net, T, Batch> needs a batch of at least one sample");
    using Spec = std::conditional_t<Net::valid, Net, detail::PlaceholderNet>;

public:
    static constexpr std::size_t batch = B;
    static constexpr std::size_t layers = Spec::size;
    static constexpr bool has_loss = Spec::has_loss;
    // Layers before the loss layer (all of them without one).
    static constexpr std::size_t body = has_loss ? layers - 1 : layers;
    static constexpr std::size_t input_width = Spec::widths[0];
    static constexpr std::size_t output_width = Spec::widths[body];

    using Input = Matrix<T, B, input_width>;
    using Output = Matrix<T, B, output_width>;

private:
    template <std::size_t I>
    using node_t = detail::LayerNode<typename Spec::template layer<I>, T, B, Spec::shapes[I]>;
    template <std::size_t... I>
    static auto nodes_type(std::index_sequence<I...>) -> boost::hana::tuple<node_t<I>...>;
    using Nodes = decltype(nodes_type(std::make_index_sequence<body>{}));

public:
    // Whether some layer keeps state besides its parameters (BatchNorm's
    // running statistics, Dropout's generator): a checkpoint then carries a
    // "layers" section (net/layer_state.hpp).
    static constexpr bool has_layer_state = []<std::size_t... I>(std::index_sequence<I...>) {
        return (detail::HasState<decltype(node_t<I>::layer)> || ...);
    }(std::make_index_sequence<body>{});

private:
    struct NoLoss {};
    static auto loss_type() {
        if constexpr (has_loss)
            return typename Spec::template layer<layers - 1>::template Impl<T, B, output_width>{};
        else
            return NoLoss{};
    }
    using LossImpl = decltype(loss_type());

    template <class L>
    static constexpr bool labels_v = detail::LabelRange<L>;
    // Whether Target can be the targets of one batch; if not, the one compile
    // error that says why has been emitted (target.hpp), and the caller stops.
    template <class Target, bool NeedsLoss = true>
    static constexpr bool takes_target = detail::check_target<Net, T, B, NeedsLoss, Target>();

public:
    explicit Model(const Init& init = Init::gaussian(0.01), std::uint64_t seed = 0) { initialize(init, seed); }

    // Re-draws every weight from `init` with a fresh generator seeded by
    // `seed`; biases become zero. The same seed gives the same weights.
    // A layer with a generator of its own (Dropout) restarts it from the seed
    // and its index, so its draws leave the weights' stream alone.
    void initialize(const Init& init, std::uint64_t seed) {
        Rng rng(seed);
        boost::hana::for_each(detail::indices<body>, [&](auto i) {
            auto& layer = boost::hana::at(nodes_, i).layer;
            using L = std::remove_cvref_t<decltype(layer)>;
            if constexpr (detail::Initialisable<L>) layer.initialize(init, rng);
            if constexpr (detail::Seeded<L>) layer.seed(detail::layer_seed(seed, decltype(i)::value));
        });
    }

    // Weight decay, as the book's MultiLayerNet(weight_decay_lambda): the
    // loss gains 0.5 lambda sum W^2 over every weight matrix (biases exempt)
    // and each weight's gradient lambda W; the fused SGD step applies it in
    // the same pass (Affine::backward_sgd). 0, the default, is no decay.
    //
    //     net.set_weight_decay(0.1);
    void set_weight_decay(T lambda) {
        weight_decay_ = lambda;
        boost::hana::for_each(nodes_, [&](auto& node) {
            if constexpr (detail::Decaying<decltype(node.layer)>) node.layer.weight_decay = lambda;
        });
    }
    T weight_decay() const { return weight_decay_; }

    // The book's dropout_ratio for every Dropout (and InvertedDropout) layer:
    // the probability that an element is dropped in training, in [0, 1)
    // (anything else throws ctnet::Error). A network without one ignores it.
    //
    //     net.set_dropout(0.15);
    void set_dropout(double ratio) {
        if (!(ratio >= 0.0 && ratio < 1.0))
            throw Error("dropout ratio " + std::to_string(ratio) + " is outside [0, 1): it is the share of the signal dropped");
        boost::hana::for_each(nodes_, [&](auto& node) {
            if constexpr (detail::Dropping<decltype(node.layer)>) node.layer.ratio = ratio;
        });
    }

    // ---- one batch -----------------------------------------------------------

    // The scores of the last layer before the loss (the book's predict(x,
    // train_flg=False); pass Mode::train for its train_flg=True).
    const Output& predict(const Input& x, Mode mode = Mode::infer) {
        forward(x, mode);
        return last_output();
    }

    // Mean loss of the batch. t: one label per sample (any range of integers)
    // or a one-hot / target Matrix of the output's shape. As the book's
    // loss(x, t, train_flg=False), in Mode::infer.
    template <class Target>
    T loss(const Input& x, const Target& t) {
        return loss(x, t, Mode::infer);
    }

    // The same in the given mode: Mode::train is the loss a training step
    // sees (and draws new Dropout masks, updates BatchNorm's running statistics).
    template <class Target>
    T loss(const Input& x, const Target& t, Mode mode) {
        if constexpr (!takes_target<Target>) {
            return T(0);
        } else {
            forward(x, mode);
            return loss_.forward(last_output(), t, B) + decay_loss();
        }
    }

    // Backpropagation: forward, loss, and backward through every layer,
    // leaving each parameter's gradient in the model (grad("W1"), gradients()).
    // Returns the loss.
    template <class Target>
    T gradient(const Input& x, const Target& t) {
        return gradient(x, t, B);
    }

    // The same for the first n <= B samples of the batch (a distributed
    // run's share of a global batch, data/shard.hpp): the loss and the
    // gradients are their mean, the other rows only padding. Exact for
    // networks whose layers treat each sample alone: not BatchNorm, whose
    // statistics span the whole batch (n < B is then refused).
    template <class Target>
    T gradient(const Input& x, const Target& t, std::size_t n) {
        if constexpr (!takes_target<Target>) {
            return T(0);
        } else {
            if (n == 0 || n > B || (n < B && has_layer_state))
                throw Error("Model::gradient: " + std::to_string(n) + " samples of a batch of " + std::to_string(B) +
                            (n < B && n > 0 ? " in a network with layer state (BatchNorm's statistics span the batch)"
                                            : ""));
            forward(x, Mode::train);
            const T l = loss_.forward(last_output(), t, n) + decay_loss();
            backward(x, t, n);
            return l;
        }
    }

    // One SGD step with the update fused into backward: layers that can
    // (Affine) apply W -= lr * dW as each gradient product leaves registers and
    // never store the gradient; any others are updated from their gradients.
    // Numerically the same as gradient() followed by Sgd::update. Returns the loss.
    template <class Target>
    T sgd_step(const Input& x, const Target& t, T lr) {
        if constexpr (!takes_target<Target>) {
            return T(0);
        } else {
            forward(x, Mode::train);
            const T l = loss_.forward(last_output(), t, B) + decay_loss();
            loss_.backward(last_output(), t, B, last_node().dy);
            boost::hana::for_each(detail::indices<body>, [&](auto j) {
                constexpr std::size_t i = body - 1 - decltype(j)::value;
                auto& node = boost::hana::at_c<i>(nodes_);
                constexpr bool want_dx = i > 0;
                auto* dx = dx_of<i>();
                constexpr bool fused =
                    requires { node.layer.template backward_sgd<want_dx>(input_of<i>(x), node.dy, dx, lr); };
                if constexpr (fused) {
                    node.layer.template backward_sgd<want_dx>(input_of<i>(x), node.dy, dx, lr);
                } else {
                    node.layer.template backward<want_dx>(input_of<i>(x), node.y, node.dy, dx);
                    if constexpr (detail::HasParams<decltype(node.layer)>)
                        node.layer.for_each_param([&](auto, auto& p, auto& g, bool) { p -= lr * g; });
                }
            });
            return l;
        }
    }

    // Fraction of samples whose highest score is the label.
    template <class Target>
    double accuracy(const Input& x, const Target& t) {
        if constexpr (!takes_target<Target, false>) return 0.0;
        else return static_cast<double>(count_correct(predict(x), t, B)) / static_cast<double>(B);
    }

    // Central differences, (L(p + h) - L(p - h)) / 2h for every parameter
    // element (book 4.4, h = 1e-4): slow and simple, the reference that
    // backprop is checked against.
    //
    // A float model is differentiated in double, on a copy of itself: in
    // float no step works. Rounding the loss (about 1e-7 of it) costs
    // 1e-7 / h, so h = 1e-4 gave relative errors of 1.0 and more, silently;
    // a step of 1e-2 that tames the rounding crosses ReLU kinks of the
    // hidden pre-activations (about 0.01 at the book's initialisation) and
    // errs as much. The copy computes in double with h as given, and the
    // result is rounded to float: within float's precision of the true gradient.
    //
    // With Dropout or BatchNorm, the loss differentiated is the one the next
    // training step (gradient, sgd_step) will see: one Mode::train pass draws
    // the masks that step will draw, every difference reuses them
    // (Mode::train_frozen: a fresh mask per evaluation would make each
    // difference compare two networks, pure noise), and the generators and
    // running statistics are then put back as they were. So the model is
    // left unchanged, and numerical_gradient then gradient (the book's order,
    // and gradient_check's) compare the same function. Training by numerical
    // gradients alone would thus reuse one mask: call gradient() for that.
    template <class Target>
    ParamSet<T> numerical_gradient(const Input& x, const Target& t, T h = T(1e-4)) {
        if constexpr (std::is_same_v<T, float> && takes_target<Target>) {
            auto twin = std::make_unique<Model<Net, double, B>>();
            twin->set_weight_decay(static_cast<double>(weight_decay_));
            // Generators, ratios and running statistics as ours: the twin's
            // training pass draws the very masks our next step will.
            detail::LayerStateCopy state;
            state.capture(*this);
            state.apply(*twin);
            const ParamSet<T> mine = parameters();
            twin->for_each_param([&](const std::string& name, ParamView<double> p, ParamView<double>) {
                const Tensor<T>& src = mine[name];
                for (std::size_t i = 0; i < p.rows(); ++i)
                    for (std::size_t j = 0; j < p.cols(); ++j) p(i, j) = src(i, j);
            });
            auto xd = std::make_unique<Matrix<double, B, input_width>>();
            for (std::size_t i = 0; i < B; ++i)
                for (std::size_t j = 0; j < input_width; ++j) (*xd)(i, j) = x(i, j);
            ParamSet<T> out;
            for (const Tensor<double>& g : twin->numerical_gradient(*xd, in_double(t), static_cast<double>(h))) {
                Tensor<T> r{g.name, g.rows, g.cols, std::vector<T>(g.values.size())};
                for (std::size_t k = 0; k < g.values.size(); ++k) r.values[k] = static_cast<T>(g.values[k]);
                out.add(std::move(r));
            }
            return out;
        }
        ParamSet<T> out;
        if constexpr (takes_target<Target>) {
            struct Restore {  // also when a bad target throws
                Model& model;
                detail::LayerStateCopy saved;
                ~Restore() { saved.apply(model); }
            } restore{*this, {}};
            if constexpr (has_layer_state) {
                restore.saved.capture(*this);
                forward(x, Mode::train);
            }
            for_each_param([&](const std::string& name, ParamView<T> p, ParamView<T>) {
                Tensor<T> g{name, p.rows(), p.cols(), std::vector<T>(p.size())};
                for (std::size_t i = 0; i < p.rows(); ++i)
                    for (std::size_t j = 0; j < p.cols(); ++j) {
                        T& v = p(i, j);
                        const T saved = v;
                        v = saved + h;
                        const T plus = loss(x, t, Mode::train_frozen);
                        v = saved - h;
                        const T minus = loss(x, t, Mode::train_frozen);
                        v = saved;
                        g(i, j) = (plus - minus) / (2 * h);
                    }
                out.add(std::move(g));
            });
        }
        return out;
    }

    // A target in double for the double twin: one-hot rows converted, labels as they are.
    template <class U>
    static decltype(auto) in_double(const U& t) {
        if constexpr (is_matrix_v<U>) {
            Matrix<double, U::rows, U::cols> m;
            for (std::size_t i = 0; i < U::rows; ++i)
                for (std::size_t j = 0; j < U::cols; ++j) m(i, j) = t(i, j);
            return m;
        } else {
            return (t);
        }
    }

    // ---- any number of samples, in batches of B -------------------------------

    // Runs predict over n samples. fill(first, count, x) writes samples
    // [first, first + count) into the first count rows of x (count < B only for
    // the last batch; the other rows are zero); visit(first, count, scores)
    // sees each batch's output.
    template <class Fill, class Visit>
    void predict_batches(std::size_t n, Fill&& fill, Visit&& visit) {
        for (std::size_t first = 0; first < n; first += B) predict_batch(first, std::min(B, n - first), fill, visit);
    }

    // Accuracy over n = labels.size() samples stored row after row in `inputs`
    // (n * input_width values), as the book's accuracy(x_test, t_test).
    template <class L>
    double accuracy(std::span<const T> inputs, const L& labels) {
        const std::size_t n = samples_in(inputs, std::size(labels));
        std::size_t correct = 0;
        predict_batches(n, copy_rows(inputs), [&](std::size_t first, std::size_t count, const Output& scores) {
            correct += count_correct(scores, std::span(std::data(labels) + first, count), count);
        });
        return n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
    }

    struct Evaluation {
        double loss = 0;      // mean over the samples, of the loss layer alone (no weight-decay penalty)
        double accuracy = 0;  // fraction whose highest score is the label
    };

    // Mean loss and accuracy over n = labels.size() samples stored row after
    // row in `inputs`, from one forward pass.
    template <class L>
    Evaluation evaluate(std::span<const T> inputs, const L& labels) {
        return evaluate_batches(samples_in(inputs, std::size(labels)), copy_rows(inputs), labels);
    }

    // The same for samples that fill(first, count, x) writes into batches
    // (see predict_batches): data kept in another form, such as bytes.
    //
    // With several threads (parallel/pool.hpp), a network whose parameters
    // fit in half the L2 cache evaluates whole batches on each thread, each on
    // its own copy of the network, when there are at least two batches per
    // thread: its products are too short to share well (784-50-10 at batch
    // 100 evaluated 1.43x faster on two threads by sharing each product, the
    // rows' conversion serial). Larger networks share each product as
    // training does. The batches' losses are summed in batch order, so the
    // result is the same, bit for bit, on any thread count. fill may be
    // called from several threads at once, for different batches: it must
    // only read its data.
    template <class Fill, class L>
    Evaluation evaluate_batches(std::size_t n, Fill&& fill, const L& labels) {
        if constexpr (!detail::check_has_loss<Net>()) {
            return {};
        } else {
            if (std::size(labels) != n)
                throw Error("expected " + std::to_string(n) + " labels, got " + std::to_string(std::size(labels)));
            if (n == 0) return {};
            const std::size_t batches = (n + B - 1) / B, workers = std::min(ctnet::threads(), batches / 2);
            // Each batch's loss and correct count, in its slot.
            std::vector<double> losses(batches);
            std::vector<std::size_t> correct(batches);
            // Batches [first, last) on network m: one instantiation for both ways below.
            const auto run = [&](Model& m, std::size_t first_batch, std::size_t last_batch) {
                for (std::size_t b = first_batch; b < last_batch; ++b)
                    m.predict_batch(b * B, std::min(B, n - b * B), fill,
                                    [&](std::size_t first, std::size_t count, const Output& scores) {
                                        const auto batch_labels = std::span(std::data(labels) + first, count);
                                        losses[b] = static_cast<double>(m.loss_.forward(scores, batch_labels, count)) *
                                                    static_cast<double>(count);
                                        correct[b] = count_correct(scores, batch_labels, count);
                                    });
            };
            if (workers < 2 || parameter_bytes() > detail::gemm::l2_bytes / 2) {
                run(*this, 0, batches);
            } else {
                // Copies made here, before any thread reads this network's buffers.
                std::vector<std::unique_ptr<Model>> copies(workers - 1);
                for (auto& c : copies) c = std::make_unique<Model>(*this);
                std::vector<std::exception_ptr> failed(workers);
                parallel::for_chunks(workers, [&](std::size_t first_chunk, std::size_t last_chunk) {
                    for (std::size_t c = first_chunk; c < last_chunk; ++c) {
                        try {
                            run(c == 0 ? *this : *copies[c - 1], c * batches / workers, (c + 1) * batches / workers);
                        } catch (...) {
                            failed[c] = std::current_exception();
                        }
                    }
                });
                for (const auto& e : failed)
                    if (e) std::rethrow_exception(e);
            }
            double total = 0;
            std::size_t right = 0;
            for (std::size_t b = 0; b < batches; ++b) {
                total += losses[b];
                right += correct[b];
            }
            return {total / static_cast<double>(n), static_cast<double>(right) / static_cast<double>(n)};
        }
    }

    // The bytes of the network's parameters (weights, biases, BatchNorm's scales and shifts).
    std::size_t parameter_bytes() {
        std::size_t bytes = 0;
        for_each_param([&](const std::string&, ParamView<T> p, ParamView<T>) { bytes += p.size() * sizeof(T); });
        return bytes;
    }

    // Mean loss over n = labels.size() samples stored row after row in `inputs`.
    template <class L>
    T loss(std::span<const T> inputs, const L& labels) {
        return static_cast<T>(evaluate(inputs, labels).loss);
    }

    // ---- parameters -------------------------------------------------------------

    // f(name, value, gradient) for every parameter, in order (W1, b1, W2, ...),
    // each a ParamView in the book's shape.
    template <class F>
    void for_each_param(F&& f) {
        boost::hana::for_each(detail::indices<body>, [&](auto i) {
            auto& layer = boost::hana::at(nodes_, i).layer;
            if constexpr (detail::HasParams<decltype(layer)>) {
                layer.for_each_param([&](std::string_view base, auto& p, auto& g, bool transposed) {
                    using M = std::remove_cvref_t<decltype(p)>;
                    const std::size_t r = transposed ? M::cols : M::rows, c = transposed ? M::rows : M::cols;
                    const std::string name = param_name<decltype(i)::value>(base);
                    std::vector<std::size_t> dims;
                    if constexpr (detail::HasParamShape<decltype(layer)>) dims = layer.param_shape(base);
                    f(name, ParamView<T>(name, p.data(), r, c, M::stride, transposed, dims),
                      ParamView<T>(name, g.data(), r, c, M::stride, transposed, dims));
                });
            }
        });
    }

    // The same with the stored matrices themselves (for optimizers and
    // checkpoints): f(name, value, gradient) with value and gradient of type Matrix.
    template <class F>
    void for_each_param_matrix(F&& f) {
        boost::hana::for_each(detail::indices<body>, [&](auto i) {
            auto& layer = boost::hana::at(nodes_, i).layer;
            if constexpr (detail::HasParams<decltype(layer)>) {
                layer.for_each_param([&](std::string_view base, auto& p, auto& g, bool) {
                    f(param_name<decltype(i)::value>(base), p, g);
                });
            }
        });
    }

    // The layer-state protocol (net/layer_state.hpp): v.scalar / v.matrix /
    // v.rng for every piece of state of every layer that keeps some, named
    // "<layer><n>/<piece>" ("BatchNorm1/running_mean", "Dropout2/rng"), n
    // counting the layers of that name.
    template <class V>
    void visit_layer_state(V& v) {
        boost::hana::for_each(detail::indices<body>, [&](auto i) {
            auto& layer = boost::hana::at(nodes_, i).layer;
            if constexpr (detail::HasState<std::remove_cvref_t<decltype(layer)>>) {
                const std::string prefix = layer_label<decltype(i)::value>();
                detail::PrefixedVisitor<V> named{v, prefix};
                layer.visit_state(named);
            }
        });
    }

    ParamView<T> param(std::string_view name) { return find(name, false); }
    ParamView<T> grad(std::string_view name) { return find(name, true); }

    // Copies of the current gradients, by name (the book's grads dictionary).
    ParamSet<T> gradients() {
        ParamSet<T> out;
        for_each_param([&](const std::string& name, ParamView<T>, ParamView<T> g) { out.add(copy(name, g)); });
        return out;
    }
    ParamSet<T> parameters() {
        ParamSet<T> out;
        for_each_param([&](const std::string& name, ParamView<T> p, ParamView<T>) { out.add(copy(name, p)); });
        return out;
    }

    // Bound layer I, for direct access (model.layer<0>().W).
    template <std::size_t I>
    auto& layer() {
        if constexpr (I == body) return loss_;
        else return boost::hana::at_c<I>(nodes_).layer;
    }

    // "Affine(784 -> 50) > Relu(50) > Affine(50 -> 10) > SoftmaxWithLoss(10)";
    // a layer of images shows their shapes, "Convolution(1x28x28 -> 30x24x24)".
    static std::string describe() {
        std::string s;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((s += (I ? " > " : "") + describe_layer<I>()), ...);
        }(std::make_index_sequence<layers>{});
        return s + (std::is_same_v<T, float> ? " [float]" : " [double]");
    }

private:
    template <std::size_t I>
    static std::string describe_layer() {
        using L = typename Spec::template layer<I>;
        constexpr Dims in = Spec::shapes[I], out = Spec::shapes[I + 1];
        const auto text = [](Dims d) {
            return d.flat() ? std::to_string(d.w)
                            : std::to_string(d.c) + "x" + std::to_string(d.h) + "x" + std::to_string(d.w);
        };
        return std::string(L::name) + "(" + text(in) + (in != out ? " -> " + text(out) : "") + ")";
    }

    // A parameter's name: its layer's name for it, numbered by the
    // parameters of that name in the layers before (W1, b1, gamma1, beta1, W2, ...).
    template <std::size_t I>
    std::string param_name(std::string_view base) {
        std::size_t n = 1;
        boost::hana::for_each(detail::indices<I>, [&](auto j) {
            auto& earlier = boost::hana::at(nodes_, j).layer;
            if constexpr (detail::HasParams<decltype(earlier)>)
                earlier.for_each_param([&](std::string_view b, auto&, auto&, bool) { n += b == base; });
        });
        return std::string(base) + std::to_string(n);
    }

    // "BatchNorm1": the layer's name, numbered by the layers of that name up to it.
    template <std::size_t I>
    static std::string layer_label() {
        using L = typename Spec::template layer<I>;
        std::size_t n = 1;
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            ((n += Spec::template layer<J>::name == L::name), ...);
        }(std::make_index_sequence<I>{});
        return std::string(L::name) + std::to_string(n);
    }

    // The penalty part of the loss: 0.5 lambda sum W^2 over the decaying layers.
    T decay_loss() const {
        T total = 0;
        if (weight_decay_ != T(0))
            boost::hana::for_each(nodes_, [&](const auto& node) {
                if constexpr (detail::Decaying<std::remove_cvref_t<decltype(node.layer)>>) total += node.layer.decay_loss();
            });
        return total;
    }

    void forward(const Input& x, Mode mode) {
        boost::hana::for_each(detail::indices<body>, [&](auto i) {
            auto& node = boost::hana::at(nodes_, i);
            const auto& in = input_of<decltype(i)::value>(x);
            using L = decltype(node.layer);
            if constexpr (detail::ModalForward<L, std::remove_cvref_t<decltype(in)>, decltype(node.y)>)
                node.layer.forward(in, node.y, mode);
            else
                node.layer.forward(in, node.y);
        });
    }

    template <class Target>
    void backward(const Input& x, const Target& t, std::size_t n) {
        loss_.backward(last_output(), t, n, last_node().dy);
        boost::hana::for_each(detail::indices<body>, [&](auto j) {
            constexpr std::size_t i = body - 1 - decltype(j)::value;
            auto& node = boost::hana::at_c<i>(nodes_);
            node.layer.template backward<(i > 0)>(input_of<i>(x), node.y, node.dy, dx_of<i>());
        });
    }

    // Layer i reads the model's input (i = 0) or the previous layer's output.
    template <std::size_t I>
    const auto& input_of(const Input& x) const {
        if constexpr (I == 0) return x;
        else return boost::hana::at_c<I - 1>(nodes_).y;
    }
    // Layer i writes its input gradient into the previous layer's dy; the
    // first layer's is nobody's, so it gets none and skips computing it.
    template <std::size_t I>
    auto* dx_of() {
        if constexpr (I == 0) return static_cast<Input*>(nullptr);
        else return &boost::hana::at_c<I - 1>(nodes_).dy;
    }

    auto& last_node() { return boost::hana::at_c<body - 1>(nodes_); }
    const Output& last_output() const { return boost::hana::at_c<body - 1>(nodes_).y; }

    template <class Target>
    static std::size_t count_correct(const Output& scores, const Target& t, std::size_t n) {
        const auto predicted = row_argmax(scores);
        std::size_t correct = 0;
        if constexpr (labels_v<Target>) {
            detail::check_labels<output_width>(t, n);
            for (std::size_t b = 0; b < n; ++b) correct += predicted[b] == static_cast<std::uint32_t>(t[b]);
        } else {
            const auto expected = row_argmax(t);
            for (std::size_t b = 0; b < n; ++b) correct += predicted[b] == expected[b];
        }
        return correct;
    }

    static std::size_t samples_in(std::span<const T> inputs, std::size_t labels) {
        if (inputs.size() != labels * input_width)
            throw Error("expected " + std::to_string(labels) + " samples of " + std::to_string(input_width) +
                        " values for " + std::to_string(labels) + " labels, got " + std::to_string(inputs.size()) +
                        " values");
        return labels;
    }

    static auto copy_rows(std::span<const T> inputs) {
        return [inputs](std::size_t first, std::size_t count, Input& x) {
            for (std::size_t r = 0; r < count; ++r)
                std::copy_n(inputs.data() + (first + r) * input_width, input_width, x.row_ptr(r));
        };
    }

    ParamView<T> find(std::string_view name, bool gradient) {
        std::vector<ParamView<T>> found;
        std::string known;
        for_each_param([&](const std::string& n, ParamView<T> p, ParamView<T> g) {
            if (n == name) found.push_back(gradient ? g : p);
            known += (known.empty() ? "" : ", ") + n;
        });
        if (found.empty()) throw Error("no parameter named '" + std::string(name) + "' (this network has " + known + ")");
        return found.front();
    }

    static Tensor<T> copy(const std::string& name, const ParamView<T>& v) {
        Tensor<T> t{name, v.rows(), v.cols(), std::vector<T>(v.size())};
        for (std::size_t i = 0; i < v.rows(); ++i)
            for (std::size_t j = 0; j < v.cols(); ++j) t(i, j) = v(i, j);
        return t;
    }

    // One batch of predict_batches: samples [first, first + count).
    template <class Fill, class Visit>
    void predict_batch(std::size_t first, std::size_t count, Fill& fill, Visit&& visit) {
        if (count < B) batch_x_.set_zero();
        fill(first, count, batch_x_);
        visit(first, count, static_cast<const Output&>(predict(batch_x_)));
    }

    Nodes nodes_;
    T weight_decay_ = 0;
    [[no_unique_address]] LossImpl loss_;
    Input batch_x_;  // the batch buffer of predict_batches and the span overloads
};

}  // namespace ctnet
