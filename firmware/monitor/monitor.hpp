// SPDX-License-Identifier: MIT
// The condition monitor: one sensor record in, one decision out, and an alarm output that only
// moves when the decisions agree for a while. The same code on the chip (firmware/monitor/
// monitor_main.cpp) and on the PC (monitor_host, the reference the chips must reproduce).
//
// For every record x (raw sensor values):
//   z = (x - mean) / std                  the training rows' statistics, on the chip
//   p = network(z)                        probability of a failure (one sigmoid output)
//   decision = p > threshold              the threshold chosen on the training rows
//   alarm: raised after `raise_after` positive decisions in a row, cleared after `clear_after`
//          negative ones in a row (hysteresis: one noisy reading does not toggle it)
//
// Lines in (docs: examples/condition-monitoring/README.md):
//   model BYTES CRC32  + BYTES raw bytes   a .anne model (becomes current; `save` persists it)
//   mean LIST / std LIST                   the training statistics, one value per input
//   threshold T / debounce RAISE CLEAR     the decision rule
//   r LIST                                 a record: prints "d INDEX P DECISION ALARM"
//   learn LIST,LABEL                       a labelled record for fine-tuning (kept on the chip)
//   fine-tune EPOCHS RATE                  trains the last layer on the learnt records (SGD)
//   save                                   settings and model to the spare flash slot, then switch
//   stats                                  decisions, alarms and ticks per decision since the last stats
// Every command but `r` answers with one last line starting "ok " or "error: ".
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/console/line_reader.hpp"
#include "anne/console/number_parse.hpp"
#include "anne/console/output.hpp"
#include "anne/console/words.hpp"
#include "anne/format.hpp"
#include "anne/network.hpp"
#include "anne/preprocess.hpp"
#include "anne/storage/model_slots.hpp"
#include "anne/train/trainer.hpp"
#include "node_model.hpp"

namespace anne {
namespace monitor {

using console::Text;
using console::Words;

constexpr uint16_t kMaxInputs = 8;
constexpr uint32_t kMaxModelBytes = 1536;
/// Labelled records kept for one fine-tuning run.
constexpr uint32_t kMaxLearnRows = 64;
/// The trainer's workspace: SGD on 64 rows of a 6-12-6-1 network takes about 2.9 KB.
constexpr size_t kTrainWorkspaceBytes = 3072;
/// Flash pages up to this size (the RP2040's QSPI flash: 256).
constexpr uint32_t kMaxPageBytes = 256;
constexpr uint16_t kMaxEpochs = 1000;
constexpr uint32_t kTrainSeed = 42;

/// The decision rule and the input statistics: what `save` stores beside the model.
struct Settings {
  uint32_t inputs = 0;  ///< how many mean and std values are set (0: none yet)
  float threshold = 0.5f;
  uint32_t raise_after = 2;
  uint32_t clear_after = 2;
  float mean[kMaxInputs] = {};
  float std_dev[kMaxInputs] = {};
};
/// Settings as stored: 4 words, then the means and the standard deviations, little-endian.
constexpr uint32_t kSettingsBytes = 4 * 4 + 2 * 4 * kMaxInputs;
constexpr uint32_t kPayloadBytes = kSettingsBytes + kMaxModelBytes;

inline void write_settings(const Settings& s, uint8_t* out) {
  format::write_u32(out, s.inputs);
  format::write_f32(out + 4, s.threshold);
  format::write_u32(out + 8, s.raise_after);
  format::write_u32(out + 12, s.clear_after);
  for (uint32_t i = 0; i < kMaxInputs; ++i) {
    format::write_f32(out + 16 + 4 * i, s.mean[i]);
    format::write_f32(out + 16 + 4 * (kMaxInputs + i), s.std_dev[i]);
  }
}

inline Settings read_settings(const uint8_t* in) {
  Settings s;
  s.inputs = format::read_u32(in);
  s.threshold = format::read_f32(in + 4);
  s.raise_after = format::read_u32(in + 8);
  s.clear_after = format::read_u32(in + 12);
  for (uint32_t i = 0; i < kMaxInputs; ++i) {
    s.mean[i] = format::read_f32(in + 16 + 4 * i);
    s.std_dev[i] = format::read_f32(in + 16 + 4 * (kMaxInputs + i));
  }
  return s;
}

/// The board's side: text out, a tick counter, the alarm output.
struct Hooks {
  console::Platform platform;
  void (*set_alarm)(bool on) = nullptr;
};

/// The debounced alarm: `raise_after` positives in a row raise it, `clear_after` negatives in a row
/// clear it; a run of the other kind starts again from zero.
class Debounce {
 public:
  /// Takes one decision; returns true when the alarm changed.
  bool take(bool positive, uint32_t raise_after, uint32_t clear_after) {
    run_ = positive == last_ ? run_ + 1 : 1;
    last_ = positive;
    const bool change = positive != on_ && run_ >= (positive ? raise_after : clear_after);
    if (change) on_ = positive;
    return change;
  }
  bool on() const { return on_; }

