// format.hpp — fmt support: fmt::print("{}", m) and fmt::print("{:.3f}", m) for any Matrix and any parameter view.
//
// Prints like numpy: nested brackets, one row per line; the format spec
// applies to each element. Matrices over 1000 elements are summarised with
// "..." (first and last three rows and columns), as numpy does. A ParamView
// (net.param("W1"), net.grad("W1")) prints the same way, in the book's shape.
#pragma once

#include <fmt/format.h>

#include <cstddef>

#include "../net/param.hpp"
#include "matrix.hpp"

namespace ctnet::inline CTNET_ABI::detail {

// Writes the rows x cols values at(i, j), each through element.format(value, ctx).
template <class Element, class At, class Ctx>
auto format_rows(const Element& element, std::size_t rows, std::size_t cols, At at, Ctx& ctx) -> decltype(ctx.out()) {
    const bool summarise = rows * cols > 1000;
    constexpr std::size_t edge = 3;
    auto shown = [&](std::size_t k, std::size_t n) { return !summarise || n <= 2 * edge || k < edge || k >= n - edge; };
    auto out = ctx.out();
    *out++ = '[';
    for (std::size_t i = 0; i < rows; ++i) {
        if (!shown(i, rows)) {
            if (i == edge) out = fmt::format_to(out, " ...,\n");
            continue;
        }
        if (i > 0) *out++ = ' ';
        *out++ = '[';
        for (std::size_t j = 0; j < cols; ++j) {
            if (!shown(j, cols)) {
                if (j == edge) out = fmt::format_to(out, "..., ");
                continue;
            }
            ctx.advance_to(out);
            out = element.format(at(i, j), ctx);
            if (j + 1 < cols) out = fmt::format_to(out, ", ");
        }
        *out++ = ']';
        if (i + 1 < rows) out = fmt::format_to(out, ",\n");
    }
    *out++ = ']';
    return out;
}

}  // namespace ctnet::detail

template <class T, std::size_t R, std::size_t C>
struct fmt::formatter<ctnet::Matrix<T, R, C>> : fmt::formatter<T> {
    template <class Ctx>
    auto format(const ctnet::Matrix<T, R, C>& m, Ctx& ctx) const -> decltype(ctx.out()) {
        const fmt::formatter<T>& element = *this;
        return ctnet::detail::format_rows(element, R, C, [&](std::size_t i, std::size_t j) { return m(i, j); }, ctx);
    }
};

template <class T>
struct fmt::formatter<ctnet::ParamView<T>> : fmt::formatter<T> {
    template <class Ctx>
    auto format(const ctnet::ParamView<T>& p, Ctx& ctx) const -> decltype(ctx.out()) {
        const fmt::formatter<T>& element = *this;
        return ctnet::detail::format_rows(element, p.rows(), p.cols(),
                                          [&](std::size_t i, std::size_t j) { return p(i, j); }, ctx);
    }
};
