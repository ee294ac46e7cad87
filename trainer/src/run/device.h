// --device auto|cpu|cuda -> torch::Device. auto picks CUDA when this LibTorch was built with it and a GPU is
// visible (the official CUDA LibTorch on a workstation), else the CPU.
#pragma once
#include <string>

#include <c10/core/DeviceType.h>

#include "styleforge/result.h"

namespace styleforge::trainer {

// Returns the device type (torch::Device(type) uses the current CUDA device). Result<> needs a
// default-constructible value, which c10::Device is not.
Result<c10::DeviceType> pick_device(const std::string& name);

}  // namespace styleforge::trainer