 private:
  bool on_ = false;
  bool last_ = false;
  uint32_t run_ = 0;
};

/// Mean, least and most of a series of tick counts.
class TickStats {
 public:
  void add(uint32_t ticks) {
    sum_ += ticks;
    ++count_;
    min_ = ticks < min_ ? ticks : min_;
    max_ = ticks > max_ ? ticks : max_;
  }
  /// "MEAN (min MIN, max MAX)", or "-" for none.
  void print(console::Printer& out) const {
    if (count_ == 0) {
      out.text("-");
      return;
    }
    out.whole(static_cast<uint32_t>(sum_ / count_)).text(" (min ").whole(min_).text(", max ").whole(max_).text(")");
  }

 private:
  uint64_t sum_ = 0;
  uint32_t count_ = 0;
  uint32_t min_ = 0xffffffffu;
  uint32_t max_ = 0;
};

class Monitor {
 public:
  /// Starts the node: boots the newest valid model from the flash slots, if there is one.
  void begin(const Hooks& hooks, storage::ModelSlots& slots) {
    hooks_ = hooks;
    out_.attach(&hooks_.platform);
    slots_ = &slots;
    const storage::SlotView found = slots.current();
    if (found.slot != storage::kNoSlot && load_payload(found.payload, found.payload_bytes)) {
      out_.text("boot: slot ").whole(found.slot).text(", sequence ").whole(found.sequence).text(", model ");
      shape().line();
    } else {
      out_.text("boot: no model in flash").line();
    }
  }

  void feed(uint8_t byte) {
    if (expected_ > 0) {
      take_model_byte(byte);
      return;
    }
    const console::LineReader::Event event = reader_.feed(byte);
    if (event != console::LineReader::Event::none) handle(event);
  }

  /// Gives up a model transfer under way (the serial line went quiet, or the input ended): the
  /// bytes so far are dropped and the model stays. Returns whether there was one.
  bool abort_transfer() {
    if (expected_ == 0) return false;
    expected_ = 0;
    error().text("model transfer cut after ").whole(received_).text(" bytes; the model is unchanged").line();
    return true;
  }

  /// The end of the input: a last line without its newline runs; false if a transfer was cut.
  bool end_of_input() {
    if (abort_transfer()) return false;
    const console::LineReader::Event event = reader_.finish();
    if (event != console::LineReader::Event::none) handle(event);
    return true;
  }

  /// One record of raw sensor values (settings().inputs of them): the decision, the alarm, the
  /// output line. Returns false (and prints why) when the monitor is not set up.
  bool decide(const float* raw) { return ready("r") && decide_ready(raw); }

  const Settings& settings() const { return settings_; }

 private:
  struct Command {
    const char* name;
    void (Monitor::*run)(const Words& words);
  };

