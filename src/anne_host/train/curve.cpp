// SPDX-License-Identifier: MIT
#include "anne_host/train/curve.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

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

void write_curve_svg(const std::string& path, const std::vector<CurveRow>& rows, const std::string& title) {
  constexpr double kWidth = 720, kPanel = 260, kLeft = 60, kRight = 20, kTop = 40, kGap = 50;
  const double plot_width = kWidth - kLeft - kRight;
  const double epochs = rows.empty() ? 1.0 : std::max(1, rows.back().epoch);
  const bool validation = !rows.empty() && rows.front().has_validation;
  double max_loss = 0.0;
  for (const CurveRow& row : rows) {
    max_loss = std::max({max_loss, static_cast<double>(row.loss), row.has_validation ? static_cast<double>(row.validation_loss) : 0.0});
  }
  if (!(max_loss > 0.0)) max_loss = 1.0;

  std::ofstream out = open_for_writing(path);
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kTop + 2 * kPanel + kGap + 40
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  std::string escaped;
  for (char c : title) escaped += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
  out << "<text x=\"" << kLeft << "\" y=\"22\" font-size=\"15\">" << escaped << "</text>\n";

  // One panel: axes, 5 ticks on y, epoch ticks on x, and a polyline per series.
  auto panel = [&](double top, const std::string& label, double y_max, auto value_of, auto validation_of) {
    out << "<text x=\"" << kLeft << "\" y=\"" << top - 6 << "\">" << label << "</text>\n";
    out << "<rect x=\"" << kLeft << "\" y=\"" << top << "\" width=\"" << plot_width << "\" height=\"" << kPanel
        << "\" fill=\"none\" stroke=\"#888\"/>\n";
    for (int tick = 0; tick <= 4; ++tick) {
      const double y = top + kPanel - kPanel * tick / 4.0;
      out << "<line x1=\"" << kLeft - 4 << "\" y1=\"" << y << "\" x2=\"" << kLeft + plot_width << "\" y2=\"" << y
          << "\" stroke=\"#eee\"/><text x=\"" << kLeft - 8 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
          << number(y_max * tick / 4.0) << "</text>\n";
    }
    for (int tick = 0; tick <= 5; ++tick) {
      const double epoch = epochs * tick / 5.0;
      out << "<text x=\"" << kLeft + plot_width * epoch / epochs << "\" y=\"" << top + kPanel + 16
          << "\" text-anchor=\"middle\">" << number(epoch) << "</text>\n";
    }
    auto series = [&](auto get, const char* colour, const char* dash, const char* name, double legend_y) {
      out << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\"" << dash << " points=\"";
      for (const CurveRow& row : rows) {
        out << kLeft + plot_width * row.epoch / epochs << "," << top + kPanel - kPanel * std::min(1.0, get(row) / y_max) << " ";
      }
      out << "\"/>\n<text x=\"" << kLeft + plot_width - 110 << "\" y=\"" << legend_y << "\" fill=\"" << colour << "\">"
          << name << "</text>\n";
    };
    series(value_of, "#1f77b4", "", "training", top + 16);
    if (validation) series(validation_of, "#d62728", " stroke-dasharray=\"5,3\"", "validation", top + 32);
  };
  panel(kTop + 10, "loss", max_loss, [](const CurveRow& r) { return static_cast<double>(r.loss); },
        [](const CurveRow& r) { return static_cast<double>(r.validation_loss); });
  panel(kTop + 10 + kPanel + kGap, "accuracy", 1.0, [](const CurveRow& r) { return static_cast<double>(r.accuracy); },
        [](const CurveRow& r) { return static_cast<double>(r.validation_accuracy); });
  out << "<text x=\"" << kLeft + plot_width / 2 << "\" y=\"" << kTop + 2 * kPanel + kGap + 36
      << "\" text-anchor=\"middle\">epoch</text>\n</svg>\n";
  if (!out) throw Error("cannot write '" + path + "'");
}

}  // namespace anne::host
