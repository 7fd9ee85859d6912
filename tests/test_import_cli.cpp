// anne import, info and predict as a user runs them, and every kind of bad model file: each gives
// a message naming what and where, exit status 1, and leaves no output file (an old one unchanged).
#include <gtest/gtest.h>
#include <hdf5.h>
#include <zip.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace {

using anne_test::run_anne;

struct Weight {
  std::vector<hsize_t> shape;
  std::vector<float> values;
};

/// A Keras 2 weights-only .h5 (save_weights): group NAME with attribute weight_names and the
/// datasets NAME/NAME/ROLE:0.
void write_weights(const std::string& path, const std::map<std::string, std::map<std::string, Weight>>& layers) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  for (const auto& [name, weights] : layers) {
    const hid_t group = H5Gcreate2(file, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t inner = H5Gcreate2(group, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    std::vector<std::string> names;
    for (const auto& [role, weight] : weights) {
      const hid_t space = H5Screate_simple(static_cast<int>(weight.shape.size()), weight.shape.data(), nullptr);
      const hid_t data = H5Dcreate2(inner, (role + ":0").c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Dwrite(data, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, weight.values.data());
      H5Dclose(data);
      H5Sclose(space);
      names.push_back(name + "/" + role + ":0");
    }
    std::vector<const char*> pointers;
    for (const std::string& n : names) pointers.push_back(n.c_str());
    const hsize_t count = pointers.size();
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    const hid_t space = H5Screate_simple(1, &count, nullptr);
    const hid_t attribute = H5Acreate2(group, "weight_names", type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attribute, type, pointers.data());
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
    H5Gclose(inner);
    H5Gclose(group);
  }
  H5Fclose(file);
}

std::string dense_json(const std::string& name, int units, const std::string& extra_layers = "") {
  return R"({"class_name": "Sequential", "keras_version": "2.4.0", "config": {"name": "s", "layers": [)"
         R"({"class_name": "Dense", "config": {"name": ")" + name + R"(", "units": )" + std::to_string(units) +
         R"(, "activation": "sigmoid", "batch_input_shape": [null, 2]}})" + extra_layers + "]}}";
}

class ImportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = anne_test::temp_dir();
    write_weights(dir_ + "/w.h5", {{"d", {{"kernel", {{2, 1}, {0.5f, -1.5f}}}, {"bias", {{1}, {0.25f}}}}}});
    write("good.json", dense_json("d", 1));
  }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << text;
    return dir_ + "/" + name;
  }
  /// Runs a failing import and checks the message, the status and that nothing was written.
  void expect_refused(const std::string& args, const std::string& message) {
    const auto result = run_anne("import " + args + " -o " + dir_ + "/out.anne", dir_);
    EXPECT_EQ(result.status, 1) << args << "\n" << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos) << args << "\n" << result.err;
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/out.anne")) << args;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      EXPECT_EQ(entry.path().filename().string().rfind(".anne-tmp", 0), std::string::npos) << "temporary file left behind";
    }
  }
  std::string dir_;
};

TEST_F(ImportCli, ImportInfoAndPredictAgreeWithTheFile) {
  const auto imported = run_anne("import " + dir_ + "/good.json --weights " + dir_ + "/w.h5 -o " + dir_ + "/m.anne", dir_);
  ASSERT_EQ(imported.status, 0) << imported.err;
  EXPECT_NE(imported.out.find("parameters: 3 (12 bytes of float32)"), std::string::npos) << imported.out;
  const auto info = run_anne("info " + dir_ + "/m.anne --json", dir_);
  ASSERT_EQ(info.status, 0) << info.err;
  const nlohmann::json layer = nlohmann::json::parse(info.out)["layers"][0];
  EXPECT_EQ(layer["kernel"], nlohmann::json::parse("[[0.5],[-1.5]]"));  // Keras layout [inputs][units]
  EXPECT_EQ(layer["bias"], nlohmann::json::parse("[0.25]"));
  EXPECT_EQ(layer["activation"], "sigmoid");
  const auto predicted = run_anne("predict " + dir_ + "/m.anne --csv " + write("x.csv", "a,b\n1,2\n-1,0\n") + " --json", dir_);
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  const nlohmann::json p = nlohmann::json::parse(predicted.out)["predictions"];
  EXPECT_NEAR(p[0][0].get<double>(), 1 / (1 + std::exp(-(0.5 - 3.0 + 0.25))), 1e-6);
  EXPECT_NEAR(p[1][0].get<double>(), 1 / (1 + std::exp(-(-0.5 + 0.25))), 1e-6);
}

