#include "run/checkpoint.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "run/durable.h"
#include "run/fail.h"
#include "run/zip_check.h"

namespace styleforge::trainer {

std::string previous_checkpoint_file(const std::string& path) { return path + ".previous"; }
std::string corrupt_checkpoint_file(const std::string& path) { return path + ".corrupt"; }

namespace {

torch::serialize::OutputArchive checkpoint_archive(int64_t step, const std::vector<CheckpointPart>& parts) {
  torch::serialize::OutputArchive archive;
  archive.write("step", torch::tensor(static_cast<int64_t>(step)));
  for (const auto& part : parts) {
    torch::serialize::OutputArchive module_archive;
    part.module->save(module_archive);
    archive.write(part.name, module_archive);
    if (part.optimizer) {
      torch::serialize::OutputArchive optimizer_archive;
      part.optimizer->save(optimizer_archive);
      archive.write(part.name + ".optimizer", optimizer_archive);
    }
  }
  return archive;
}

// The parts and step out of a loaded archive; `source` names it in messages (a file, or "rank 0's state").
Result<int64_t> read_parts(torch::serialize::InputArchive& archive, const std::string& source,
                           const std::vector<CheckpointPart>& parts, const c10::Device& device) {
  using R = Result<int64_t>;
  std::string part_name;
  try {
    torch::Tensor step;
    if (!archive.try_read("step", step)) return R::failure(source + ": no step counter (not a styleforge checkpoint)");
    for (const auto& part : parts) {
      part_name = part.name;
      torch::serialize::InputArchive module_archive;
      if (!archive.try_read(part.name, module_archive))
        return R::failure(source + ": holds no '" + part.name + "' module (checkpoint of another model kind?)");
      part.module->load(module_archive);
      part.module->to(device);
      if (part.optimizer) {
        part_name = part.name + ".optimizer";
        torch::serialize::InputArchive optimizer_archive;
        if (!archive.try_read(part.name + ".optimizer", optimizer_archive))
          return R::failure(source + ": holds no optimizer state for '" + part.name + "' (a final model file, not a checkpoint?)");
        part.optimizer->load(optimizer_archive);
      }
    }
    return R::success(step.item<int64_t>());
  } catch (const std::exception& e) {
    return R::failure(source + ": '" + part_name + "' does not fit the model built from the run's options (" +
                      first_line(e.what()) + ")");
  }
}

}  // namespace

Result<std::string> checkpoint_bytes(int64_t step, const std::vector<CheckpointPart>& parts) {
  try {
    std::ostringstream out;
    checkpoint_archive(step, parts).save_to(out);
    return Result<std::string>::success(out.str());
  } catch (const std::exception& e) {
    return Result<std::string>::failure(std::string("cannot serialise the training state: ") + first_line(e.what()));
  }
}

Result<int64_t> load_checkpoint_bytes(const std::string& bytes, const std::string& source,
                                      const std::vector<CheckpointPart>& parts, const c10::Device& device) {
  // LibTorch's reader trusts its input (a damaged file can crash it), so the container is checked first.
  if (Status s = check_checkpoint_zip(bytes, source); !s.ok()) return Result<int64_t>::failure(s.error);
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(bytes.data(), bytes.size(), device);
  } catch (const std::exception& e) {
    return Result<int64_t>::failure(source + ": not a readable styleforge checkpoint (" + first_line(e.what()) + ")");
  }
  return read_parts(archive, source, parts, device);
}

Status save_checkpoint(const std::string& path, int64_t step, const std::vector<CheckpointPart>& parts,
                       bool keep_previous) {
  std::string tmp = path + ".tmp";
  try {
    checkpoint_archive(step, parts).save_to(tmp);
  } catch (const std::exception& e) {
    return Status::failure("cannot write checkpoint " + tmp + ": " + e.what());
  }
  std::error_code ec;
  if (keep_previous && std::filesystem::exists(path, ec)) {
    // A second name for the current checkpoint, moved over the old "previous" in one rename: <path> itself is
    // never missing, whenever a kill lands.
    const std::string previous = previous_checkpoint_file(path), link_tmp = previous + ".tmp";
    std::filesystem::remove(link_tmp, ec);
    if (::link(path.c_str(), link_tmp.c_str()) != 0)
      return Status::failure("cannot keep the previous checkpoint as " + link_tmp + ": " + std::strerror(errno));
    std::filesystem::rename(link_tmp, previous, ec);
    if (ec) return Status::failure("cannot rename " + link_tmp + " to " + previous + ": " + ec.message());
  }
  return durable_rename(tmp, path);
}

Result<int64_t> load_checkpoint(const std::string& path, const std::vector<CheckpointPart>& parts,
                                const c10::Device& device) {
  using R = Result<int64_t>;
  if (!std::filesystem::exists(path)) return R::failure("checkpoint " + path + " does not exist");
  std::ifstream file(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (!file && !file.eof()) return R::failure("cannot read checkpoint " + path);
  return load_checkpoint_bytes(bytes, path, parts, device);
}

Result<int64_t> resume_checkpoint(const std::string& path, const std::vector<CheckpointPart>& parts,
                                  const c10::Device& device) {
  using R = Result<int64_t>;
  Result<int64_t> latest = load_checkpoint(path, parts, device);
  if (latest.ok()) return latest;
  const std::string previous = previous_checkpoint_file(path);
  std::error_code ec;
  if (!std::filesystem::exists(previous, ec)) return latest;
  Result<int64_t> fallback = load_checkpoint(previous, parts, device);
  if (!fallback.ok())
    return R::failure(latest.error + "; the previous checkpoint does not load either: " + fallback.error);
  const std::string kept = corrupt_checkpoint_file(path);
  if (std::filesystem::exists(path, ec)) std::filesystem::rename(path, kept, ec);
  std::fprintf(stderr,
               "warning: refused %s: %s\nwarning: resuming from the previous checkpoint %s (step %lld); the refused "
               "file is kept as %s\n",
               path.c_str(), latest.error.c_str(), previous.c_str(), static_cast<long long>(fallback.value),
               ec ? path.c_str() : kept.c_str());
  return fallback;
}

}  // namespace styleforge::trainer
