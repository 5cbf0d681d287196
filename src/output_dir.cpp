// output_dir.cpp — the output directory's rules: create, clean up after a kill, never mix two runs.
#include "ctnet/train/output_dir.hpp"

#include <string>
#include <system_error>

#include "ctnet/config.hpp"
#include "ctnet/io/atomic_file.hpp"

namespace ctnet {

void prepare_output_dir(const TrainOptions& options) {
    namespace fs = std::filesystem;
    const fs::path& out = options.out;
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) throw Error("cannot create the output directory " + out.string() + ": " + ec.message());
    if (!fs::is_directory(out, ec)) throw Error("the output path " + out.string() + " is not a directory");

    std::string present;
    for (const char* name : run_files) {
        remove_stale_temporaries(out / name);
        if (fs::exists(fs::symlink_status(out / name, ec))) present += std::string(present.empty() ? "" : ", ") + name;
    }
    switch (options.output) {
        case OutputPolicy::fresh:
            if (!present.empty())
                throw Error(out.string() + " holds another run's files (" + present +
                            "); a run's files belong together: pass --resume to continue that run, --overwrite "
                            "to replace it, or choose another --out (in C++: TrainOptions::output)");
            break;
        case OutputPolicy::overwrite:
            for (const char* name : run_files) {
                fs::remove(out / name, ec);
                if (ec) throw Error("cannot remove the old " + (out / name).string() + ": " + ec.message());
            }
            break;
        case OutputPolicy::resume:
            if (!fs::exists(out / "model.ckpt", ec))
                throw Error("nothing to resume: " + (out / "model.ckpt").string() +
                            " does not exist (start the run without --resume)");
            break;
    }
}

}  // namespace ctnet
