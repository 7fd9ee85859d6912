// SPDX-License-Identifier: MIT
#include "anne_host/train/curve.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>

#include "anne_host/error.hpp"
#include "anne_host/text.hpp"

namespace anne::host {

CurveRow curve_row(const train::EpochReport& report) {
  CurveRow row;
  row.epoch = report.epoch;
  row.loss = report.loss;
  row.accuracy = report.accuracy;
  row.has_validation = report.has_validation;
  row.validation_loss = report.validation_loss;
  row.validation_accuracy = report.validation_accuracy;
  row.gradient_norms.assign(report.gradient_norms, report.gradient_norms + report.layers);
  row.dead_fraction.assign(report.dead_fraction, report.dead_fraction + report.layers);
  return row;
}

namespace {

std::ofstream open_for_writing(const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error("cannot write '" + path + "'");
  return out;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

}  // namespace

void write_curve_csv(const std::string& path, const std::vector<CurveRow>& rows) {
  std::ofstream out = open_for_writing(path);
  const size_t layers = rows.empty() ? 0 : rows.front().gradient_norms.size();
  out << "epoch,loss,accuracy,val_loss,val_accuracy";
  for (size_t k = 1; k <= layers; ++k) out << ",grad_norm_" << k;
  for (size_t k = 1; k <= layers; ++k) out << ",dead_" << k;
  out << "\n";
  for (const CurveRow& row : rows) {
    out << row.epoch << "," << format_float(row.loss) << "," << format_float(row.accuracy) << ",";
    if (row.has_validation) out << format_float(row.validation_loss) << "," << format_float(row.validation_accuracy);
    else out << ",";
    for (float norm : row.gradient_norms) out << "," << format_float(norm);
    for (float dead : row.dead_fraction) out << "," << format_float(dead);
    out << "\n";
  }
  if (!out) throw Error("cannot write '" + path + "'");
}

namespace {

/// One line of a panel: a value per epoch.
struct Series {
  std::string name;
  std::string colour;
  bool dashed;
  std::function<double(const CurveRow&)> value;
};

constexpr double kSvgWidth = 720, kPanelHeight = 220, kLeft = 60, kRight = 20, kTitle = 40, kGap = 50;

/// A panel at `top`: frame, 5 value ticks from 0 to y_max, 6 epoch ticks, a polyline and a legend
/// entry per series.
void draw_panel(std::ostream& out, double top, const std::string& label, double y_max, double epochs,
                const std::vector<CurveRow>& rows, const std::vector<Series>& series) {
  const double width = kSvgWidth - kLeft - kRight;
  out << "<text x=\"" << kLeft << "\" y=\"" << top - 6 << "\">" << label << "</text>\n";
  out << "<rect x=\"" << kLeft << "\" y=\"" << top << "\" width=\"" << width << "\" height=\"" << kPanelHeight
      << "\" fill=\"none\" stroke=\"#888\"/>\n";
  for (int tick = 0; tick <= 4; ++tick) {
    const double y = top + kPanelHeight - kPanelHeight * tick / 4.0;
    out << "<line x1=\"" << kLeft - 4 << "\" y1=\"" << y << "\" x2=\"" << kLeft + width << "\" y2=\"" << y
        << "\" stroke=\"#eee\"/><text x=\"" << kLeft - 8 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
        << number(y_max * tick / 4.0) << "</text>\n";
  }
  for (int tick = 0; tick <= 5; ++tick) {
    const double epoch = epochs * tick / 5.0;
    out << "<text x=\"" << kLeft + width * epoch / epochs << "\" y=\"" << top + kPanelHeight + 16
        << "\" text-anchor=\"middle\">" << number(epoch) << "</text>\n";
  }
  for (size_t k = 0; k < series.size(); ++k) {
    const Series& line = series[k];
    out << "<polyline fill=\"none\" stroke=\"" << line.colour << "\" stroke-width=\"1.5\""
        << (line.dashed ? " stroke-dasharray=\"5,3\"" : "") << " points=\"";
    for (const CurveRow& row : rows) {
      const double share = std::min(1.0, std::max(0.0, line.value(row) / y_max));
      out << kLeft + width * row.epoch / epochs << "," << top + kPanelHeight - kPanelHeight * share << " ";
    }
    out << "\"/>\n<text x=\"" << kLeft + width - 110 << "\" y=\"" << top + 16 + 16.0 * static_cast<double>(k)
        << "\" fill=\"" << line.colour << "\">" << line.name << "</text>\n";
  }
}

double largest(const std::vector<CurveRow>& rows, const std::vector<Series>& series) {
  double y_max = 0.0;
  for (const CurveRow& row : rows) {
    for (const Series& line : series) y_max = std::max(y_max, line.value(row));
  }
  return y_max > 0.0 && std::isfinite(y_max) ? y_max : 1.0;
}

}  // namespace

void write_curve_svg(const std::string& path, const std::vector<CurveRow>& rows, const std::string& title) {
  const double epochs = rows.empty() ? 1.0 : std::max(1, rows.back().epoch);
  const bool validation = !rows.empty() && rows.front().has_validation;
  const char* kTraining = "#1f77b4";
  const char* kValidation = "#d62728";
  std::vector<Series> loss = {{"training", kTraining, false, [](const CurveRow& r) { return double{r.loss}; }}};
  std::vector<Series> accuracy = {{"training", kTraining, false, [](const CurveRow& r) { return double{r.accuracy}; }}};
  if (validation) {
    loss.push_back({"validation", kValidation, true, [](const CurveRow& r) { return double{r.validation_loss}; }});
    accuracy.push_back({"validation", kValidation, true, [](const CurveRow& r) { return double{r.validation_accuracy}; }});
  }
  const char* palette[] = {"#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#ff7f0e"};
  std::vector<Series> gradients;
  const size_t layers = rows.empty() ? 0 : rows.front().gradient_norms.size();
  for (size_t k = 0; k < layers; ++k) {
    gradients.push_back({"layer " + std::to_string(k + 1), palette[k % 8], false,
                         [k](const CurveRow& r) { return double{r.gradient_norms[k]}; }});
  }

  std::ofstream out = open_for_writing(path);
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kSvgWidth << "\" height=\""
      << kTitle + 3 * (kPanelHeight + kGap) + 10 << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  std::string escaped;
  for (char c : title) escaped += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
  out << "<text x=\"" << kLeft << "\" y=\"22\" font-size=\"15\">" << escaped << "</text>\n";
  double top = kTitle + 10;
  draw_panel(out, top, "loss per epoch", largest(rows, loss), epochs, rows, loss);
  top += kPanelHeight + kGap;
  draw_panel(out, top, "accuracy per epoch", 1.0, epochs, rows, accuracy);
  top += kPanelHeight + kGap;
  draw_panel(out, top, "gradient norm ||dL/dparams|| per layer (mean over the epoch's steps)", largest(rows, gradients),
             epochs, rows, gradients);
  out << "</svg>\n";
  if (!out) throw Error("cannot write '" + path + "'");
}

}  // namespace anne::host
