// A structural check of the zip container LibTorch writes checkpoints in (torch::serialize archives: tensor records
// stored, a few code records deflated, each with its CRC-32 in the central directory), run before the bytes reach
// LibTorch's own reader. That reader trusts what it reads: a fuzzer found a damaged checkpoint that crashes it (SIGSEGV inside
// libtorch_cpu, tests/fuzz/README.md), which would take --resume down before it could fall back to the previous
// checkpoint. Here every offset and size is bounds-checked and every record's bytes must match their CRC, so a
// file damaged anywhere in its records or directory is refused with a message instead.
#pragma once
#include <string>

#include "styleforge/result.h"

namespace styleforge::trainer {

// Ok when `bytes` is a zip whose records are stored or deflated, lie inside the file without overlapping the
// central directory, and match their CRC-32 (deflated ones after inflating, at most 64 MiB each). Zip64 records (files over 4 GB) are followed. `name` prefixes
// the message.
Status check_checkpoint_zip(const std::string& bytes, const std::string& name);

}  // namespace styleforge::trainer