  /// decide() once ready() has said yes (`r` has asked it before parsing the values). Counts the
  /// ticks from the record in hand to the alarm output set (`stats`).
  bool decide_ready(const float* raw) {
    const uint32_t start = ticks();
    float z[kMaxInputs];
    standardize(raw, settings_.mean, settings_.std_dev, z, model_view_.inputs());
    float p = 0.0f;
    if (!model_view_.probability(z, &p, scratch_)) {
      error().text("the model cannot run").line();
      return false;
    }
    const bool positive = p > settings_.threshold;
    ++records_;
    const bool changed = debounce_.take(positive, settings_.raise_after, settings_.clear_after);
    if (changed && hooks_.set_alarm != nullptr) hooks_.set_alarm(debounce_.on());
    decision_ticks_.add(elapsed(start, ticks()));
    if (changed) {
      alarms_ += debounce_.on();
      out_.text("event alarm ").text(debounce_.on() ? "on" : "off").text(" at record ").whole(records_).line();
    }
    out_.text("d ").whole(records_).text(" ").fixed(p, 6).text(positive ? " 1 " : " 0 ").text(debounce_.on() ? "on" : "off").line();
    return true;
  }

  void handle(console::LineReader::Event event) {
    if (event == console::LineReader::Event::too_long) {
      error().text("line longer than ").whole(console::kLineCapacity).text(" characters").line();
      return;
    }
    if (event == console::LineReader::Event::bad_byte) {
      error().text("byte ").whole(reader_.bad_byte()).text(" at column ").whole(reader_.bad_column()).text(" is not printable text").line();
      return;
    }
    const uint32_t start = ticks();
    const Words words(reader_.text(), reader_.length());
    if (words.count == 0) return;
    static constexpr Command kCommands[] = {
        {"r", &Monitor::command_record},       {"model", &Monitor::command_model},
        {"mean", &Monitor::command_mean},      {"std", &Monitor::command_std},
        {"threshold", &Monitor::command_threshold}, {"debounce", &Monitor::command_debounce},
        {"learn", &Monitor::command_learn},    {"fine-tune", &Monitor::command_fine_tune},
        {"save", &Monitor::command_save},      {"stats", &Monitor::command_stats},
    };
    start_ticks_ = start;
    for (const Command& command : kCommands) {
      if (console::same_text(words.word[0], command.name)) {
        (this->*command.run)(words);
        return;
      }
    }
    error().text("unknown command '").text(words.word[0].data, words.word[0].length).text("'").line();
  }

  // ---- commands ----

  void command_record(const Words& words) {
    float raw[kMaxInputs];
    if (!ready("r") || !values(words.rest, raw, model_view_.inputs(), "r")) return;
    line_ticks_.add(elapsed(start_ticks_, ticks()));
    decide_ready(raw);
  }

  void command_model(const Words& words) {
    uint32_t bytes = 0, crc = 0;
    if (words.count != 3 || !console::parse_whole(words.word[1], 0xffffffffu, &bytes) || !console::parse_hex32(words.word[2], &crc)) {
      error().text("usage: model BYTES CRC32").line();
      return;
    }
    if (bytes < 44 || bytes > kMaxModelBytes) {
      error().text("a model of ").whole(bytes).text(" bytes does not fit (44 to ").whole(kMaxModelBytes).text(")").line();
      return;
    }
    skip_lf_ = reader_.expects_lf();  // "model ...\r\n": the "\n" is not data
    reader_.skip_lf();
    expected_ = bytes;
    received_ = 0;
    expected_crc_ = crc;
    out_.text("ready for ").whole(bytes).text(" bytes").line();
  }

  void command_mean(const Words& words) { statistics(words, settings_.mean, "mean"); }
  void command_std(const Words& words) { statistics(words, settings_.std_dev, "std"); }

  void command_threshold(const Words& words) {
    float t = 0.0f;
    if (words.count != 2 || console::parse_float(words.rest.data, words.rest.length, &t) != console::ParseStatus::ok ||
        !(t > 0.0f && t < 1.0f)) {
      error().text("usage: threshold T, with 0 < T < 1").line();
      return;
    }
    settings_.threshold = t;
    out_.text("ok threshold ").fixed(t, 6).line();
  }

  void command_debounce(const Words& words) {
    uint32_t raise = 0, clear = 0;
    if (words.count != 3 || !console::parse_whole(words.word[1], 1000, &raise) || !console::parse_whole(words.word[2], 1000, &clear) ||
        raise == 0 || clear == 0) {
      error().text("usage: debounce RAISE CLEAR, each 1 to 1000").line();
      return;
    }
    settings_.raise_after = raise;
    settings_.clear_after = clear;
    out_.text("ok alarm on after ").whole(raise).text(" positive decisions in a row, off after ").whole(clear).text(" negative").line();
  }