TEST_F(ImportCli, NonFiniteWeightsAreRefusedUnlessAllowed) {
  write_weights(dir_ + "/nan.h5", {{"d", {{"kernel", {{2, 1}, {NAN, 1.0f}}}, {"bias", {{1}, {0.0f}}}}}});
  expect_refused(dir_ + "/good.json --weights " + dir_ + "/nan.h5",
                 "layer 1 'd' (Dense): kernel holds NaN or infinite values (--allow-nonfinite imports them anyway)");
  const auto allowed = run_anne("import " + dir_ + "/good.json --weights " + dir_ + "/nan.h5 --allow-nonfinite -o " + dir_ + "/n.anne", dir_);
  EXPECT_EQ(allowed.status, 0) << allowed.err;
  EXPECT_NE(allowed.out.find("warning: layer 1 'd' (Dense): kernel holds NaN or infinite values"), std::string::npos);
}

TEST_F(ImportCli, MissingOrMisShapedWeights) {
  expect_refused(write("three.json", dense_json("d", 3)) + " --weights " + dir_ + "/w.h5",
                 "layer 1 'd' (Dense): the weight 'kernel' has shape (2,1), expected (2,3)");
  expect_refused(write("other.json", dense_json("e", 1)) + " --weights " + dir_ + "/w.h5",
                 "layer 1 'e' (Dense): the weight 'kernel' is missing");
  expect_refused(dir_ + "/good.json", "an architecture JSON needs its weights file: --weights FILE.h5");
}

TEST_F(ImportCli, UnsupportedLayersAndShapesThatDoNotChain) {
  expect_refused(write("conv.json", dense_json("d", 1, R"(, {"class_name": "Conv2D", "config": {"name": "c"}})")) +
                     " --weights " + dir_ + "/w.h5",
                 "layer 2 'c' (Conv2D) is not supported");
  const std::string functional = R"({"class_name": "Functional", "config": {"name": "f", "layers": [)"
                                 R"({"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, 2]}, "inbound_nodes": []},)"
                                 R"({"class_name": "Dense", "config": {"name": "d", "units": 1}, "inbound_nodes": [[["in", 0, 0, {}]]]},)"
                                 R"({"class_name": "Dense", "config": {"name": "e", "units": 1}, "inbound_nodes": [[["in", 0, 0, {}]]]}]}})";
  expect_refused(write("branch.json", functional) + " --weights " + dir_ + "/w.h5",
                 "layer 3 'e' (Dense): the Functional model is not a straight chain here");
  expect_refused(write("broken.json", "{\"class_name\": \"Sequential\", \"config\": "), "broken.json: not valid JSON");
}

TEST_F(ImportCli, TruncatedAndIncompleteFiles) {
  for (const char* source : {"/data/keras-real/churn-keras3.10-pair/model.keras", "/data/keras-real/churn-keras3.10-pair/model.h5"}) {
    std::ifstream in(std::string(ANNE_SHARED_DIR) + source, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (size_t cut : {size_t{0}, size_t{3}, size_t{100}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
      const std::string path = write(std::string("cut") + (source[std::strlen(source) - 1] == 's' ? ".keras" : ".h5"), bytes.substr(0, cut));
      const auto result = run_anne("import " + path + " -o " + dir_ + "/out.anne", dir_);
      EXPECT_EQ(result.status, 1) << source << " cut at " << cut << "\n" << result.err;
      EXPECT_FALSE(result.err.empty());
      EXPECT_FALSE(std::filesystem::exists(dir_ + "/out.anne"));
    }
  }
  // A .keras archive without config.json.
  const std::string zip_path = dir_ + "/no-config.keras";
  int error = 0;
  zip_t* archive = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  static const char metadata[] = "{\"keras_version\": \"3.9.0\"}";
  zip_file_add(archive, "metadata.json", zip_source_buffer(archive, metadata, sizeof metadata - 1, 0), 0);
  zip_close(archive);
  expect_refused(zip_path, "no-config.keras: the .keras archive has no config.json");
}

TEST_F(ImportCli, OutputPathsAndOldFiles) {
  const std::string args = dir_ + "/good.json --weights " + dir_ + "/w.h5";
  auto result = run_anne("import " + args + " -o /nonexistent-dir/m.anne", dir_);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("cannot write '/nonexistent-dir/m.anne': No such file or directory"), std::string::npos) << result.err;
  // A failed import leaves an existing file as it was.
  write("keep.anne", "old contents");
  result = run_anne("import " + write("three.json", dense_json("d", 3)) + " --weights " + dir_ + "/w.h5 -o " + dir_ + "/keep.anne", dir_);
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(anne_test::read_text(dir_ + "/keep.anne"), "old contents");
  // Reading a damaged .anne names the byte and the problem.
  ASSERT_EQ(run_anne("import " + args + " -o " + dir_ + "/m.anne", dir_).status, 0);
  std::string bytes = anne_test::read_text(dir_ + "/m.anne");
  bytes[60] = static_cast<char>(bytes[60] ^ 0x40);
  write("damaged.anne", bytes);
  result = run_anne("info " + dir_ + "/damaged.anne", dir_);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("damaged.anne: byte " + std::to_string(bytes.size() - 4) + ": CRC-32 mismatch (the file is corrupt)"),
            std::string::npos)
      << result.err;
}

