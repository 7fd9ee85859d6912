// Runs the built `anne` command in a shell and captures its exit status, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace anne_test {

struct CliResult {
  int status;
  std::string out;
  std::string err;
};

inline std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// The directories temp_dir() made; removed with everything in them when the test program ends.
struct TempDirs {
  std::vector<std::string> paths;
  ~TempDirs() {
    for (const std::string& path : paths) {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  }
};
inline TempDirs temp_dirs;

/// A fresh empty directory under the system's temporary directory, removed at exit.
inline std::string temp_dir() {
  std::string pattern = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : std::string("/tmp")) + "/anne-test-XXXXXX";
  const char* made = mkdtemp(pattern.data());
  if (made == nullptr) return "";
  temp_dirs.paths.push_back(made);
  return made;
}

/// `anne ARGS` with stdout and stderr sent to files in `dir`.
inline CliResult run_anne(const std::string& args, const std::string& dir = temp_dir()) {
  const std::string out = dir + "/stdout";
  const std::string err = dir + "/stderr";
  const std::string command = std::string(ANNE_CLI_PATH) + " " + args + " >" + out + " 2>" + err + " </dev/null";
  const int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(out), read_text(err)};
}

}  // namespace anne_test
