// SPDX-License-Identifier: MIT
// anne stream: a CSV file's records, one line each ("r v1,v2,..."), to a condition-monitoring node
// (firmware/monitor) on a serial port or on the emulated RP2040 (the monitor image in rp2040js),
// and its decisions back: the confusion matrix, precision, recall and F1 of the failure class, and
// the node's ticks (cycles) per decision. Optionally the node first gets a model and its settings,
// and after the records learns labelled ones, fine-tunes its last layer, saves the model to flash
// and takes the records again (the field fine-tuning of examples/condition-monitoring).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "anne/metrics.hpp"
#include "anne_host/anne_file.hpp"
#include "anne_host/csv.hpp"
#include "anne_host/dataset.hpp"
#include "anne_host/error.hpp"
#include "anne_host/text.hpp"
#include "commands.hpp"
#include "transfer.hpp"

namespace anne::cli {

namespace {

/// The lines of the CSV's records as the node reads them: `prefix` and the cells but the label's,
/// as the file writes them (the node rounds each decimal to the nearest float, as strtof does).
struct Records {
  std::vector<std::string> lines;
  std::vector<int> labels;  ///< 0/1 per record, or -1 without a label column
};

Records read_records(const std::string& path, const std::string& label, const std::string& prefix, bool label_in_line) {
  const host::CsvTable table = host::read_csv(path);
  const size_t label_column = label.empty() ? table.header.size() : table.column(label);
  Records records;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    std::string line = prefix;
    for (size_t c = 0; c < table.header.size(); ++c) {
      if (c == label_column) continue;
      host::numeric_cell(table, r, c);  // throws, naming the cell, unless it is a number
      line += (line.size() > prefix.size() ? "," : "") + table.rows[r][c];
    }
    int value = -1;
    if (label_column < table.header.size()) {
      const std::string& cell = table.rows[r][label_column];
      if (cell != "0" && cell != "1") throw host::Error(table.where(r) + ": label '" + cell + "' is not 0 or 1");
      value = cell == "1";
      if (label_in_line) line += "," + cell;
    }
    records.lines.push_back(line + "\n");
    records.labels.push_back(value);
  }
  return records;
}

/// A text file's whole contents.
std::string text_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw host::Error(path + ": cannot open");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// The whole session, as the node reads it; each part a list of lines (the model transfer is one).
std::vector<std::string> session(const Args& args, const Records& records) {
  std::vector<std::string> parts;
  // The node checks the model file (a float32 or an int8 one) itself.
  if (args.has("--model")) parts.push_back(model_transfer("model", args.get("--model")));
  if (args.has("--setup")) {
    std::istringstream setup(text_file(args.get("--setup")));
    for (std::string line; std::getline(setup, line);) parts.push_back(line + "\n");
  }
  parts.insert(parts.end(), records.lines.begin(), records.lines.end());
  parts.push_back("stats\n");
  if (!args.has("--learn")) return parts;
  const Records learn = read_records(args.get("--learn"), args.get_or("--label", ""), "learn ", true);
  parts.insert(parts.end(), learn.lines.begin(), learn.lines.end());
  const long epochs = integer_option(args, "--epochs", 20, 1, 1000);
  const std::string rate = args.get_or("--lr", "0.05");
  const std::optional<float> parsed_rate = host::parse_float(rate);
  if (!parsed_rate || !(*parsed_rate > 0.0f)) throw UsageError("option --lr needs a positive number, not '" + rate + "'");
  parts.push_back("fine-tune " + std::to_string(epochs) + " " + rate + "\n");
  parts.push_back("save\n");
  parts.insert(parts.end(), records.lines.begin(), records.lines.end());
  parts.push_back("stats\n");
  return parts;
}

/// What the emulated RP2040 running `image` on the session file printed. The arguments go to the
/// program as they are (posix_spawnp, no shell), so a file name is never read as a command.
std::string run_emulator(const std::string& image, const std::string& input_path) {
  std::vector<std::string> words = {"node", ANNE_SOURCE_DIR "/firmware/emulator/run-rp2040.mjs", image, "--input", input_path};
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw host::Error(std::string("cannot start the emulator (node): ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t emulator = -1;
  const int started = posix_spawnp(&emulator, "node", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (started != 0) {
    close(out[0]);
    throw host::Error(std::string("cannot start the emulator (node): ") + std::strerror(started));
  }
  std::string output;
  char buffer[4096];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    output.append(buffer, static_cast<size_t>(n));
  }
  close(out[0]);
  int status = 0;
  while (waitpid(emulator, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw host::Error("the emulated RP2040 running " + image + " failed (exit status " +
                      std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) + ")");
  }
  return output;
}

/// A serial port at 115200 baud, raw: each part is written, then lines are read until the one that
/// ends its answer ("d ..." for a record, "ok ..." or "error: ..." else; a model transfer's
/// "ready for" line comes first).
std::string run_port(const std::string& port, const std::vector<std::string>& parts) {
  const int fd = open(port.c_str(), O_RDWR | O_NOCTTY);
  if (fd < 0) throw host::Error(port + ": cannot open the serial port");
  termios tty{};
  if (tcgetattr(fd, &tty) != 0) {
    close(fd);
    throw host::Error(port + ": not a serial port");
  }
  cfmakeraw(&tty);
  cfsetspeed(&tty, B115200);
  tcsetattr(fd, TCSANOW, &tty);
  std::string output, line;
  for (const std::string& part : parts) {
    if (write(fd, part.data(), part.size()) != static_cast<ssize_t>(part.size())) {
      close(fd);
      throw host::Error(port + ": write failed");
    }
    for (bool answered = false; !answered;) {
      char c;
      if (read(fd, &c, 1) != 1) {
        close(fd);
        throw host::Error(port + ": the node stopped answering");
      }
      if (c == '\r') continue;
      line += c;
      if (c != '\n') continue;
      output += line;
      for (const char* end : {"d ", "ok ", "error: "}) answered = answered || line.rfind(end, 0) == 0;
      line.clear();
    }
  }
  close(fd);
  return output;
}

/// The decisions of one pass over the records, scored against the labels.
void report_pass(const char* title, const std::vector<int>& decided, const std::vector<int>& labels, const std::string& stats) {
  uint32_t counts[4] = {};
  ConfusionMatrix matrix(counts, 2);
  for (size_t r = 0; r < decided.size(); ++r) {
    if (labels[r] >= 0) matrix.add(static_cast<uint16_t>(labels[r]), static_cast<uint16_t>(decided[r]));
  }
  std::printf("%s: %zu decisions\n", title, decided.size());
  if (!labels.empty() && labels[0] >= 0) {
    std::printf("  confusion matrix [[%u,%u],[%u,%u]] (rows: actual 0/1, columns: decided 0/1)\n", matrix.at(0, 0),
                matrix.at(0, 1), matrix.at(1, 0), matrix.at(1, 1));
    std::printf("  failure class: precision %.4f, recall %.4f, F1 %.3f\n", matrix.precision(1), matrix.recall(1), matrix.f1(1));
  }
  std::printf("  node: %s\n", stats.c_str());
}

int run_stream(const Args& args) {
  const std::string& to = args.get("--to");
  const Records records = read_records(args.positional().at(0), args.get_or("--label", ""), "r ", false);
  const std::vector<std::string> parts = session(args, records);
  // The emulator reads the session from a file; a serial port is written part by part, so it needs
  // the file only when --session asks to keep it.
  const bool emulated = to == "emulator", kept = args.has("--session");
  const std::string input_path = args.get_or("--session", "/tmp/anne-stream-" + std::to_string(getpid()) + ".txt");
  if (emulated || kept) {
    std::string input;
    for (const std::string& part : parts) input += part;
    host::write_file_atomically(input_path, std::vector<uint8_t>(input.begin(), input.end()));
  }
  std::string output;
  try {
    output = emulated ? run_emulator(args.get_or("--image", ANNE_BINARY_DIR "/firmware/rp2040/monitor.elf"), input_path)
                      : run_port(to, parts);
  } catch (...) {
    if (emulated && !kept) std::remove(input_path.c_str());
    throw;
  }
  if (emulated && !kept) std::remove(input_path.c_str());
  if (args.has("--transcript")) host::write_file_atomically(args.get("--transcript"), std::vector<uint8_t>(output.begin(), output.end()));

  std::vector<int> decided;
  std::vector<std::string> stats, errors;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("d ", 0) == 0) {
      std::istringstream fields(line.substr(2));
      std::string index, probability;
      int decision = 0;
      fields >> index >> probability >> decision;
      decided.push_back(decision);
    } else if (line.rfind("ok stats: ", 0) == 0) {
      stats.push_back(line.substr(10));
    } else if (line.rfind("error: ", 0) == 0) {
      errors.push_back(line);
    }
  }
  for (const std::string& error : errors) std::fprintf(stderr, "anne stream: the node said: %s\n", error.c_str());
  const size_t passes = args.has("--learn") ? 2 : 1;
  if (!errors.empty() || decided.size() != passes * records.lines.size() || stats.size() != passes) {
    throw host::Error("the node answered " + std::to_string(decided.size()) + " of " +
                      std::to_string(passes * records.lines.size()) + " records");
  }
  const size_t n = records.lines.size();
  report_pass(passes == 2 ? "before fine-tuning" : "decisions", std::vector<int>(decided.begin(), decided.begin() + n), records.labels, stats[0]);
  if (passes == 2) {
    report_pass("after fine-tuning on the node", std::vector<int>(decided.begin() + n, decided.end()), records.labels, stats[1]);
  }
  return kExitOk;
}

}  // namespace

