// `judge`: style and content distances measured with InceptionV3 or MobileNetV2 (judge/style_judge.h), for the
// quality report and for validating the judge itself. Reads a job, writes every statistic for every item:
//   JOB.json  {"items": [{"id", "image", "style" (optional), "content" (optional)}]}  (PNG/JPEG paths, used at
//             their own size; content distance needs the image and the photo at the same size)
//   OUT.json  {"judge", "style_layers", "content_layer", "calibration", "items": [{"id", "content_loss",
//             "style": {statistic: {layer: distance}}}]}
// Each file is described once however often it appears.
#include <malloc.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "commands.h"
#include "judge/style_judge.h"
#include "loss/style_setup.h"
#include "run/options.h"

namespace styleforge::trainer {
namespace {

struct JudgeOptions {
  std::string job, out, network = "inception_v3", network_dir, calibration_photos, style_layers, content_layer;
  int calibration_count = 32, calibration_size = 299, threads = 0;
};

int judge(const JudgeOptions& o) {
  if (o.threads > 0) torch::set_num_threads(o.threads);
  // Images of many sizes pass through the network one after another; with glibc's adaptive mmap threshold their
  // freed feature maps stay in the heap and fragment it (measured: 20 GB resident after 179 images). A fixed
  // threshold keeps every large tensor in its own mapping, returned to the system when freed.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  std::ifstream in(o.job);
  if (!in) throw std::runtime_error(o.job + ": cannot open the job file");
  nlohmann::json job;
  try {
    job = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw std::runtime_error(o.job + ": not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!job.contains("items") || !job["items"].is_array()) throw std::runtime_error(o.job + ": needs an \"items\" array");

  if (o.network == "mobilenet_v2" && o.calibration_photos.empty())
    throw std::runtime_error("--network mobilenet_v2 needs --calibration-photos DIR (ordinary photos, never the "
                             "held-out ones): its file's batch norm is damaged and must be re-estimated first");
  const torch::Tensor calibration =
      o.calibration_photos.empty()
          ? torch::Tensor()
          : load_calibration_photos(o.calibration_photos, o.calibration_size, o.calibration_count);
  std::vector<std::string> layers = split_commas(o.style_layers);
  if (layers.empty()) layers = StyleJudge::default_style_layers(o.network);
  const std::string content_layer = o.content_layer.empty() ? StyleJudge::default_content_layer(o.network) : o.content_layer;
  StyleJudge judge(o.network, o.network_dir, layers, content_layer, calibration);

  std::map<std::string, JudgeDescription> described;
  auto describe = [&](const std::string& path) -> const JudgeDescription& {
    auto it = described.find(path);
    if (it != described.end()) return it->second;
    Result<Image> image = load_image_file(path);
    if (!image.ok()) throw std::runtime_error(path + ": " + image.error);
    return described.emplace(path, judge.describe(image_to_tensor255(image.value))).first->second;
  };
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : job["items"]) {
    const std::string id = item.value("id", ""), image = item.value("image", "");
    if (image.empty()) throw std::runtime_error(o.job + ": item '" + id + "' has no \"image\"");
    nlohmann::json result{{"id", id}};
    const JudgeDescription& of = describe(image);
    if (item.contains("content")) result["content_loss"] = judge.content_distance(of, describe(item["content"]));
    if (item.contains("style")) {
      const JudgeDescription& painting = describe(item["style"]);
      for (const auto& statistic : StyleJudge::statistics())
        result["style"][statistic] = judge.style_distances(of, painting, statistic);
    }
    items.push_back(result);
  }
  nlohmann::json out{{"judge", o.network}, {"style_layers", layers}, {"content_layer", content_layer},
                     {"calibration", o.calibration_photos.empty() ? nlohmann::json(nullptr)
                                                                  : nlohmann::json{{"photos", o.calibration_photos},
                                                                                   {"count", o.calibration_count},
                                                                                   {"size", o.calibration_size}}},
                     {"items", items}};
  std::ofstream file(o.out, std::ios::trunc);
  file << out.dump(1) << "\n";
  if (!file) throw std::runtime_error(o.out + ": cannot write");
  std::printf("judged %zu items (%zu images) -> %s\n", items.size(), described.size(), o.out.c_str());
  return 0;
}

}  // namespace

int run_judge(int argc, char** argv) {
  JudgeOptions o;
  OptionParser p("judge", "style/content distances measured with InceptionV3 or MobileNetV2 (the quality report's "
                          "ruler: the network the measured models did not train against)");
  p.add_string("job", &o.job, "JSON job: {\"items\": [{\"id\", \"image\", \"style\", \"content\"}]}");
  p.add_string("out", &o.out, "where to write the distances (JSON)");
  p.require("job");
  p.require("out");
  p.add_choice("network", &o.network, "the judging network", {"inception_v3", "mobilenet_v2"});
  p.add_string("network-dir", &o.network_dir, "nsfwjs folder of that network (default: third_party/nsfwjs/...)");
  p.add_string("calibration-photos", &o.calibration_photos, "folder of ordinary photos: recalibrate the judge's "
               "batch norm on them first (default: use the file's statistics)");
  p.add_int("calibration-count", &o.calibration_count, "photos (random crops) for the recalibration", 2, 4096);
  p.add_int("calibration-size", &o.calibration_size, "side of those crops", 32, 1024);
  p.add_string("style-layers", &o.style_layers, "comma-separated layers (default inception_v3: activation_3 ... "
               "mixed5; mobilenet_v2: Conv1_relu ... block_9_add)");
  p.add_string("content-layer", &o.content_layer, "layer of the content distance (default mixed2 / block_5_add)");
  p.add_int("threads", &o.threads, "CPU threads for LibTorch (0 = its default)", 0, 1024);
  if (auto code = p.parse(argc, argv)) return *code;
  try {
    return judge(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "judge: %s\n", e.what());
    return 1;
  }
}

}  // namespace styleforge::trainer
