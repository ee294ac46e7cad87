// The model manifest, models/manifest.json: one entry per shipped ONNX file. Example entry:
//   { "id": "starry-night", "name": "The Starry Night", "kind": "style", "file": "starry-night.onnx",
//     "input":  { "name": "image", "layout": "NCHW",
//                 "normalization": { "scale": 1, "mean": [0,0,0], "std": [1,1,1] } },
//     "output": { "name": "stylized", "layout": "NCHW", "normalization": { ... } },
//     "max_tile": 512, "size_multiple": 4,
//     "credits": "Vincent van Gogh, The Starry Night (1889), public domain",
//     "thumbnail": "starry-night.jpg", "card": "starry-night.md" }
// kind is style | gan | vae-encoder | vae-decoder | style-predictor | arbitrary-style. Generators (gan, vae-decoder) take a latent {1, latent_size}
// with layout "NC" and need "latent_size" and "image_size"; a vae-encoder outputs the latent mean.
// Class-conditional generators add "classes": ["T-shirt/top", "Trouser", ...]: the last classes.size() latent
// values are then the class (one-hot into gan and vae-decoder files; class probabilities out of a vae-encoder),
// the first latent_size - classes.size() the free latent z. Generators may add "directions": [{"name": "wider",
// "vector": [z values]}, ...]: named directions in z (styleforge-trainer latent-directions), largest effect first.
// An arbitrary-style model (any painting, Ghiasi et al.; trainer/README.md "Arbitrary styles") is two entries that
// name each other: a "style-predictor" (input the painting, NCHW, its shorter side scaled to "style_size"; output
// the style code, "NC", "code_size" numbers; "transformer": the id of its partner) and an "arbitrary-style"
// transformer (input the photo, NCHW, tiled as a style's, with "max_tile" and "size_multiple"; "style_input": the
// code, "NC", fed unchanged with every tile (Backend::set_conditioning); "code_size"; "predictor": its partner's id).
// In a manifest each partner must be present, of the other kind, naming this entry back, with the same code_size.
// A style may have a cheaper "fast" network (issue 10 item 3): its own entry of kind "style" (id "<id>-fast" by
// convention, its own file, card and cost) with "variant_of": "<id>", the quality style it stands in for. In a
// manifest variant_of must name a "style" entry that is not itself a variant; the app lists the pair as one style.
// "cost": {"macs_per_pixel": N, ...} (scripts/model_cost.py) is optional; only macs_per_pixel is read.
// Paths are relative to the manifest's folder.
#pragma once
#include <string>
#include <vector>

#include "styleforge/tensor.h"

namespace styleforge {

enum class ModelKind { Style, Gan, VaeEncoder, VaeDecoder, StylePredictor, ArbitraryStyle };
const char* to_string(ModelKind kind);

struct TensorSpec {
  std::string name;     // ONNX input/output name
  std::string layout;   // "NCHW" (image) or "NC" (latent)
  Normalization normalization;  // meaningful for NCHW only
};

// A named direction in a generator's free latent z (what the app's sliders move along).
struct LatentDirection {
  std::string name;           // what moving along + does, e.g. "wider"
  std::vector<float> vector;  // latent_size - classes.size() values
};

struct ModelEntry {
  std::string id;        // unique, [a-z0-9-]
  std::string name;      // shown to people
  ModelKind kind = ModelKind::Style;
  std::string file;      // ONNX file, relative to the manifest
  TensorSpec input, output;
  int max_tile = 512;    // style, arbitrary-style: longest side one run may take
  int size_multiple = 4; // style, arbitrary-style: input sides must be a multiple of this
  int latent_size = 0;   // gan, vae-*: latent dimension
  int image_size = 0;    // gan, vae-*: generated/encoded image side
  std::vector<std::string> classes;           // class-conditional generators: class names, in one-hot order
  std::vector<LatentDirection> directions;    // gan, vae-decoder: named slider directions, largest effect first
  float truncation = 1.0f;  // gan: the app's default truncation of z (latent.h truncate_latent); 1 = none
  int free_latent_size() const { return latent_size - int(classes.size()); }  // z without the class
  TensorSpec style_input;   // arbitrary-style: the style code input ("NC", {1, code_size})
  int style_size = 0;       // style-predictor: the painting's shorter side, in pixels, as the predictor trained
  int code_size = 0;        // style-predictor, arbitrary-style: numbers in a style code
  std::string transformer;  // style-predictor: id of the arbitrary-style entry its codes are for
  std::string predictor;    // arbitrary-style: id of the style-predictor entry that makes its codes
  std::string variant_of;   // style: id of the quality style this entry is the fast network of; empty for others
  int macs_per_pixel = 0;   // cost.macs_per_pixel when the manifest gives it, else 0 (unknown)
  std::string credits;   // data and artwork credits, shown next to the model
  std::string thumbnail; // optional image, relative to the manifest
  std::string card;      // optional model card (markdown), relative to the manifest
};

struct Manifest {
  std::vector<ModelEntry> models;
  // "default_network": which of a style's networks the app runs until the person chooses: false = the quality
  // network (also when the field is absent), true = its fast network where it has one (issue 10: the shipped set's
  // fast networks keep the look at a fifth of the compute).
  bool fast_by_default = false;
  const ModelEntry* find(const std::string& id) const;  // nullptr when absent
  // The fast network of style `style_id` (the entry whose variant_of names it), or nullptr when it has none.
  const ModelEntry* fast_variant(const std::string& style_id) const;
};

// Parses manifest JSON. Every error names the file and the field, e.g.
//   "models/manifest.json: models[2].input.name: missing (expected a string)".
Result<Manifest> parse_manifest(const std::string& json_text, const std::string& file_name);
Result<Manifest> load_manifest_file(const std::string& path);
// One entry on its own (a JSON object, as in "models"), checked by the same rules: what an ONNX file's metadata
// carries (onnx_metadata.h). Errors name `source` and the field, e.g. "my.onnx: input.normalization.std[0]: ...".
Result<ModelEntry> parse_model_entry(const std::string& json_text, const std::string& source);

}  // namespace styleforge
