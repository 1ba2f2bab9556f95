#include "sim/workload/scalesim_topology.h"

#include <cctype>
#include <optional>
#include <sstream>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"
#include "sim/config/text_fields.h"
#include "sim/config/whole_number.h"

namespace pjsim {
namespace {

// More layers than any network needs; a depthwise row's channel count multiplies its layers.
constexpr std::int64_t kMaxLayers = 1 << 16;
constexpr std::int64_t kMaxValue = (std::int64_t{1} << 31) - 1;

struct Field {
  std::string text;
  int column = 0;  // 1-based column of the field's first character
};

// SCALE-Sim's own topologies mark rows with a trailing `#dw` after the last comma, a field its
// reader drops with the trailing one; here a `#` starts a comment to the end of the line.
std::vector<Field> SplitRow(const std::string& line) {
  const std::string row = line.substr(0, line.find('#'));
  std::vector<Field> fields;
  size_t start = 0;
  while (true) {
    const size_t comma = row.find(',', start);
    const std::string raw = row.substr(start, comma == std::string::npos ? comma : comma - start);
    const size_t a = raw.find_first_not_of(" \t\r");
    const size_t b = raw.find_last_not_of(" \t\r");
    Field f;
    f.column = static_cast<int>(start + (a == std::string::npos ? 0 : a)) + 1;
    if (a != std::string::npos) f.text = raw.substr(a, b - a + 1);
    fields.push_back(f);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  // SCALE-Sim's rows end with a comma (it drops the last field); an empty last field is that.
  if (fields.size() > 1 && fields.back().text.empty()) fields.pop_back();
  return fields;
}

class RowReader {
 public:
  RowReader(const std::string& path, int line, std::vector<Field> fields)
      : path_(path), line_(line), fields_(std::move(fields)) {}

  [[noreturn]] void Fail(size_t index, const std::string& message) const {
    const int column = index < fields_.size() ? fields_[index].column : 0;
    throw ConfigError({path_, line_, column}, message);
  }
  size_t size() const { return fields_.size(); }
  const std::string& Text(size_t i) const { return fields_[i].text; }

  std::int64_t Positive(size_t i, const char* what) const {
    const std::string& t = fields_[i].text;
    const std::optional<std::int64_t> parsed = ParseWholeNumber(t);
    if (!parsed) Fail(i, std::string(what) + ": expected a whole number, got '" + t + "'");
    const std::int64_t v = *parsed;
    if (v <= 0 || v > kMaxValue) {
      Fail(i, std::string(what) + " must be in [1, " + std::to_string(kMaxValue) + "], got " + t);
    }
    return v;
  }

 private:
  const std::string& path_;
  int line_;
  std::vector<Field> fields_;
};

std::int64_t Product(const RowReader& row, std::initializer_list<std::int64_t> factors,
                     const char* what) {
  std::int64_t p = 1;
  for (std::int64_t f : factors) {
    if (__builtin_mul_overflow(p, f, &p)) row.Fail(0, std::string(what) + " is too large");
  }
  return p;
}

bool IsGemmHeader(const std::vector<Field>& header) {
  return header.size() >= 4 && Lower(header[1].text) == "m" && Lower(header[2].text) == "n" &&
         Lower(header[3].text) == "k";
}

}  // namespace

std::int64_t ScaleSimOutputSize(std::int64_t in, std::int64_t filter, std::int64_t stride) {
  return (in - filter + stride + stride - 1) / stride;
}

std::vector<ScaleSimGemm> ReadScaleSimTopology(const std::string& path,
                                               ScaleSimTopologyFormat format) {
  std::istringstream in(ReadInputFile(path));
  std::string raw;
  int line = 0;
  std::vector<ScaleSimGemm> gemms;
  bool gemm_rows = format == ScaleSimTopologyFormat::kGemm;
  while (std::getline(in, raw)) {
    ++line;
    std::vector<Field> fields = SplitRow(raw);
    if (line == 1) {  // SCALE-Sim skips the first line, its header, whatever it holds
      if (format == ScaleSimTopologyFormat::kAuto) gemm_rows = IsGemmHeader(fields);
      continue;
    }
    if (fields.size() == 1 && fields[0].text.empty()) continue;  // blank line
    const RowReader row(path, line, std::move(fields));
    if (row.Text(0).empty()) row.Fail(0, "a row starts with its layer name, got an empty one");
    if (gemm_rows) {
      if (row.size() < 4) row.Fail(row.size() - 1, "a GEMM row is 'Layer, M, N, K,'");
      if (row.size() > 4) {
        row.Fail(4, "a GEMM row has 4 fields (Layer, M, N, K), this one " +
                        std::to_string(row.size()) +
                        " (SCALE-Sim's N:M sparsity column is not modelled; a convolution file "
                        "needs --topology-format conv or its own header)");
      }
      gemms.push_back(
          {row.Text(0), row.Positive(1, "M"), row.Positive(3, "K"), row.Positive(2, "N"), line});
    } else {
      if (row.size() < 8) {
        row.Fail(row.size() - 1,
                 "a convolution row is 'Layer name, IFMAP Height, IFMAP Width, Filter Height, "
                 "Filter Width, Channels, Num Filter, Strides,' (a GEMM file: its header "
                 "'Layer, M, N, K,' or --topology-format gemm)");
      }
      if (row.size() > 9) {
        row.Fail(9, "a convolution row has at most 9 fields (a stride per dimension), this one " +
                        std::to_string(row.size()));
      }
      const std::int64_t ifmap_h = row.Positive(1, "IFMAP Height");
      const std::int64_t ifmap_w = row.Positive(2, "IFMAP Width");
      const std::int64_t filter_h = row.Positive(3, "Filter Height");
      const std::int64_t filter_w = row.Positive(4, "Filter Width");
      const std::int64_t channels = row.Positive(5, "Channels");
      const std::int64_t filters = row.Positive(6, "Num Filter");
      const std::int64_t stride_h = row.Positive(7, "Strides");
      const std::int64_t stride_w = row.size() == 9 ? row.Positive(8, "Stride width") : stride_h;
      if (filter_h > ifmap_h) row.Fail(3, "Filter Height cannot be larger than IFMAP Height");
      if (filter_w > ifmap_w) row.Fail(4, "Filter Width cannot be larger than IFMAP Width");
      const std::int64_t pixels = Product(row,
                                          {ScaleSimOutputSize(ifmap_h, filter_h, stride_h),
                                           ScaleSimOutputSize(ifmap_w, filter_w, stride_w)},
                                          "the output");
      // SCALE-Sim runs a depthwise layer as one single-channel layer per channel.
      const bool depthwise = row.Text(0).find("DP") != std::string::npos;
      const std::int64_t window =
          Product(row, {filter_h, filter_w, depthwise ? 1 : channels}, "the filter window");
      if (depthwise) {
        if (static_cast<std::int64_t>(gemms.size()) + channels > kMaxLayers) {
          row.Fail(5, "a depthwise row makes one layer per channel: more than " +
                          std::to_string(kMaxLayers) + " layers in all");
        }
        for (std::int64_t c = 0; c < channels; ++c) {
          gemms.push_back(
              {row.Text(0) + "Channel_" + std::to_string(c), pixels, window, filters, line});
        }
      } else {
        gemms.push_back({row.Text(0), pixels, window, filters, line});
      }
    }
    if (static_cast<std::int64_t>(gemms.size()) > kMaxLayers) {
      row.Fail(0, "more than " + std::to_string(kMaxLayers) + " layers");
    }
  }
  if (line == 0) throw ConfigError({path, 0, 0}, "empty topology file (no header)");
  if (gemms.empty()) throw ConfigError({path, line, 0}, "no layer rows after the header");
  return gemms;
}

}  // namespace pjsim
