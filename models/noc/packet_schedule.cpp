#include "models/noc/packet_schedule.h"

#include <limits>
#include <stdexcept>

namespace pjsim {

void XyPath(std::int64_t width, std::int64_t from_x, std::int64_t from_y, std::int64_t to_x,
            std::int64_t to_y, int first, int last, std::vector<int>& path) {
  enum { kEast = 0, kWest = 1, kNorth = 2, kSouth = 3 };
  path.clear();
  path.push_back(first);
  std::int64_t x = from_x, y = from_y;
  while (x != to_x) {
    path.push_back(static_cast<int>((y * width + x) * 4 + (to_x > x ? kEast : kWest)));
    x += to_x > x ? 1 : -1;
  }
  while (y != to_y) {
    path.push_back(static_cast<int>((y * width + x) * 4 + (to_y > y ? kSouth : kNorth)));
    y += to_y > y ? 1 : -1;
  }
  path.push_back(last);
}

PacketSchedule::PacketSchedule(int resources, const PacketTiming& timing)
    : timing_(timing),
      calendars_(static_cast<size_t>(resources)),
      hop_of_(static_cast<size_t>(resources), -1) {}

std::int64_t PacketSchedule::FirstGap(int resource, std::int64_t from, std::int64_t cycles,
                                      size_t& slot) {
  Calendar& c = calendars_[static_cast<size_t>(resource)];
  size_t expired = 0;
  while (expired < c.size() && c[expired].end <= horizon_) ++expired;
  if (expired > 0) c.erase(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(expired));
  std::int64_t t = from;
  size_t i = 0;
  for (; i < c.size(); ++i) {
    if (c[i].end <= t) continue;
    if (c[i].begin >= t + cycles) break;
    t = c[i].end;
  }
  slot = i;
  return t;
}

std::int64_t PacketSchedule::FreeUntil(int resource, size_t slot) const {
  const Calendar& c = calendars_[static_cast<size_t>(resource)];
  return slot < c.size() ? c[slot].begin : std::numeric_limits<std::int64_t>::max();
}

void PacketSchedule::Book(int resource, size_t slot, std::int64_t begin, std::int64_t end) {
  Calendar& c = calendars_[static_cast<size_t>(resource)];
  // The gap lies between intervals slot - 1 (ended by `begin`) and slot (begins at `end` or
  // later); calendars do not keep touching intervals, so only those two can merge with it.
  const bool before = slot > 0 && c[slot - 1].end >= begin;
  const bool after = slot < c.size() && c[slot].begin <= end;
  if (before && after) {
    c[slot - 1].end = std::max(end, c[slot].end);
    c.erase(c.begin() + static_cast<std::ptrdiff_t>(slot));
  } else if (before) {
    c[slot - 1].end = std::max(c[slot - 1].end, end);
  } else if (after) {
    c[slot].begin = std::min(c[slot].begin, begin);
  } else {
    c.insert(c.begin() + static_cast<std::ptrdiff_t>(slot), {begin, end});
  }
}

std::int64_t PacketSchedule::BusyFrom(int resource, std::int64_t from) const {
  std::int64_t busy = 0;
  for (const Interval& i : calendars_[static_cast<size_t>(resource)]) {
    if (i.end > from) busy += i.end - std::max(i.begin, from);
  }
  return busy;
}

std::int64_t PacketSchedule::AddPath(const std::vector<int>& path, std::int64_t start,
                                     std::int64_t flits, std::int64_t source_done) {
  const std::int64_t t_r = timing_.router_latency, t_l = timing_.link_latency;
  int prev = -1;
  for (size_t k = 0; k < path.size(); ++k) {
    const int r = path[k];
    int& index = hop_of_[static_cast<size_t>(r)];
    if (index >= 0) {  // shared with an earlier path of the tree
      prev = index;
      continue;
    }
    // The head may cross at `earliest`; the resource is then held for the flits or until the
    // tail, paced by the source or the resource upstream, has passed.
    std::int64_t earliest = start, tail_ready = source_done + 1;
    if (prev >= 0) {
      // Injection port -> first router's switch: the router pipeline; switch -> switch: the
      // link, then the pipeline.
      const std::int64_t latency = k == 1 ? t_r : t_l + t_r;
      const PacketBooking& p = bookings_[static_cast<size_t>(prev)];
      earliest = p.begin + latency;
      tail_ready = p.end + latency;
    }
    size_t slot = 0;
    const std::int64_t head = FirstGap(r, earliest, std::max(flits, tail_ready - earliest), slot);
    index = static_cast<int>(hops_.size());
    hops_.push_back({prev, static_cast<int>(k)});
    slots_.push_back(slot);
    bookings_.push_back({r, head, std::max(head + flits, tail_ready)});
    prev = index;
  }
  // The tail crosses the last resource (the ejection port) one cycle before it is free, then
  // the ejection link.
  return bookings_[static_cast<size_t>(prev)].end - 1 + t_l;
}

void PacketSchedule::Commit(std::int64_t flits, std::int64_t packet_flits) {
  // Back-pressure, leaves to root: a train of V packets or more fills the V channels of each
  // buffer, which hold B * V of its flits; a resource then sends its tail no earlier than the
  // one downstream has sent all but those, plus the credit's return (the source sees its own
  // router's buffer a cycle later). A shorter train leaves VCs free for other traffic.
  const std::int64_t packets = (flits + packet_flits - 1) / packet_flits;
  if (packets >= timing_.virtual_channels) {
    const std::int64_t capacity =
        static_cast<std::int64_t>(timing_.buffer_flits) * timing_.virtual_channels;
    for (size_t i = hops_.size(); i-- > 0;) {
      if (hops_[i].parent < 0) continue;
      PacketBooking& p = bookings_[static_cast<size_t>(hops_[i].parent)];
      const std::int64_t credit = hops_[i].depth == 1 ? 1 : timing_.link_latency;
      // Held at most until the next train booked on it (it was booked before this one).
      const auto parent = static_cast<size_t>(hops_[i].parent);
      p.end = std::max(p.end, std::min(bookings_[i].end - capacity + credit,
                                       FreeUntil(p.resource, slots_[parent])));
    }
  }
  for (size_t i = 0; i < bookings_.size(); ++i) {
    const PacketBooking& b = bookings_[i];
    Book(b.resource, slots_[i], b.begin, b.end);
    hop_of_[static_cast<size_t>(b.resource)] = -1;
  }
}

std::int64_t PacketSchedule::Send(const std::vector<int>& path, std::int64_t start,
                                  std::int64_t flits, std::int64_t packet_flits,
                                  std::int64_t source_done) {
  if (path.size() < 2) throw std::logic_error("packet schedule: a path needs two resources");
  hops_.clear();
  bookings_.clear();
  slots_.clear();
  const std::int64_t arrival = AddPath(path, start, flits, source_done);
  Commit(flits, packet_flits);
  return arrival;
}

std::vector<std::int64_t> PacketSchedule::SendTree(const std::vector<std::vector<int>>& paths,
                                                   std::int64_t start, std::int64_t flits,
                                                   std::int64_t packet_flits,
                                                   std::int64_t source_done) {
  for (const std::vector<int>& path : paths) {
    if (path.size() < 2 || path.front() != paths.front().front()) {
      throw std::logic_error("packet schedule: tree paths need two resources and one source");
    }
  }
  hops_.clear();
  bookings_.clear();
  slots_.clear();
  std::vector<std::int64_t> arrivals;
  for (const std::vector<int>& path : paths) {
    arrivals.push_back(AddPath(path, start, flits, source_done));
  }
  Commit(flits, packet_flits);
  return arrivals;
}

}  // namespace pjsim
