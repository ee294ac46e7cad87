#include "onnx/graph_builder.h"

// onnx_pb.h defines ONNX_API and then includes onnx-ml.pb.h (ONNX_ML=1 comes from the CMake target).
#include <onnx/onnx_pb.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

namespace styleforge::trainer::onnx_writer {

// Raw data is written in the host's byte order; ONNX wants little-endian, which every platform we target is.
static_assert(sizeof(float) == 4, "float32 expected");

constexpr int64_t kIrVersion = 8;
constexpr int64_t kOpset = 17;

struct GraphBuilder::State {
  onnx::ModelProto model;
  onnx::GraphProto* graph = nullptr;
  std::set<std::string> names;  // every value name used so far

  std::string unique(const std::string& hint) {
    std::string name = hint.empty() ? "v" : hint;
    for (int i = 1; names.count(name); ++i) name = hint + "_" + std::to_string(i);
    names.insert(name);
    return name;
  }
};

Attribute attr(const std::string& name, int64_t value) {
  Attribute a;
  a.type = Attribute::Type::Int, a.name = name, a.i = value;
  return a;
}
Attribute attr(const std::string& name, std::vector<int64_t> values) {
  Attribute a;
  a.type = Attribute::Type::Ints, a.name = name, a.ints = std::move(values);
  return a;
}
Attribute attr(const std::string& name, float value) {
  Attribute a;
  a.type = Attribute::Type::Float, a.name = name, a.f = value;
  return a;
}
Attribute attr(const std::string& name, const std::string& value) {
  Attribute a;
  a.type = Attribute::Type::String, a.name = name, a.s = value;
  return a;
}

GraphBuilder::GraphBuilder(const std::string& graph_name) : state_(std::make_unique<State>()) {
  auto& m = state_->model;
  m.set_ir_version(kIrVersion);
  m.set_producer_name("styleforge-trainer");
  auto* opset = m.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  state_->graph = m.mutable_graph();
  state_->graph->set_name(graph_name);
}

GraphBuilder::~GraphBuilder() = default;

static void fill_value_info(onnx::ValueInfoProto* info, const std::string& name, const std::vector<Dim>& shape) {
  info->set_name(name);
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  auto* s = tensor->mutable_shape();
  for (const auto& d : shape) {
    auto* dim = s->add_dim();
    if (d.param.empty())
      dim->set_dim_value(d.value);
    else
      dim->set_dim_param(d.param);
  }
}

void GraphBuilder::add_input(const std::string& name, const std::vector<Dim>& shape) {
  state_->names.insert(name);
  fill_value_info(state_->graph->add_input(), name, shape);
}

void GraphBuilder::add_output(const std::string& name, const std::vector<Dim>& shape) {
  fill_value_info(state_->graph->add_output(), name, shape);
}

void GraphBuilder::add_metadata(const std::string& key, const std::string& value) {
  auto* p = state_->model.add_metadata_props();
  p->set_key(key);
  p->set_value(value);
}

static int64_t element_count(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

// One initializer of `data_type` whose contents are element_count(shape) values of `element_size` bytes each.
static std::string add_raw_initializer(onnx::GraphProto* graph, const std::string& unique_name,
                                       onnx::TensorProto::DataType data_type, const std::vector<int64_t>& shape,
                                       const void* data, size_t element_size) {
  auto* t = graph->add_initializer();
  t->set_name(unique_name);
  t->set_data_type(data_type);
  for (int64_t d : shape) t->add_dims(d);
  t->set_raw_data(data, static_cast<size_t>(element_count(shape)) * element_size);
  return unique_name;
}

std::string GraphBuilder::add_float_initializer(const std::string& name, const std::vector<int64_t>& shape,
                                                const float* data) {
  return add_raw_initializer(state_->graph, state_->unique(name), onnx::TensorProto::FLOAT, shape, data,
                             sizeof(float));
}

std::string GraphBuilder::add_float16_initializer(const std::string& name, const std::vector<int64_t>& shape,
                                                  const uint16_t* bits) {
  return add_raw_initializer(state_->graph, state_->unique(name), onnx::TensorProto::FLOAT16, shape, bits,
                             sizeof(uint16_t));
}

std::string GraphBuilder::add_int64_initializer(const std::string& name, const std::vector<int64_t>& shape,
                                                const int64_t* data) {
  return add_raw_initializer(state_->graph, state_->unique(name), onnx::TensorProto::INT64, shape, data,
                             sizeof(int64_t));
}

std::string GraphBuilder::add_float_vector(const std::string& name, const std::vector<float>& values) {
  return add_float_initializer(name, {static_cast<int64_t>(values.size())}, values.data());
}

std::string GraphBuilder::add_int64_vector(const std::string& name, const std::vector<int64_t>& values) {
  return add_int64_initializer(name, {static_cast<int64_t>(values.size())}, values.data());
}

std::string GraphBuilder::node(const std::string& op_type, const std::vector<std::string>& inputs,
                               const std::vector<Attribute>& attributes, const std::string& output_hint,
                               const std::string& output_name) {
  std::string out = output_name.empty() ? state_->unique(output_hint) : output_name;
  if (!output_name.empty()) state_->names.insert(out);
  auto* n = state_->graph->add_node();
  n->set_op_type(op_type);
  n->set_name(out + "/" + op_type);
  for (const auto& in : inputs) n->add_input(in);
  n->add_output(out);
  for (const auto& a : attributes) {
    auto* p = n->add_attribute();
    p->set_name(a.name);
    switch (a.type) {
      case Attribute::Type::Int:
        p->set_type(onnx::AttributeProto::INT);
        p->set_i(a.i);
        break;
      case Attribute::Type::Ints:
        p->set_type(onnx::AttributeProto::INTS);
        for (int64_t v : a.ints) p->add_ints(v);
        break;
      case Attribute::Type::Float:
        p->set_type(onnx::AttributeProto::FLOAT);
        p->set_f(a.f);
        break;
      case Attribute::Type::String:
        p->set_type(onnx::AttributeProto::STRING);
        p->set_s(a.s);
        break;
    }
  }
  return out;
}

Result<std::string> GraphBuilder::serialize() const {
  std::string bytes;
  if (!state_->model.SerializeToString(&bytes))
    return Result<std::string>::failure("protobuf could not serialise the ONNX model (over 2 GB?)");
  return Result<std::string>::success(std::move(bytes));
}

Status GraphBuilder::save(const std::string& path) const {
  Result<std::string> bytes = serialize();
  if (!bytes.ok()) return Status::failure(path + ": " + bytes.error);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::failure("cannot write " + tmp + " (does the folder exist and is it writable?)");
    out.write(bytes.value.data(), static_cast<std::streamsize>(bytes.value.size()));
    if (!out) return Status::failure("error writing " + tmp + " (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::failure("cannot rename " + tmp + " to " + path + ": " + ec.message());
  return Status::success();
}

}  // namespace styleforge::trainer::onnx_writer
