// `export`: a training run directory (or checkpoint file) -> ONNX file(s) + the model's manifest entry.
// The model kind and hyper-parameters come from the run's options.json; weights from model.pt (written when a run
// completes) or else checkpoint.pt. A VAE exports as two files, <out>-encoder.onnx and <out>-decoder.onnx.
// --reference-input/--reference-output run the same LibTorch forward on a raw float32 tensor, for parity tests.
// Every file's metadata holds its manifest entry as JSON under "styleforge.manifest_entry" (kManifestEntryKey),
// so the web app can take a dropped file without models/manifest.json.
// An arbitrary-style run exports as <out>-predictor.onnx and <out>-transformer.onnx (onnx/export_arbitrary.h); its
// manifest entries (kinds "style-predictor" and "arbitrary-style") name each other.
// Class-conditional runs (trained with --labels) take the class as the last `classes` values of the latent
// (one-hot; the VAE encoder outputs its class probabilities there), and their manifest entries list the class names.
#include <torch/torch.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "arbitrary_model.h"
#include "commands.h"
#include "nets/dcgan.h"
#include "nets/transformer_net.h"
#include "nets/vae.h"
#include "run/checkpoint.h"
#include "run/fail.h"
#include "run/options.h"
#include "run/run_dir.h"
#include "style_network.h"
#include "styleforge/manifest.h"
#include "styleforge/onnx_metadata.h"
#ifdef STYLEFORGE_WITH_ONNX
#include "onnx/export_arbitrary.h"
#include "onnx/export_models.h"
#endif

namespace fs = std::filesystem;

namespace styleforge::trainer {
namespace {

// "my_Run.onnx" -> "my-run": manifest ids allow a-z, 0-9 and '-'.
std::string id_from_path(const std::string& path) {
  std::string stem = fs::path(path).stem().string(), id;
  for (char c : stem) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    id += (std::isalnum(static_cast<unsigned char>(l)) ? l : '-');
  }
  return id.empty() ? "model" : id;
}

Result<std::vector<int64_t>> parse_shape(const std::string& text) {
  std::vector<int64_t> shape;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    char* end = nullptr;
    long long v = std::strtoll(part.c_str(), &end, 10);
    if (part.empty() || *end != '\0' || v < 1 || v > 65536)
      return Result<std::vector<int64_t>>::failure("--reference-shape '" + text + "': expected positive integers like 1,3,64,64");
    shape.push_back(v);
  }
  if (shape.empty()) return Result<std::vector<int64_t>>::failure("--reference-shape is empty");
  return Result<std::vector<int64_t>>::success(shape);
}

Result<torch::Tensor> read_raw_floats(const std::string& path, const std::vector<int64_t>& shape) {
  using R = Result<torch::Tensor>;
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  std::ifstream in(path, std::ios::binary);
  if (!in) return R::failure("--reference-input " + path + ": cannot open");
  torch::Tensor t = torch::empty(shape, torch::kFloat);
  in.read(reinterpret_cast<char*>(t.data_ptr<float>()), static_cast<std::streamsize>(count * 4));
  if (in.gcount() != count * 4 || in.peek() != EOF)
    return R::failure("--reference-input " + path + ": expected exactly " + std::to_string(count * 4) +
                      " bytes (float32 of --reference-shape)");
  return R::success(t);
}

Status write_raw_floats(const std::string& path, const torch::Tensor& tensor) {
  torch::Tensor t = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(t.data_ptr<float>()), static_cast<std::streamsize>(t.numel() * 4));
  if (!out) return Status::failure("--reference-output " + path + ": cannot write");
  return Status::success();
}

nlohmann::json tensor_spec(const std::string& name, const std::string& layout, bool tanh_range) {
  nlohmann::json spec{{"name", name}, {"layout", layout}};
  if (layout == "NCHW") {
    // See styleforge/tensor.h: x = (p * scale - mean) / std.
    spec["normalization"] = tanh_range
        ? nlohmann::json{{"scale", 1.0 / 255.0}, {"mean", {0.5, 0.5, 0.5}}, {"std", {0.5, 0.5, 0.5}}}
        : nlohmann::json{{"scale", 1}, {"mean", {0, 0, 0}}, {"std", {1, 1, 1}}};
  }
  return spec;
}

