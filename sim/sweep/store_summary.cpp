#include "sim/sweep/store_summary.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/sweep/pareto.h"

namespace pjsim::sweep {
namespace {

std::string Short(const std::optional<double>& v) {
  if (!v) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", *v);
  return buf;
}

std::string Heading(const StoreTable& t, const std::string& column) {
  const std::string unit = t.Unit(column);
  return unit.empty() ? column : column + " [" + unit + "]";
}

// Renders rows under a header: aligned columns (numbers right-aligned) or a Markdown table.
std::string Render(const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& rows, bool markdown) {
  std::ostringstream out;
  if (markdown) {
    const auto line = [&out](const std::vector<std::string>& cells) {
      out << "|";
      for (const auto& c : cells) {
        std::string escaped;
        for (const char ch : c) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
        out << " " << escaped << " |";
      }
      out << "\n";
    };
    line(header);
    out << "|";
    for (size_t i = 0; i < header.size(); ++i) out << " --- |";
    out << "\n";
    for (const auto& r : rows) line(r);
    return out.str();
  }
  std::vector<size_t> width(header.size());
  std::vector<bool> numeric(header.size(), true);
  for (size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& r : rows) {
      width[c] = std::max(width[c], r[c].size());
      if (!r[c].empty() && r[c].find_first_not_of("0123456789.e+-") != std::string::npos) {
        numeric[c] = false;
      }
    }
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string text = " ";
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(width[c] - cells[c].size(), ' ');
      text += " " + (numeric[c] ? pad + cells[c] : cells[c] + pad) + " ";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
  return out.str();
}

}  // namespace

std::string StoreSummary(const StoreTable& t, const SummaryOptions& o) {
  const int metric = t.Column(o.metric);
  if (metric < 0) {
    const std::string guess = DidYouMean(o.metric, t.header);
    throw ConfigError({"<command line>", 0, 0},
                      "--metric '" + o.metric + "' is not a column of " + t.dir + "/results.csv" +
                          (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
  }
  const int status = t.Column("status");
  const int point = t.Column("point");
  const int error = t.Column("error");
  const int energy = t.Column(kEnergyColumn);
  const int latency = t.Column(kLatencyColumn);
  std::map<std::string, size_t> counts;
  std::vector<size_t> ok;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    ++counts[t.Cell(r, status)];
    if (t.Cell(r, status) == "ok") ok.push_back(r);
  }

  std::ostringstream out;
  const std::string h2 = o.markdown ? "## " : "";
  const std::string h3 = o.markdown ? "### " : "";
  const size_t total = std::max(t.expected_points, t.rows.size());
  out << h2 << "Sweep '" << t.name << "' (" << t.dir << "): " << total
      << " points: " << counts["ok"] << " ok, " << counts["failed"] << " failed, "
      << counts["timeout"] << " timed out, " << counts["skipped"] << " skipped";
  if (t.rows.size() < total) {
    out << ", " << total - t.rows.size() << " not run yet (pjsim sweep --resume)";
  }
  out << "\n\n";

  // Every table shows the point, its axis values, the chosen metric, energy and latency.
  std::vector<int> columns = {point};
  for (const auto& key : t.axis_keys) columns.push_back(t.Column(key));
  for (const int c : {metric, energy, latency}) {
    if (c >= 0 && std::find(columns.begin(), columns.end(), c) == columns.end()) {
      columns.push_back(c);
    }
  }
  std::vector<std::string> header;
  for (const int c : columns) header.push_back(Heading(t, t.header[static_cast<size_t>(c)]));
  const auto row_of = [&](size_t r, const std::string& rank) {
    std::vector<std::string> cells;
    if (!rank.empty()) cells.push_back(rank);
    for (const int c : columns) {
      const auto n = t.Number(r, c);
      const bool axis = std::find(t.axis_keys.begin(), t.axis_keys.end(),
                                  t.header[static_cast<size_t>(c)]) != t.axis_keys.end();
      cells.push_back(n && !axis && c != point ? Short(n) : t.Cell(r, c));
    }
    return cells;
  };

  std::vector<size_t> ranked;
  for (const size_t r : ok) {
    if (t.Number(r, metric)) ranked.push_back(r);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [&](size_t a, size_t b) {
    const double x = *t.Number(a, metric), y = *t.Number(b, metric);
    return o.maximize ? x > y : x < y;
  });
  const size_t shown = std::min(o.top, ranked.size());
  out << h3 << "Top " << shown << " by " << Heading(t, o.metric) << ", "
      << (o.maximize ? "highest" : "lowest") << " first\n\n";
  std::vector<std::vector<std::string>> top_rows;
  for (size_t i = 0; i < shown; ++i) top_rows.push_back(row_of(ranked[i], std::to_string(i + 1)));
  std::vector<std::string> top_header = {"rank"};
  top_header.insert(top_header.end(), header.begin(), header.end());
  out << (top_rows.empty() ? std::string("(no ok point has this metric)\n")
                           : Render(top_header, top_rows, o.markdown))
      << "\n";

  if (energy >= 0 && latency >= 0) {
    std::vector<size_t> candidates;
    std::vector<std::pair<double, double>> coords;
    for (const size_t r : ok) {
      const auto e = t.Number(r, energy), s = t.Number(r, latency);
      if (!e || !s) continue;
      candidates.push_back(r);
      coords.emplace_back(*s, *e);
    }
    const std::vector<size_t> front = ParetoFront(coords);
    out << h3 << "Pareto set over energy (" << kEnergyColumn << ") and latency (" << kLatencyColumn
        << "): " << front.size() << " of " << candidates.size() << " ok points, fastest first\n\n";
    std::vector<std::vector<std::string>> pareto_rows;
    for (const size_t i : front) pareto_rows.push_back(row_of(candidates[i], ""));
    if (!pareto_rows.empty()) out << Render(header, pareto_rows, o.markdown) << "\n";
  }

  std::vector<std::vector<std::string>> failed_rows;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const std::string& s = t.Cell(r, status);
    if (s != "failed" && s != "timeout") continue;
    std::string label;
    for (const auto& key : t.axis_keys) {
      label += (label.empty() ? "" : " ") + key + "=" + t.Cell(r, t.Column(key));
    }
    failed_rows.push_back({t.Cell(r, point), s, label, t.Cell(r, error)});
  }
  if (!failed_rows.empty()) {
    out << h3 << "Failed points: " << failed_rows.size() << "\n\n"
        << Render({"point", "status", "axes", "error"}, failed_rows, o.markdown) << "\n";
  }
  std::string text = out.str();
  while (text.size() >= 2 && text[text.size() - 1] == '\n' && text[text.size() - 2] == '\n') {
    text.pop_back();
  }
  return text;
}

}  // namespace pjsim::sweep