  void command_learn(const Words& words) {
    if (!ready("learn")) return;
    const uint16_t n = model_view_.inputs();
    float row[kMaxInputs + 1];
    if (!values(words.rest, row, static_cast<uint16_t>(n + 1), "learn")) return;
    if (!(row[n] == 0.0f || row[n] == 1.0f)) {
      error().text("learn: the label (the last value) must be 0 or 1").line();
      return;
    }
    if (learnt_ == kMaxLearnRows) {
      error().text("learn: the buffer holds ").whole(kMaxLearnRows).text(" records; fine-tune first").line();
      return;
    }
    standardize(row, settings_.mean, settings_.std_dev, learn_x_ + learnt_ * n, n);
    learn_t_[learnt_++] = row[n];
    out_.text("ok ").whole(learnt_).text(" records to learn").line();
  }

  void command_fine_tune(const Words& words) {
    uint32_t epochs = 0;
    float rate = 0.0f;
    if (words.count != 3 || !console::parse_whole(words.word[1], kMaxEpochs, &epochs) || epochs == 0 ||
        console::parse_float(words.word[2].data, words.word[2].length, &rate) != console::ParseStatus::ok || !(rate > 0.0f)) {
      error().text("usage: fine-tune EPOCHS RATE (1 to ").whole(kMaxEpochs).text(" epochs, a positive rate)").line();
      return;
    }
    if (!ready("fine-tune")) return;
    const Network net = model_view_.network();
    if (learnt_ == 0 || net.count < 2) {
      error().text("fine-tune needs learnt records and a float32 network of 2 layers or more").line();
      return;
    }
    train::TrainConfig config;
    config.loss = train::Loss::binary_crossentropy;
    config.optimizer = train::optimizer_defaults(train::Optimizer::sgd);
    config.optimizer.learning_rate = rate;
    config.batch_size = 1;
    config.epochs = static_cast<uint16_t>(epochs);
    config.seed = kTrainSeed;
    config.frozen_layers = static_cast<uint16_t>(net.count - 1);
    config.statistics = false;  // the answer shows the loss before and after, not gradient norms or dead units
    train::Trainer trainer;
    if (trainer.init(net, config, learnt_, workspace_, sizeof workspace_) != Status::ok) {
      error().text("fine-tune: this network needs more than the ").whole(kTrainWorkspaceBytes).text(" bytes of workspace").line();
      return;
    }
    const train::Samples samples{learn_x_, learn_t_, learnt_};
    float before = 0.0f, after = 0.0f, accuracy = 0.0f;
    trainer.evaluate(samples, &before, &accuracy);
    train::EpochReport last;
    trainer.fit(samples, nullptr, nullptr, nullptr, &last);
    trainer.evaluate(samples, &after, &accuracy);
    if (last.stop != train::Stop::none) {
      error().text("fine-tune diverged; the model is unchanged").line();
      return;
    }
    store_last_layer(net.layers[net.count - 1], trainer.network().layers[net.count - 1]);
    out_.text("ok fine-tuned layer ").whole(net.count).text(" on ").whole(learnt_).text(" records, loss ")
        .fixed(before, 6).text(" -> ").fixed(after, 6).line();
    learnt_ = 0;
  }

  void command_save(const Words&) {
    if (!ready("save")) return;
    write_settings(settings_, payload_);  // right before the model: the payload is one block
    const storage::SaveResult result = slots_->save(payload_, kSettingsBytes + model_bytes_, page_);
    if (result != storage::SaveResult::saved) {
      error().text("save: ").text(storage::save_message(result)).text("; the saved model is unchanged").line();
      return;
    }
    const storage::SlotView now = slots_->current();
    out_.text("ok saved to slot ").whole(now.slot).text(", sequence ").whole(now.sequence).line();
  }

