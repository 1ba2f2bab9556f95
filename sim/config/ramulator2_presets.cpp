#include "sim/config/ramulator2_presets.h"

#include <array>
#include <cstddef>
#include <utility>

namespace pjsim::ramulator2 {
namespace {

const std::vector<std::string>& Ddr4Names() {
  static const std::vector<std::string> names = {
      "rate",  "nBL",   "nCL",  "nRCD",  "nRP",   "nRAS",  "nRC",
      "nWR",   "nRTP",  "nCWL", "nCCDS", "nCCDL", "nRRDS", "nRRDL",
      "nWTRS", "nWTRL", "nFAW", "nRFC",  "nREFI", "nCS",   "tCK_ps"};
  return names;
}

const std::vector<std::string>& Ddr5Names() {
  static const std::vector<std::string> names = {
      "rate",      "nBL",   "nCL",   "nRCD",   "nRP",      "nRAS",      "nRC",    "nWR",
      "nRTP",      "nCWL",  "nPPD",  "nCCDS",  "nCCDS_WR", "nCCDS_WTR", "nCCDL",  "nCCDL_WR",
      "nCCDL_WTR", "nRRDS", "nRRDL", "nFAW",   "nRFC1",    "nRFC2",     "nRFCsb", "nREFI",
      "nREFSBRD",  "nRFM1", "nRFM2", "nRFMsb", "nDRFMab",  "nDRFMsb",   "nCS",    "tCK_ps"};
  return names;
}

Timings Row(const std::vector<std::string>& names, const std::vector<std::int64_t>& values) {
  Timings t;
  for (size_t i = 0; i < names.size(); ++i) t[names[i]] = values[i];
  return t;
}

// name -> (density Mb, DQ, {channel, rank, bankgroup, bank, row, column}), as DDR4.cpp lists them.
const std::map<std::string, Organization, std::less<>>& Ddr4Organizations() {
  static const std::map<std::string, Organization, std::less<>> orgs = {
      {"DDR4_2Gb_x4", {2 << 10, 4, 1, 1, 4, 4, 1 << 15, 1 << 10}},
      {"DDR4_2Gb_x8", {2 << 10, 8, 1, 1, 4, 4, 1 << 14, 1 << 10}},
      {"DDR4_2Gb_x16", {2 << 10, 16, 1, 1, 2, 4, 1 << 14, 1 << 10}},
      {"DDR4_4Gb_x4", {4 << 10, 4, 1, 1, 4, 4, 1 << 16, 1 << 10}},
      {"DDR4_4Gb_x8", {4 << 10, 8, 1, 1, 4, 4, 1 << 15, 1 << 10}},
      {"DDR4_4Gb_x16", {4 << 10, 16, 1, 1, 2, 4, 1 << 15, 1 << 10}},
      {"DDR4_8Gb_x4", {8 << 10, 4, 1, 1, 4, 4, 1 << 17, 1 << 10}},
      {"DDR4_8Gb_x8", {8 << 10, 8, 1, 1, 4, 4, 1 << 16, 1 << 10}},
      {"DDR4_8Gb_x16", {8 << 10, 16, 1, 1, 2, 4, 1 << 16, 1 << 10}},
      {"DDR4_16Gb_x4", {16 << 10, 4, 1, 1, 4, 4, 1 << 18, 1 << 10}},
      {"DDR4_16Gb_x8", {16 << 10, 8, 1, 1, 4, 4, 1 << 17, 1 << 10}},
      {"DDR4_16Gb_x16", {16 << 10, 16, 1, 1, 2, 4, 1 << 17, 1 << 10}},
  };
  return orgs;
}

const std::map<std::string, Organization, std::less<>>& Ddr5Organizations() {
  static const std::map<std::string, Organization, std::less<>> orgs = {
      {"DDR5_8Gb_x4", {8 << 10, 4, 1, 1, 8, 2, 1 << 16, 1 << 11}},
      {"DDR5_8Gb_x8", {8 << 10, 8, 1, 1, 8, 2, 1 << 16, 1 << 10}},
      {"DDR5_8Gb_x16", {8 << 10, 16, 1, 1, 4, 2, 1 << 16, 1 << 10}},
      {"DDR5_16Gb_x4", {16 << 10, 4, 1, 1, 8, 4, 1 << 16, 1 << 11}},
      {"DDR5_16Gb_x8", {16 << 10, 8, 1, 1, 8, 4, 1 << 16, 1 << 10}},
      {"DDR5_16Gb_x16", {16 << 10, 16, 1, 1, 4, 4, 1 << 16, 1 << 10}},
      {"DDR5_32Gb_x4", {32 << 10, 4, 1, 1, 8, 4, 1 << 17, 1 << 11}},
      {"DDR5_32Gb_x8", {32 << 10, 8, 1, 1, 8, 4, 1 << 17, 1 << 10}},
      {"DDR5_32Gb_x16", {32 << 10, 16, 1, 1, 4, 4, 1 << 17, 1 << 10}},
  };
  return orgs;
}

// The speed bins of DDR4.cpp (JESD79-4C): -1 where Ramulator derives the value.
const std::map<std::string, Timings, std::less<>>& Ddr4Timings() {
  static const std::map<std::string, Timings, std::less<>> bins = [] {
    // rate nBL nCL nRCD nRP nRAS nRC nWR nRTP nCWL nCCDS nCCDL nRRDS nRRDL nWTRS nWTRL nFAW nRFC
    // nREFI nCS tCK_ps
    const std::vector<std::pair<const char*, std::vector<std::int64_t>>> rows = {
        {"DDR4_1600J",
         {1600, 4, 10, 10, 10, 28, 38, 12, 6, 9, 4, 5, -1, -1, 2, 6, -1, -1, -1, 2, 1250}},
        {"DDR4_1600K",
         {1600, 4, 11, 11, 11, 28, 39, 12, 6, 9, 4, 5, -1, -1, 2, 6, -1, -1, -1, 2, 1250}},
        {"DDR4_1600L",
         {1600, 4, 12, 12, 12, 28, 40, 12, 6, 9, 4, 5, -1, -1, 2, 6, -1, -1, -1, 2, 1250}},
        {"DDR4_1866L",
         {1866, 4, 12, 12, 12, 32, 44, 14, 7, 10, 4, 5, -1, -1, 3, 7, -1, -1, -1, 2, 1071}},
        {"DDR4_1866M",
         {1866, 4, 13, 13, 13, 32, 45, 14, 7, 10, 4, 5, -1, -1, 3, 7, -1, -1, -1, 2, 1071}},
        {"DDR4_1866N",
         {1866, 4, 14, 14, 14, 32, 46, 14, 7, 10, 4, 5, -1, -1, 3, 7, -1, -1, -1, 2, 1071}},
        {"DDR4_2133N",
         {2133, 4, 14, 14, 14, 36, 50, 16, 8, 11, 4, 6, -1, -1, 3, 8, -1, -1, -1, 2, 937}},
        {"DDR4_2133P",
         {2133, 4, 15, 15, 15, 36, 51, 16, 8, 11, 4, 6, -1, -1, 3, 8, -1, -1, -1, 2, 937}},
        {"DDR4_2133R",
         {2133, 4, 16, 16, 16, 36, 52, 16, 8, 11, 4, 6, -1, -1, 3, 8, -1, -1, -1, 2, 937}},
        {"DDR4_2400P",
         {2400, 4, 15, 15, 15, 39, 54, 18, 9, 12, 4, 6, -1, -1, 3, 9, -1, -1, -1, 2, 833}},
        {"DDR4_2400R",
         {2400, 4, 16, 16, 16, 39, 55, 18, 9, 12, 4, 6, -1, -1, 3, 9, -1, -1, -1, 2, 833}},
        {"DDR4_2400U",
         {2400, 4, 17, 17, 17, 39, 56, 18, 9, 12, 4, 6, -1, -1, 3, 9, -1, -1, -1, 2, 833}},
        {"DDR4_2400T",
         {2400, 4, 18, 18, 18, 39, 57, 18, 9, 12, 4, 6, -1, -1, 3, 9, -1, -1, -1, 2, 833}},
        {"DDR4_2666T",
         {2666, 4, 17, 17, 17, 43, 60, 20, 10, 14, 4, 7, -1, -1, 4, 10, -1, -1, -1, 2, 750}},
        {"DDR4_2666U",
         {2666, 4, 18, 18, 18, 43, 61, 20, 10, 14, 4, 7, -1, -1, 4, 10, -1, -1, -1, 2, 750}},
        {"DDR4_2666V",
         {2666, 4, 19, 19, 19, 43, 62, 20, 10, 14, 4, 7, -1, -1, 4, 10, -1, -1, -1, 2, 750}},
        {"DDR4_2666W",
         {2666, 4, 20, 20, 20, 43, 63, 20, 10, 14, 4, 7, -1, -1, 4, 10, -1, -1, -1, 2, 750}},
        {"DDR4_2933V",
         {2933, 4, 19, 19, 19, 47, 66, 22, 11, 16, 4, 8, -1, -1, 4, 11, -1, -1, -1, 2, 682}},
        {"DDR4_2933W",
         {2933, 4, 20, 20, 20, 47, 67, 22, 11, 16, 4, 8, -1, -1, 4, 11, -1, -1, -1, 2, 682}},
        {"DDR4_2933Y",
         {2933, 4, 21, 21, 21, 47, 68, 22, 11, 16, 4, 8, -1, -1, 4, 11, -1, -1, -1, 2, 682}},
        {"DDR4_2933AA",
         {2933, 4, 22, 22, 22, 47, 69, 22, 11, 16, 4, 8, -1, -1, 4, 11, -1, -1, -1, 2, 682}},
        {"DDR4_3200W",
         {3200, 4, 20, 20, 20, 52, 72, 24, 12, 16, 4, 8, -1, -1, 4, 12, -1, -1, -1, 2, 625}},
        {"DDR4_3200AA",
         {3200, 4, 22, 22, 22, 52, 74, 24, 12, 16, 4, 8, -1, -1, 4, 12, -1, -1, -1, 2, 625}},
        {"DDR4_3200AC",
         {3200, 4, 24, 24, 24, 52, 76, 24, 12, 16, 4, 8, -1, -1, 4, 12, -1, -1, -1, 2, 625}},
    };
    std::map<std::string, Timings, std::less<>> out;
    for (const auto& [name, values] : rows) out.emplace(name, Row(Ddr4Names(), values));
    return out;
  }();
  return bins;
}

// DDR5.cpp's bins (JESD79-5): nCCDS_WTR = nCWL + nBL + tWTR_S and nCCDL_WTR = nCWL + nBL +
// tWTR_L as Ramulator writes them; nREFSBRD 30.
const std::map<std::string, Timings, std::less<>>& Ddr5Timings() {
  static const std::map<std::string, Timings, std::less<>> bins = [] {
    const auto bin = [](std::int64_t cl, std::int64_t rc, std::int64_t cwl) {
      return Row(Ddr5Names(), {3200, 8,  cl,          cl, cl, 52,           rc, 48, 12, cwl, 2,
                               8,    8,  cwl + 8 + 4, 8,  16, cwl + 8 + 16, 8,  -1, -1, -1,  -1,
                               -1,   -1, 30,          -1, -1, -1,           -1, -1, 2,  625});
    };
    return std::map<std::string, Timings, std::less<>>{{"DDR5_3200AN", bin(24, 75, 22)},
                                                       {"DDR5_3200BN", bin(26, 77, 24)},
                                                       {"DDR5_3200C", bin(28, 79, 26)}};
  }();
  return bins;
}

int DqIndex(std::int64_t dq) { return dq == 4 ? 0 : dq == 8 ? 1 : dq == 16 ? 2 : -1; }

void DeriveDdr4(std::int64_t dq, std::int64_t density_mb, Timings& t) {
  static constexpr std::array<std::int64_t, 7> kRates = {1600, 1866, 2133, 2400, 2666, 2933, 3200};
  // JESD79-4C Tables 169-170 by DQ (x4, x8, x16) and rate.
  static constexpr std::int64_t kRrds[3][7] = {
      {4, 4, 4, 4, 4, 4, 4}, {4, 4, 4, 4, 4, 4, 4}, {5, 5, 6, 7, 8, 8, 9}};
  static constexpr std::int64_t kRrdl[3][7] = {
      {5, 5, 6, 6, 7, 8, 8}, {5, 5, 6, 6, 7, 8, 8}, {6, 6, 7, 8, 9, 10, 11}};
  static constexpr std::int64_t kFaw[3][7] = {
      {16, 16, 16, 16, 16, 16, 16}, {20, 22, 23, 26, 28, 31, 34}, {28, 28, 32, 36, 40, 44, 48}};
  int rate = -1;
  for (size_t i = 0; i < kRates.size(); ++i) {
    if (kRates[i] == t["rate"]) rate = static_cast<int>(i);
  }
  const int d = DqIndex(dq);
  if (d >= 0 && rate >= 0) {
    t["nRRDS"] = kRrds[d][rate];
    t["nRRDL"] = kRrdl[d][rate];
    t["nFAW"] = kFaw[d][rate];
  }
  // tRFC1 in ns by density (2, 4, 8, 16 Gb) as DDR4.cpp lists it; tREFI 7.8 us.
  static constexpr std::array<std::pair<std::int64_t, float>, 4> kRfc = {
      {{2048, 160.f}, {4096, 260.f}, {8192, 360.f}, {16384, 550.f}}};
  for (const auto& [mb, ns] : kRfc) {
    if (mb == density_mb) t["nRFC"] = JedecRounding(Standard::kDdr4, ns, t["tCK_ps"]);
  }
  t["nREFI"] = JedecRounding(Standard::kDdr4, 7800.f, t["tCK_ps"]);
}

void DeriveDdr5(std::int64_t dq, std::int64_t density_mb, std::int64_t brc, Timings& t) {
  const int d = DqIndex(dq);
  const std::int64_t tck = t["tCK_ps"];
  if (d >= 0 && t["rate"] == 3200) {
    static constexpr std::int64_t kFaw[3] = {40, 32, 32};
    t["nRRDL"] = 5;
    t["nFAW"] = kFaw[d];
    if (d == 0) t["nCCDL_WR"] = 32;  // x4: write-to-write with read-modify-write
  }
  // tRFC1, tRFC2, tRFCsb in ns by density (8, 16, 32 Gb); tREFI 3.9 us.
  struct Refresh {
    std::int64_t mb;
    float rfc1, rfc2, rfcsb;
  };
  static constexpr std::array<Refresh, 3> kRefresh = {
      {{8192, 195.f, 130.f, 115.f}, {16384, 295.f, 160.f, 130.f}, {32768, 410.f, 220.f, 190.f}}};
  for (const Refresh& r : kRefresh) {
    if (r.mb != density_mb) continue;
    t["nRFC1"] = JedecRounding(Standard::kDdr5, r.rfc1, tck);
    t["nRFC2"] = JedecRounding(Standard::kDdr5, r.rfc2, tck);
    t["nRFCsb"] = JedecRounding(Standard::kDdr5, r.rfcsb, tck);
    t["nRFM1"] = t["nRFC1"];
    t["nRFM2"] = t["nRFC2"];
    t["nRFMsb"] = t["nRFCsb"];
    // tRRFab 70 ns, tRRFsb 60 ns, times the bounded refresh configuration.
    t["nDRFMab"] = brc * JedecRounding(Standard::kDdr5, 70.f, tck);
    t["nDRFMsb"] = brc * JedecRounding(Standard::kDdr5, 60.f, tck);
  }
  t["nREFI"] = JedecRounding(Standard::kDdr5, 3900.f, tck);
}

template <typename Table>
std::vector<std::string> NamesOf(const Table& table) {
  std::vector<std::string> names;
  for (const auto& [name, value] : table) names.push_back(name);
  return names;
}

}  // namespace

const std::vector<std::string>& TimingNames(Standard s) {
  return s == Standard::kDdr4 ? Ddr4Names() : Ddr5Names();
}

const Organization* FindOrganization(Standard s, std::string_view name) {
  const auto& table = s == Standard::kDdr4 ? Ddr4Organizations() : Ddr5Organizations();
  const auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

const Timings* FindTimingPreset(Standard s, std::string_view name) {
  const auto& table = s == Standard::kDdr4 ? Ddr4Timings() : Ddr5Timings();
  const auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

std::vector<std::string> OrganizationNames(Standard s) {
  return NamesOf(s == Standard::kDdr4 ? Ddr4Organizations() : Ddr5Organizations());
}

std::vector<std::string> TimingPresetNames(Standard s) {
  return NamesOf(s == Standard::kDdr4 ? Ddr4Timings() : Ddr5Timings());
}

std::int64_t ClockPeriodPs(std::int64_t rate) {
  // Ramulator: `int tCK_ps = 1E6 / (rate / 2)`, an int rate halved before the double division.
  return static_cast<std::int64_t>(1e6 / static_cast<double>(rate / 2));
}

std::int64_t JedecRounding(Standard s, float t_ns, std::int64_t tck_ps) {
  // utils.cpp: `uint64_t t_ps = t_ns * 1000;` in float, then integer arithmetic.
  const auto t_ps = static_cast<std::uint64_t>(t_ns * 1000.f);
  const auto tck = static_cast<std::uint64_t>(tck_ps);
  if (s == Standard::kDdr4) return static_cast<std::int64_t>((t_ps * 1000 / tck + 974) / 1000);
  return static_cast<std::int64_t>((t_ps * 997 / tck + 1000) / 1000);
}

void DeriveTimings(Standard s, std::int64_t dq, std::int64_t density_mb, std::int64_t brc,
                   Timings& t) {
  if (s == Standard::kDdr4) {
    DeriveDdr4(dq, density_mb, t);
  } else {
    DeriveDdr5(dq, density_mb, brc, t);
  }
}

}  // namespace pjsim::ramulator2
