// storage.hpp — the aligned buffer behind a Matrix: inline when small, one heap block when large.
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>
#include <utility>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI::detail {

// Above this size a matrix keeps its elements on the heap, so any Matrix is a
// safe local variable (a 100x784 float matrix is 313 KB; Eigen's fixed-size
// matrices refuse such sizes on the stack, ctnet allocates them once).
inline constexpr std::size_t inline_storage_bytes = 16 * 1024;

template <class T, std::size_t N, bool OnHeap = (N * sizeof(T) > inline_storage_bytes)>
class Storage;

template <class T, std::size_t N>
class Storage<T, N, false> {
public:
    static constexpr bool on_heap = false;
    Storage() noexcept { std::fill_n(data_, N, T(0)); }
    T* data() noexcept { return data_; }
    const T* data() const noexcept { return data_; }
    void ensure() noexcept {}

private:
    alignas(buffer_alignment) T data_[N];
};

template <class T, std::size_t N>
class Storage<T, N, true> {
public:
    static constexpr bool on_heap = true;

    Storage() : data_(allocate()) { std::fill_n(data_, N, T(0)); }
    Storage(const Storage& other) : data_(allocate()) { std::copy_n(other.data_, N, data_); }
    // A moved-from large matrix owns nothing; it may only be assigned to or destroyed.
    Storage(Storage&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}
    Storage& operator=(const Storage& other) {
        if (this != &other) {
            if (!data_) data_ = allocate();
            std::copy_n(other.data_, N, data_);
        }
        return *this;
    }
    Storage& operator=(Storage&& other) noexcept {
        std::swap(data_, other.data_);
        return *this;
    }
    ~Storage() { release(data_); }

    T* data() noexcept { return data_; }
    const T* data() const noexcept { return data_; }
    // Gives a moved-from matrix a zeroed buffer again before it is written.
    void ensure() {
        if (!data_) {
            data_ = allocate();
            std::fill_n(data_, N, T(0));
        }
    }

private:
    static T* allocate() {
        return static_cast<T*>(::operator new(N * sizeof(T), std::align_val_t{buffer_alignment}));
    }
    static void release(T* p) noexcept {
        if (p) ::operator delete(p, std::align_val_t{buffer_alignment});
    }
    T* data_;
};

}  // namespace ctnet::detail