  void command_stats(const Words&) {
    const char* unit = hooks_.platform.tick_unit != nullptr ? hooks_.platform.tick_unit : "ticks";
    out_.text("ok stats: ").whole(records_ - stats_from_).text(" decisions, alarm raised ").whole(alarms_).text(" times, ")
        .text(unit).text(" per decision ");
    decision_ticks_.print(out_);
    out_.text("; reading a record's line ");
    line_ticks_.print(out_);
    out_.line();
    stats_from_ = records_;
    alarms_ = 0;
    decision_ticks_ = TickStats();
    line_ticks_ = TickStats();
  }

  // ---- helpers ----

  console::Printer& error() { return out_.text("error: "); }

  uint32_t ticks() { return hooks_.platform.ticks != nullptr ? hooks_.platform.ticks(hooks_.platform.context) : 0u; }

  uint32_t elapsed(uint32_t from, uint32_t to) {
    return hooks_.platform.elapsed != nullptr ? hooks_.platform.elapsed(hooks_.platform.context, from, to) : to - from;
  }

  /// A model, and as many statistics as it has inputs.
  bool ready(const char* command) {
    if (model_view_.layer_count() == 0) {
      error().text(command).text(": no model yet (send one with model BYTES CRC32)").line();
      return false;
    }
    if (settings_.inputs != model_view_.inputs()) {
      error().text(command).text(": set mean and std for the model's ").whole(model_view_.inputs()).text(" inputs first").line();
      return false;
    }
    return true;
  }

  /// Exactly n comma-separated numbers.
  bool values(Text list, float* out, uint16_t n, const char* command) {
    uint16_t count = 0, start = 0;
    for (uint16_t i = 0; i <= list.length; ++i) {
      if (i < list.length && list.data[i] != ',') continue;
      const Text field = console::trim(Text{list.data + start, static_cast<uint16_t>(i - start)});
      float value = 0.0f;
      if (console::parse_float(field.data, field.length, &value) != console::ParseStatus::ok) {
        error().text(command).text(": value ").whole(count + 1u).text(" is not a number: '").text(field.data, field.length).text("'").line();
        return false;
      }
      if (count < n) out[count] = value;
      ++count;
      start = static_cast<uint16_t>(i + 1);
    }
    if (count != n) {
      error().text(command).text(": ").whole(n).text(" values expected, not ").whole(count).line();
      return false;
    }
    return true;
  }

  void statistics(const Words& words, float* into, const char* name) {
    float v[kMaxInputs];
    uint16_t n = 1;
    for (uint16_t i = 0; i < words.rest.length; ++i) n = static_cast<uint16_t>(n + (words.rest.data[i] == ','));
    if (n > kMaxInputs || !values(words.rest, v, n, name)) {
      if (n > kMaxInputs) error().text(name).text(": at most ").whole(kMaxInputs).text(" values").line();
      return;
    }
    for (uint16_t i = 0; i < n; ++i) {
      if (into == settings_.std_dev && !(v[i] > 0.0f)) {
        error().text("std: value ").whole(i + 1u).text(" must be positive").line();
        return;
      }
    }
    for (uint16_t i = 0; i < n; ++i) into[i] = v[i];
    (into == settings_.mean ? mean_count_ : std_count_) = n;
    settings_.inputs = mean_count_ == std_count_ ? n : 0;
    out_.text("ok ").text(name).text(" of ").whole(n).text(" inputs").line();
  }

  void take_model_byte(uint8_t byte) {
    const bool line_end = skip_lf_ && byte == '\n';
    skip_lf_ = false;
    if (line_end) return;
    incoming_[received_++] = byte;
    if (received_ < expected_) return;
    expected_ = 0;
    if (format::crc32(incoming_, received_) != expected_crc_) {
      error().text("model: CRC-32 mismatch; the model is unchanged").line();
      return;
    }
    NodeModel candidate;
    const Status checked = candidate.open(incoming_, received_);
    if (checked != Status::ok || !fits(candidate)) {
      error().text("model: ").text(checked != Status::ok ? status_message(checked) : "not one output, or wider than 32 units")
          .text("; the model is unchanged").line();
      return;
    }
    for (uint32_t i = 0; i < received_; ++i) model_[i] = incoming_[i];
    model_bytes_ = received_;
    open_model();
    out_.text("ok model ");
    shape().line();
  }

