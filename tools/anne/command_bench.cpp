// SPDX-License-Identifier: MIT
// anne bench: host nanoseconds per inference, one row and a batch of 20 rows.
#include <cstdio>

#include "anne/datasets/iris_paper_split.hpp"
#include <nlohmann/json.hpp>

#include "anne_host/error.hpp"
#include "anne_host/model.hpp"
#include "anne_host/paper_split.hpp"
#include "anne_host/timing.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

/// The paper's 20 test rows when the network takes the 4 IRIS inputs, otherwise 20 rows of
/// fixed pseudo-random values in [-1, 1) (the time of a dense network does not depend on values).
std::vector<float> bench_rows(uint16_t inputs) {
  if (inputs == iris::kFeatures) return host::paper_test_set().x;
  std::vector<float> rows(20u * inputs);
  uint32_t state = 12345u;
  for (float& value : rows) {
    state = state * 1664525u + 1013904223u;
    value = static_cast<float>(state >> 8) / 8388608.0f - 1.0f;
  }
  return rows;
}

int run_bench(const Args& args) {
  const host::HostModel model = host::load_model(args.get("--model"));
  const Network net = model.network();
  const uint16_t inputs = network_inputs(net);
  const uint16_t outputs = network_outputs(net);
  const std::vector<float> rows = bench_rows(inputs);
  const size_t row_count = rows.size() / inputs;
  std::vector<float> scratch(forward_scratch_floats(net));
  std::vector<float> out(row_count * outputs);
  Status status = Status::ok;
  const host::Timing one = host::time_calls([&] {
    status = forward(net, rows.data(), inputs, out.data(), outputs, scratch.data(), scratch.size());
    asm volatile("" : : "r"(out.data()) : "memory");
  });
  const host::Timing batch = host::time_calls([&] {
    for (size_t r = 0; r < row_count; ++r) {
      status = forward(net, rows.data() + r * inputs, inputs, out.data() + r * outputs, outputs, scratch.data(), scratch.size());
    }
    asm volatile("" : : "r"(out.data()) : "memory");
  });
  if (status != Status::ok) throw host::Error(std::string("forward pass failed: ") + status_message(status));
  const double batch_ns = batch.median_ns / static_cast<double>(row_count);
  if (args.has("--json")) {
    const nlohmann::json document = {{"model", model.name},
                                     {"ns_per_inference_one_row", one.median_ns},
                                     {"ns_per_inference_batch", batch_ns},
                                     {"batch_rows", row_count},
                                     {"runs", one.runs}};
    std::printf("%s\n", document.dump().c_str());
    return kExitOk;
  }
  std::printf("%s, host forward pass (median of %zu runs):\n", model.name.c_str(), one.runs);
  std::printf("  one row:          %9.1f ns per inference\n", one.median_ns);
  std::printf("  batch of %zu rows: %9.1f ns per inference\n", row_count, batch_ns);
  return kExitOk;
}

}  // namespace

Command bench_command() {
  return {"bench", "time the forward pass on this machine (nanoseconds per inference)", "",
          {model_option(), json_option()}, &run_bench, ""};
}

}  // namespace anne::cli
