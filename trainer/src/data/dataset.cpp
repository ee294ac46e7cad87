#include "data/dataset.h"

#include <filesystem>
#include <torch/torch.h>

namespace styleforge::trainer {

Result<TrainingImages> TrainingImages::open(const std::string& path, int image_size, bool random_crop) {
  using R = Result<TrainingImages>;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return R::failure("training data " + path + " does not exist: pass a folder of PNG/JPEG images or an idx file");
  TrainingImages data;
  data.path_ = path;
  data.image_size_ = image_size;
  if (std::filesystem::is_directory(path, ec)) {
    ImageFolderOptions options;
    options.image_size = image_size;
    options.random_crop = random_crop;
    Result<ImageFolder> folder = ImageFolder::open(path, options);
    if (!folder.ok()) return R::failure(folder.error);
    data.folder_ = std::make_shared<ImageFolder>(std::move(folder.value));
  } else {
    Result<IdxImages> idx = read_idx_images(path);
    if (!idx.ok()) return R::failure(idx.error);
    data.idx_ = std::make_shared<IdxImages>(std::move(idx.value));
  }
  return R::success(std::move(data));
}

int64_t TrainingImages::size() const { return folder_ ? static_cast<int64_t>(folder_->size()) : idx_->count; }

std::string TrainingImages::describe() const {
  if (folder_) return std::to_string(folder_->size()) + " images from " + path_;
  return std::to_string(idx_->count) + " " + std::to_string(idx_->rows) + "x" + std::to_string(idx_->columns) +
         (idx_->channels == 3 ? " RGB" : "") + " idx images from " + path_;
}

at::Tensor images_to_batch(const std::vector<Image>& images) {
  const int64_t n = static_cast<int64_t>(images.size());
  const int64_t h = images.empty() ? 0 : images[0].height, w = images.empty() ? 0 : images[0].width;
  at::Tensor rgba = torch::empty({n, h, w, 4}, torch::kUInt8);
  for (int64_t i = 0; i < n; ++i)
    std::memcpy(rgba[i].data_ptr<uint8_t>(), images[i].rgba.data(), static_cast<size_t>(h * w * 4));
  return rgba.slice(3, 0, 3).permute({0, 3, 1, 2}).to(torch::kFloat).contiguous();
}

Result<at::Tensor> TrainingImages::batch(int count, std::mt19937_64& rng, PixelRange range) const {
  std::vector<uint64_t> seeds(static_cast<size_t>(std::max(count, 0)));
  for (auto& seed : seeds) seed = rng();
  return samples(seeds, range);
}

Result<at::Tensor> TrainingImages::samples(const std::vector<uint64_t>& seeds, PixelRange range,
                                           std::vector<int64_t>* picked) const {
  using R = Result<at::Tensor>;
  const int count = static_cast<int>(seeds.size());
  std::uniform_int_distribution<int64_t> draw(0, size() - 1);
  if (picked) picked->clear();
  auto pick = [&](std::mt19937_64& rng) {
    int64_t index = draw(rng);
    if (picked) picked->push_back(index);
    return index;
  };
  at::Tensor out;
  if (folder_) {
    std::vector<Image> images;
    for (uint64_t seed : seeds) {
      std::mt19937_64 rng(seed);
      Result<Image> image = folder_->sample(static_cast<size_t>(pick(rng)), rng);
      if (!image.ok()) return R::failure(image.error);
      images.push_back(std::move(image.value));
    }
    out = images_to_batch(images);
  } else {
    // Stored [rows, columns, channels] per image (channels interleaved; 1 for grey files).
    const int64_t c = idx_->channels, plane = static_cast<int64_t>(idx_->rows) * idx_->columns * c;
    at::Tensor stored = torch::empty({count, idx_->rows, idx_->columns, c}, torch::kUInt8);
    for (int i = 0; i < count; ++i) {
      std::mt19937_64 rng(seeds[static_cast<size_t>(i)]);
      std::memcpy(stored[i].data_ptr<uint8_t>(), idx_->pixels.data() + pick(rng) * plane, static_cast<size_t>(plane));
    }
    out = stored.permute({0, 3, 1, 2}).to(torch::kFloat);
    if (idx_->rows != image_size_ || idx_->columns != image_size_)
      out = torch::nn::functional::interpolate(
          out, torch::nn::functional::InterpolateFuncOptions()
                   .size(std::vector<int64_t>{image_size_, image_size_})
                   .mode(torch::kBilinear)
                   .align_corners(false));
    out = out.clamp(0, 255);
    if (c == 1) out = out.repeat({1, 3, 1, 1});
  }
  if (range == PixelRange::MinusOneOne) out = out / 127.5 - 1.0;
  return R::success(out);
}

}  // namespace styleforge::trainer