  /// One output, no layer wider than the scratch, inputs within the statistics' room.
  static bool fits(const NodeModel& model) {
    return model.outputs() == 1 && model.inputs() <= kMaxInputs && model.widest() <= kMaxUnits;
  }

  /// Reads model_ (already checked) into model_view_.
  void open_model() { model_view_.open(model_, model_bytes_); }

  bool load_payload(const uint8_t* payload, uint32_t bytes) {
    if (bytes < kSettingsBytes || bytes - kSettingsBytes > kMaxModelBytes) return false;
    NodeModel candidate;
    const uint32_t model_bytes = bytes - kSettingsBytes;
    if (candidate.open(payload + kSettingsBytes, model_bytes) != Status::ok || !fits(candidate)) return false;
    const Settings stored = read_settings(payload);
    if (stored.inputs != candidate.inputs()) return false;
    settings_ = stored;
    mean_count_ = std_count_ = static_cast<uint16_t>(settings_.inputs);
    for (uint32_t i = 0; i < model_bytes; ++i) model_[i] = payload[kSettingsBytes + i];
    model_bytes_ = model_bytes;
    open_model();
    return true;
  }

  /// The trained last layer's weights and bias into the model file, in place, and its CRC anew:
  /// model_ stays a valid .anne file that `save` can store as it is.
  void store_last_layer(const Layer& layer, const Layer& trained) {
    copy_floats(trained.weights, layer.weights, layer_weight_count(layer));
    copy_floats(trained.bias, layer.bias, layer.bias != nullptr ? layer.units : 0);
    format::write_u32(model_ + model_bytes_ - 4, format::crc32(model_, model_bytes_ - 4));
    open_model();
  }

  /// n floats from `from` to `to`, which points into model_ (the reader's view is read-only).
  void copy_floats(const float* from, const float* to, size_t n) {
    uint8_t* at = model_ + (reinterpret_cast<const uint8_t*>(to) - model_);
    for (size_t i = 0; i < n; ++i) format::write_f32(at + 4 * i, from[i]);
  }

  console::Printer& shape() {
    out_.whole(model_view_.inputs());
    for (uint16_t k = 0; k < model_view_.layer_count(); ++k) out_.text("-").whole(model_view_.units(k));
    return out_.text(", ").whole(model_view_.parameters()).text(model_view_.quantized() ? " int8 parameters" : " float32 parameters");
  }

  Hooks hooks_;
  console::Printer out_;
  console::LineReader reader_;
  storage::ModelSlots* slots_ = nullptr;
  Settings settings_;
  /// The payload `save` stores: the settings, then the current model's .anne file (model_).
  alignas(4) uint8_t payload_[kPayloadBytes] = {};
  uint8_t* const model_ = payload_ + kSettingsBytes;
  uint32_t model_bytes_ = 0;
  alignas(4) uint8_t incoming_[kMaxModelBytes] = {};
  uint32_t expected_ = 0;
  uint32_t received_ = 0;
  uint32_t expected_crc_ = 0;
  bool skip_lf_ = false;
  NodeModel model_view_;  ///< model_ read in place
  NodeModel::Scratch scratch_ = {};
  Debounce debounce_;
  uint16_t mean_count_ = 0;
  uint16_t std_count_ = 0;
  uint32_t records_ = 0;
  uint32_t start_ticks_ = 0;
  // stats since the last `stats`
  uint32_t stats_from_ = 0;
  uint32_t alarms_ = 0;
  TickStats decision_ticks_;  ///< record in hand to alarm output set
  TickStats line_ticks_;      ///< a record's line complete to its values parsed (the demo's serial transport)
  // fine-tuning
  float learn_x_[kMaxLearnRows * kMaxInputs] = {};
  float learn_t_[kMaxLearnRows] = {};
  uint32_t learnt_ = 0;
  alignas(train::kWorkspaceAlign) unsigned char workspace_[kTrainWorkspaceBytes] = {};
  uint8_t page_[kMaxPageBytes] = {};
};

}  // namespace monitor
}  // namespace anne
