#include "run/checkpoint.h"

#include <filesystem>
#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

namespace styleforge::trainer {

Status save_checkpoint(const std::string& path, int64_t step, const std::vector<CheckpointPart>& parts) {
  std::string tmp = path + ".tmp";
  try {
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
    archive.save_to(tmp);
  } catch (const std::exception& e) {
    return Status::failure("cannot write checkpoint " + tmp + ": " + e.what());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::failure("cannot rename " + tmp + " to " + path + ": " + ec.message());
  return Status::success();
}

Result<int64_t> load_checkpoint(const std::string& path, const std::vector<CheckpointPart>& parts,
                                const c10::Device& device) {
  using R = Result<int64_t>;
  if (!std::filesystem::exists(path)) return R::failure("checkpoint " + path + " does not exist");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path, device);
  } catch (const std::exception& e) {
    return R::failure(path + ": not a readable styleforge checkpoint (" + std::string(e.what()).substr(0, 200) + ")");
  }
  std::string part_name;
  try {
    torch::Tensor step;
    if (!archive.try_read("step", step)) return R::failure(path + ": no step counter (not a styleforge checkpoint)");
    for (const auto& part : parts) {
      part_name = part.name;
      torch::serialize::InputArchive module_archive;
      if (!archive.try_read(part.name, module_archive))
        return R::failure(path + ": holds no '" + part.name + "' module (checkpoint of another model kind?)");
      part.module->load(module_archive);
      part.module->to(device);
      if (part.optimizer) {
        part_name = part.name + ".optimizer";
        torch::serialize::InputArchive optimizer_archive;
        if (!archive.try_read(part.name + ".optimizer", optimizer_archive))
          return R::failure(path + ": holds no optimizer state for '" + part.name + "' (a final model file, not a checkpoint?)");
        part.optimizer->load(optimizer_archive);
      }
    }
    return R::success(step.item<int64_t>());
  } catch (const std::exception& e) {
    return R::failure(path + ": '" + part_name + "' does not fit the model built from the run's options (" +
                      std::string(e.what()).substr(0, 200) + ")");
  }
}

}  // namespace styleforge::trainer