TEST_F(ImportCli, StraightChainFunctionalWithNormalizationAndRescaling) {
  // Keras 3 Functional config (keras_history inbound nodes): Normalization(mean [1, 2],
  // variance [4, 9]) -> Rescaling(scale 2, offset 1) -> Dense d (the weights in w.h5).
  auto node = [](const std::string& from) {
    return R"([{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": [")" + from + R"(", 0, 0]}}], "kwargs": {}}])";
  };
  const std::string functional =
      R"({"class_name": "Functional", "keras_version": "3.9.0", "config": {"name": "f", "layers": [)"
      R"({"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 2]}, "inbound_nodes": []},)"
      R"({"class_name": "Normalization", "config": {"name": "norm", "mean": [1.0, 2.0], "variance": [4.0, 9.0]}, "inbound_nodes": )" +
      node("in") + R"(},)"
      R"({"class_name": "Rescaling", "config": {"name": "scale", "scale": 2.0, "offset": 1.0}, "inbound_nodes": )" + node("norm") +
      R"(},)"
      R"({"class_name": "Dense", "config": {"name": "d", "units": 1, "activation": "sigmoid"}, "inbound_nodes": )" + node("scale") +
      "}]}}";
  const auto imported = run_anne("import " + write("functional.json", functional) + " --weights " + dir_ + "/w.h5 -o " + dir_ + "/f.anne", dir_);
  ASSERT_EQ(imported.status, 0) << imported.err;
  const auto predicted = run_anne("predict " + dir_ + "/f.anne --csv " + write("x.csv", "a,b\n3,5\n") + " --json", dir_);
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  // (3, 5) -> ((3-1)/2, (5-2)/3) = (1, 1) -> (3, 3) -> 0.5*3 - 1.5*3 + 0.25 = -2.75 -> sigmoid
  EXPECT_NEAR(nlohmann::json::parse(predicted.out)["predictions"][0][0].get<double>(), 1 / (1 + std::exp(2.75)), 1e-6);
}

TEST_F(ImportCli, ExportRefusesBadNamesAndPaths) {
  ASSERT_EQ(run_anne("import " + dir_ + "/good.json --weights " + dir_ + "/w.h5 -o " + dir_ + "/m.anne", dir_).status, 0);
  auto result = run_anne("export " + dir_ + "/m.anne --cpp " + dir_ + "/m.hpp --name 9lives", dir_);
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("--name must be a C++ identifier (letters, digits, _), not '9lives'"), std::string::npos) << result.err;
  result = run_anne("export " + dir_ + "/m.anne --cpp /nonexistent-dir/m.hpp --name m", dir_);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("cannot write '/nonexistent-dir/m.hpp'"), std::string::npos) << result.err;
  result = run_anne("export " + dir_ + "/m.anne --cpp " + dir_ + "/m.hpp --name tiny_net", dir_);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(anne_test::read_text(dir_ + "/m.hpp").find("inline constexpr anne::Network kNetwork = {kLayers, 1};"), std::string::npos);
}

}  // namespace