#ifdef STYLEFORGE_WITH_ONNX
// The two files of an arbitrary-style run and their manifest entries (onnx/export_arbitrary.h has the interface),
// checked as a pair by the app's parser (each names the other) before anything is written.
int export_arbitrary_files(ArbitraryModel& model, const std::string& out, const std::string& id, const std::string& name,
                           const std::string& credits, const Metadata& metadata, WeightPrecision precision,
                           const std::string& manifest_out) {
  const std::string base = (fs::path(out).parent_path() / fs::path(out).stem()).string();
  const std::string predictor_file = base + "-predictor.onnx", transformer_file = base + "-transformer.onnx";
  const int code_size = model.predictor->code_size;
  nlohmann::json predictor{{"id", id + "-predictor"}, {"name", name + " (style predictor)"},
                           {"kind", "style-predictor"}, {"file", fs::path(predictor_file).filename().string()},
                           {"credits", credits}, {"input", tensor_spec("style", "NCHW", false)},
                           {"output", tensor_spec("style_code", "NC", false)}, {"style_size", model.style_size},
                           {"code_size", code_size}, {"transformer", id + "-transformer"}};
  nlohmann::json transformer{{"id", id + "-transformer"}, {"name", name},
                             {"kind", "arbitrary-style"}, {"file", fs::path(transformer_file).filename().string()},
                             {"credits", credits}, {"input", tensor_spec("image", "NCHW", false)},
                             {"style_input", tensor_spec("style_code", "NC", false)},
                             {"output", tensor_spec("stylized", "NCHW", false)}, {"max_tile", 512},
                             {"size_multiple", 4}, {"code_size", code_size}, {"predictor", id + "-predictor"}};
  nlohmann::json fragment{{"models", nlohmann::json::array({predictor, transformer})}};
  Result<Manifest> checked = parse_manifest(fragment.dump(), "exported manifest entries");
  if (!checked.ok()) return fail(checked.error + " (fix the --id/--name/--credits options)");
  auto with_entry = [&](const nlohmann::json& e) {
    Metadata m = metadata;
    m.emplace_back(kManifestEntryKey, e.dump());
    return m;
  };
  Status s = export_style_predictor_onnx(*model.predictor, predictor_file, with_entry(predictor), precision);
  if (s.ok()) s = export_arbitrary_transformer_onnx(*model.transformer, transformer_file, with_entry(transformer), precision);
  if (!s.ok()) return fail(s.error);
  std::printf("%s\n", fragment.dump(2).c_str());
  if (!manifest_out.empty())
    if (Status w = write_file_atomic(manifest_out, fragment.dump(2) + "\n"); !w.ok()) return fail(w.error);
  const auto bytes = fs::file_size(predictor_file) + fs::file_size(transformer_file);
  std::fprintf(stderr, "wrote %s and %s: %.2f MB together\n", predictor_file.c_str(), transformer_file.c_str(),
               static_cast<double>(bytes) / 1e6);
  return 0;
}
#endif

// The LibTorch output of an arbitrary run's part for --reference-input: "predictor" reads a painting {1,3,H,W}
// 0..255; "transformer" reads an image and the code in --reference-style-code ({1, code_size} float32).
Result<torch::Tensor> arbitrary_reference(ArbitraryModel& model, const std::string& part, const torch::Tensor& input,
                                          const std::string& code_file) {
  using R = Result<torch::Tensor>;
  torch::NoGradGuard no_grad;
  if (part == "predictor") return R::success(model.code(input));
  if (part != "transformer") return R::failure("--reference-part predictor or transformer for an arbitrary run");
  if (code_file.empty()) return R::failure("--reference-part transformer needs --reference-style-code FILE");
  Result<torch::Tensor> code = read_raw_floats(code_file, {1, model.code_size()});
  if (!code.ok()) return code;
  return R::success(model.paint(input, code.value));
}

}  // namespace

