// format.hpp — fmt support: fmt::print("{}", m) and fmt::print("{:.3f}", m) for any Matrix.
//
// Prints like numpy: nested brackets, one row per line; the format spec
// applies to each element. Matrices over 1000 elements are summarised with
// "..." (first and last three rows and columns), as numpy does.
#pragma once

#include <fmt/format.h>

#include <cstddef>

#include "matrix.hpp"

template <class T, std::size_t R, std::size_t C>
struct fmt::formatter<ctnet::Matrix<T, R, C>> : fmt::formatter<T> {
    template <class Ctx>
    auto format(const ctnet::Matrix<T, R, C>& m, Ctx& ctx) const -> decltype(ctx.out()) {
        constexpr bool summarise = R * C > 1000;
        constexpr std::size_t edge = 3;
        auto shown = [](std::size_t k, std::size_t n) { return !summarise || n <= 2 * edge || k < edge || k >= n - edge; };
        auto out = ctx.out();
        *out++ = '[';
        for (std::size_t i = 0; i < R; ++i) {
            if (!shown(i, R)) {
                if (i == edge) out = fmt::format_to(out, " ...,\n");
                continue;
            }
            if (i > 0) *out++ = ' ';
            *out++ = '[';
            for (std::size_t j = 0; j < C; ++j) {
                if (!shown(j, C)) {
                    if (j == edge) out = fmt::format_to(out, "..., ");
                    continue;
                }
                ctx.advance_to(out);
                out = fmt::formatter<T>::format(m(i, j), ctx);
                if (j + 1 < C) out = fmt::format_to(out, ", ");
            }
            *out++ = ']';
            if (i + 1 < R) out = fmt::format_to(out, ",\n");
        }
        *out++ = ']';
        return out;
    }
};