Command stream_command() {
  return {"stream",
          "stream a CSV file's records to a condition-monitoring node (serial port or emulated RP2040) and score its decisions",
          "FILE",
          {{"--to", "PORT|emulator", "a serial device (/dev/ttyACM0) or the RP2040 in rp2040js", true},
           {"--label", "COLUMN", "the 0/1 label column: not sent; the decisions are scored against it"},
           {"--model", "FILE", "send this .anne model first (the node's model command)"},
           {"--setup", "FILE", "send these lines next (mean, std, threshold, debounce)"},
           {"--learn", "FILE", "after the records: learn these labelled rows, fine-tune, save, and stream again"},
           {"--epochs", "N", "fine-tuning epochs on the node (1 to 1000, default 20)"},
           {"--lr", "RATE", "fine-tuning learning rate on the node (default 0.05)"},
           {"--image", "ELF", "the monitor image for the emulator (default: this build's firmware/rp2040/monitor.elf)"},
           {"--session", "FILE", "keep the bytes sent to the node in FILE"},
           {"--transcript", "FILE", "write everything the node printed to FILE"}},
          &run_stream,
          "The node is firmware/monitor (examples/condition-monitoring/README.md describes its lines).\n"
          "example: anne stream test.csv --label failure --to emulator --model model.anne --setup setup.txt\n"};
}

}  // namespace anne::cli