int run_export(int argc, char** argv) {
  std::string run, out, id, name, credits, manifest_out, ref_in, ref_out, ref_shape, ref_part = "decoder";
  std::string weight_format = "fp32", class_names_text, ref_code;
  OptionParser parser("export", "Export a trained run (style, dcgan, vae) to ONNX (opset 17) and print its manifest entry.");
  parser.add_string("run", &run, "run directory (or a checkpoint file inside one)");
  parser.require("run");
  parser.add_string("out", &out, "ONNX file to write; a VAE writes <out>-encoder.onnx and <out>-decoder.onnx");
  parser.add_string("id", &id, "manifest id, a-z 0-9 - (default: from --out)");
  parser.add_string("name", &name, "name shown to people (default: the id)");
  parser.add_string("credits", &credits, "artwork/data credits for the manifest (default: the training data path)");
  parser.add_choice("weights", &weight_format,
                    "how kernels are stored: fp32, or fp16 (half the file; inference still in float32)", {"fp32", "fp16"});
  parser.add_string("class-names", &class_names_text,
                    "class-conditional runs: the classes' names, comma-separated, in label order (default: class 0, ...)");
  parser.add_string("manifest", &manifest_out, "also write the manifest entries ({\"models\": [...]}) to this file");
  parser.add_string("reference-input", &ref_in, "raw float32 input to run through the LibTorch model (parity tests)");
  parser.add_string("reference-output", &ref_out, "where to write the LibTorch output of --reference-input");
  parser.add_string("reference-shape", &ref_shape, "shape of --reference-input, e.g. 1,3,64,64 or 1,32");
  parser.add_choice("reference-part", &ref_part, "which half --reference-input goes through: VAE encoder/decoder, "
                    "arbitrary predictor/transformer", {"encoder", "decoder", "predictor", "transformer"});
  parser.add_string("reference-style-code", &ref_code, "arbitrary runs, --reference-part transformer: raw float32 "
                    "style code {1, code_size}");
  if (auto code = parser.parse(argc, argv)) return *code;
  if (out.empty() && ref_in.empty()) return fail("nothing to do: give --out FILE.onnx and/or --reference-input");
  if (!ref_in.empty() && (ref_out.empty() || ref_shape.empty()))
    return fail("--reference-input needs --reference-output and --reference-shape");

  Result<nlohmann::json> options = read_run_options(run);
  if (!options.ok()) return fail(options.error);
  const std::string command = options.value.value("command", "");
  const std::string weights = run_weights_file(run);
  if (command == "arbitrary") {
    int64_t step = 0;
    Result<ArbitraryModel> model = load_arbitrary_run(run, torch::Device(torch::kCPU), &step);
    if (!model.ok()) return fail(model.error);
    std::fprintf(stderr, "loaded arbitrary run at step %lld from %s\n", static_cast<long long>(step), weights.c_str());
    if (!ref_in.empty()) {
      Result<std::vector<int64_t>> shape = parse_shape(ref_shape);
      if (!shape.ok()) return fail(shape.error);
      Result<torch::Tensor> input = read_raw_floats(ref_in, shape.value);
      if (!input.ok()) return fail(input.error);
      Result<torch::Tensor> output = Result<torch::Tensor>::failure("");
      try {
        output = arbitrary_reference(model.value, ref_part, input.value, ref_code);
      } catch (const std::exception& e) {
        return fail("--reference-shape " + ref_shape + " does not fit this arbitrary model's " + ref_part + ": " +
                    std::string(e.what()).substr(0, 300));
      }
      if (!output.ok()) return fail(output.error);
      if (Status s = write_raw_floats(ref_out, output.value); !s.ok()) return fail(s.error);
    }
    if (out.empty()) return 0;
    if (model.value.family != "ghiasi")  // --reference-input above works for any family (scripts read the step)
      return fail(run + " is an arbitrary run of the '" + model.value.family + "' family, kept to compare families "
                  "(trainer/README.md); only the ghiasi family (the default) exports to ONNX");
#ifdef STYLEFORGE_WITH_ONNX
    if (id.empty()) id = id_from_path(out);
    if (name.empty()) name = id;
    if (credits.empty()) credits = "Trained with styleforge-trainer on the paintings in " + options.value.value("paintings", run);
    Metadata metadata{{"styleforge.kind", command}, {"styleforge.options", options.value.dump()},
                      {"styleforge.step", std::to_string(step)}, {"styleforge.weights", weight_format},
                      {"styleforge.commit", STYLEFORGE_COMMIT}};
    return export_arbitrary_files(model.value, out, id, name, credits, metadata,
                                  weight_format == "fp16" ? WeightPrecision::Float16 : WeightPrecision::Float32,
                                  manifest_out);
#else
    return fail("this trainer was built without ONNX export (CMake option STYLEFORGE_WITH_ONNX=OFF)");
#endif
  }

  // Build the module the run trained, from its saved hyper-parameters, and load the weights.
  std::shared_ptr<TransformerNetImpl> style;
  std::shared_ptr<GeneratorImpl> generator;
  std::shared_ptr<VaeImpl> vae;
  const int image_size = static_cast<int>(saved_option_int(options.value, "image-size", 32));
  const int latent = static_cast<int>(saved_option_int(options.value, "latent", 64));
  const int width = static_cast<int>(saved_option_int(options.value, "width", command == "style" ? 16 : 32));
  const bool conditional = !options.value.value("labels", std::string()).empty();
  const int classes = conditional ? static_cast<int>(saved_option_int(options.value, "classes", 10)) : 0;
  std::vector<std::string> class_names;
  if (conditional) {
    std::stringstream names(class_names_text);
    for (std::string n; std::getline(names, n, ',');) class_names.push_back(n);
    if (class_names_text.empty())
      for (int i = 0; i < classes; ++i) class_names.push_back("class " + std::to_string(i));
    if (static_cast<int>(class_names.size()) != classes)
      return fail("--class-names gives " + std::to_string(class_names.size()) + " names for this run's " +
                  std::to_string(classes) + " classes: give one per class, comma-separated, in label order");
  }
  CheckpointPart part;
  try {
    if (command == "style") {
      style = transformer_net_for_run(options.value);  // width, blocks, photo skip, edge kernel
      part = {"transformer", style.get(), nullptr};
    } else if (command == "dcgan") {
      generator = std::make_shared<GeneratorImpl>(latent, image_size, width, classes,
                                                  gan_upsample_named(options.value.value("upsample", std::string())));
      part = {"generator", generator.get(), nullptr};
    } else if (command == "vae") {
      vae = std::make_shared<VaeImpl>(latent, image_size, width, classes);
      part = {"vae", vae.get(), nullptr};
    } else {
      return fail(run + "/options.json: command '" + command + "' has nothing to export (style, arbitrary, dcgan or vae runs do)");
    }
  } catch (const std::exception& e) {
    return fail(run + "/options.json: hyper-parameters do not make a valid " + command + " model: " + e.what());
  }
  Result<int64_t> loaded = load_checkpoint(weights, {part}, torch::Device(torch::kCPU));
  if (!loaded.ok()) return fail(loaded.error);
  part.module->eval();
  std::fprintf(stderr, "loaded %s run at step %lld from %s\n", command.c_str(), static_cast<long long>(loaded.value),
               weights.c_str());

  if (!ref_in.empty()) {
    Result<std::vector<int64_t>> shape = parse_shape(ref_shape);
    if (!shape.ok()) return fail(shape.error);
    Result<torch::Tensor> input = read_raw_floats(ref_in, shape.value);
    if (!input.ok()) return fail(input.error);
    torch::NoGradGuard no_grad;
    torch::Tensor output;
    try {
      if (style) output = style->forward(input.value);
      if (generator)
        output = classes > 0 ? generator->forward(input.value.narrow(1, 0, latent), input.value.narrow(1, latent, classes))
                             : generator->forward(input.value);
      if (vae) output = ref_part == "encoder" ? vae->encode_for_decoder(input.value) : vae->decode(input.value);
    } catch (const std::exception& e) {
      return fail("--reference-shape " + ref_shape + " does not fit this " + command + " model: " +
                  std::string(e.what()).substr(0, 300));
    }
    if (Status s = write_raw_floats(ref_out, output); !s.ok()) return fail(s.error);
  }
  if (out.empty()) return 0;

#ifdef STYLEFORGE_WITH_ONNX
  if (id.empty()) id = id_from_path(out);
  if (name.empty()) name = id;
  if (credits.empty()) {
    credits = "Trained with styleforge-trainer on " + options.value.value("data", options.value.value("style", run));
    std::fprintf(stderr, "warning: no --credits given; the manifest says \"%s\". Name the artwork/data and licence.\n",
                 credits.c_str());
  }
  Metadata metadata{{"styleforge.kind", command},
                    {"styleforge.options", options.value.dump()},
                    {"styleforge.step", std::to_string(loaded.value)},
                    {"styleforge.weights", weight_format},
                    {"styleforge.commit", STYLEFORGE_COMMIT}};
  nlohmann::json models = nlohmann::json::array();
  auto entry = [&](const std::string& entry_id, const std::string& kind, const std::string& file) {
    nlohmann::json e{{"id", entry_id}, {"name", name}, {"kind", kind}, {"file", fs::path(file).filename().string()},
                     {"credits", credits}};
    // The latent the file takes or gives: z, then the class (one-hot in, probabilities out) when conditional.
    if (kind != "style") e["latent_size"] = latent + classes;
    if (conditional) e["classes"] = class_names;
    return e;
  };
  // Named slider directions (`latent-directions` wrote them beside the weights) for the generating files.
  nlohmann::json directions;
  const fs::path directions_file = fs::path(weights).parent_path() / "directions.json";
  if (command != "style" && fs::exists(directions_file)) {
    std::ifstream in(directions_file);
    nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.contains("directions"))
      return fail(directions_file.string() + " is not a latent-directions file: delete it or run latent-directions again");
    for (const auto& d : doc["directions"]) directions.push_back({{"name", d["name"]}, {"vector", d["vector"]}});
    std::fprintf(stderr, "adding %zu latent directions from %s\n", directions.size(), directions_file.c_str());
  }
  std::string base = (fs::path(out).parent_path() / fs::path(out).stem()).string();
  std::string enc = base + "-encoder.onnx", dec = base + "-decoder.onnx";
  if (style) {
    auto e = entry(id, "style", out);
    e["input"] = tensor_spec("image", "NCHW", false);
    e["output"] = tensor_spec("stylized", "NCHW", false);
    e["max_tile"] = 512;
    e["size_multiple"] = 4;
    models.push_back(e);
  } else if (generator) {
    auto e = entry(id, "gan", out);
    e["input"] = tensor_spec("latent", "NC", true);
    e["output"] = tensor_spec("image", "NCHW", true);
    e["image_size"] = image_size;
    if (!directions.is_null()) e["directions"] = directions;
    models.push_back(e);
  } else {
    auto e = entry(id + "-encoder", "vae-encoder", enc);
    e["input"] = tensor_spec("image", "NCHW", true);
    e["output"] = tensor_spec("latent", "NC", true);
    e["image_size"] = image_size;
    models.push_back(e);
    auto d = entry(id + "-decoder", "vae-decoder", dec);
    d["input"] = tensor_spec("latent", "NC", true);
    d["output"] = tensor_spec("image", "NCHW", true);
    d["image_size"] = image_size;
    if (!directions.is_null()) d["directions"] = directions;
    models.push_back(d);
  }
  nlohmann::json fragment{{"models", models}};
  // The entries must pass the same parser the app uses, so a bad --id or empty --credits fails here, before any
  // file is written, rather than in the browser.
  Result<Manifest> checked = parse_manifest(fragment.dump(), "exported manifest entry");
  if (!checked.ok()) return fail(checked.error + " (fix the --id/--name/--credits options)");
  const WeightPrecision precision = weight_format == "fp16" ? WeightPrecision::Float16 : WeightPrecision::Float32;
  // Each file carries its own manifest entry (styleforge/onnx_metadata.h), so the app can use a file dropped into
  // the page without a manifest.
  auto with_entry = [&](const nlohmann::json& e) {
    Metadata m = metadata;
    m.emplace_back(kManifestEntryKey, e.dump());
    return m;
  };
  Status s = style       ? export_style_onnx(*style, out, with_entry(models[0]), precision)
             : generator ? export_generator_onnx(*generator, out, with_entry(models[0]), precision)
                         : export_vae_encoder_onnx(*vae, enc, with_entry(models[0]), precision);
  if (s.ok() && vae) s = export_vae_decoder_onnx(*vae, dec, with_entry(models[1]), precision);
  if (!s.ok()) return fail(s.error);
  std::printf("%s\n", fragment.dump(2).c_str());
  if (!manifest_out.empty())
    if (Status w = write_file_atomic(manifest_out, fragment.dump(2) + "\n"); !w.ok()) return fail(w.error);
  for (const auto& m : models) std::fprintf(stderr, "wrote %s\n", m["file"].get<std::string>().c_str());
  return 0;
#else
  return fail("this trainer was built without ONNX export (CMake option STYLEFORGE_WITH_ONNX=OFF, or ONNX/protobuf "
              "not found): rebuild with libonnx-dev and libprotobuf-dev installed to export");
#endif
}

}  // namespace styleforge::trainer
