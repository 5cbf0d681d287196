// npz.hpp — read_npz / write_npz: NumPy arrays (.npy) in .npz zip archives, fully validated.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace ctnet {

// One array of an .npz archive. Values are held as double in C (row-major)
// order whatever the dtype, because a double holds every value of the dtypes
// read here exactly: float32 -> double -> float32 gives back the same bits
// (a signalling NaN may come back quiet), and so do uint8, int32 and every
// int64 up to 2^53; an int64 value a double cannot hold is refused, not rounded.
//
//     ctnet::write_npz("w.npz", {{"W1", {2, 3}, "<f4", {1, 2, 3, 4, 5, 6}}});
//     for (const ctnet::NpyArray& a : ctnet::read_npz("w.npz")) ...   // a.name == "W1"
struct NpyArray {
    std::string name;                // the member's name without ".npy", as numpy.load's keys
    std::vector<std::size_t> shape;  // {} for a 0-d array, which holds one value
    std::string dtype = "<f8";       // "<f4", "<f8", "|u1", "<i4" or "<i8"
    std::vector<double> values;      // product of shape values, C order
};

// Reads every array of an .npz archive, as numpy.savez and
// numpy.savez_compressed write it (stored or deflated members, zip64 extra
// fields and end records; .npy versions 1.0, 2.0 and 3.0, C or Fortran order),
// in the archive's order. Everything is checked: that the path is a regular
// file, the zip structure, each member's CRC-32, its .npy header, dtype
// (little-endian only), and that its data is exactly what the shape needs.
// Any problem throws ctnet::Error naming the file and, where there is one,
// the member. Memory is bounded by what the file can hold: every size is
// checked against the file's size before anything is allocated.
std::vector<NpyArray> read_npz(const std::filesystem::path& path);

// Writes the arrays as an .npz archive of stored (uncompressed) members, each
// a version 1.0 .npy of its dtype, which numpy.load reads; written atomically
// (a failure leaves any previous file intact), with a fixed timestamp so the
// same arrays always give the same bytes. Throws ctnet::Error for an empty or
// repeated name, an unknown dtype, values that do not match the shape, or a
// value the dtype cannot hold (a fraction or out-of-range number for an
// integer dtype, a finite number beyond float32's range for "<f4").
void write_npz(const std::filesystem::path& path, const std::vector<NpyArray>& arrays);

// A shape as NumPy prints it: "()", "(50,)", "(784, 50)".
std::string npy_shape_string(const std::vector<std::size_t>& shape);

}  // namespace ctnet
