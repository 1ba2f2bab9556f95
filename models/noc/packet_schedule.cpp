#include "models/noc/packet_schedule.h"

#include <limits>
#include <stdexcept>

namespace pjsim {

std::vector<int> XyPath(std::int64_t width, std::int64_t from_x, std::int64_t from_y,
                        std::int64_t to_x, std::int64_t to_y, int first, int last) {
  enum { kEast = 0, kWest = 1, kNorth = 2, kSouth = 3 };
  std::vector<int> path = {first};
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
  return path;
}

PacketSchedule::PacketSchedule(int resources, const PacketTiming& timing)
    : timing_(timing), calendars_(static_cast<size_t>(resources)) {}

std::int64_t PacketSchedule::FirstGap(int resource, std::int64_t from, std::int64_t cycles) {
  Calendar& c = calendars_[static_cast<size_t>(resource)];
  while (!c.empty() && c.begin()->second <= horizon_) c.erase(c.begin());
  std::int64_t t = from;
  auto it = c.upper_bound(t);
  if (it != c.begin() && std::prev(it)->second > t) t = std::prev(it)->second;
  for (; it != c.end() && it->first < t + cycles; ++it) t = std::max(t, it->second);
  return t;
}

std::int64_t PacketSchedule::FreeUntil(int resource, std::int64_t from) const {
  const Calendar& c = calendars_[static_cast<size_t>(resource)];
  auto it = c.upper_bound(from);
  return it == c.end() ? std::numeric_limits<std::int64_t>::max() : it->first;
}

void PacketSchedule::Book(int resource, std::int64_t begin, std::int64_t end) {
  Calendar& c = calendars_[static_cast<size_t>(resource)];
  auto it = c.upper_bound(begin);
  if (it != c.begin() && std::prev(it)->second >= begin) {
    --it;
    begin = it->first;
    end = std::max(end, it->second);
    it = c.erase(it);
  }
  while (it != c.end() && it->first <= end) {
    end = std::max(end, it->second);
    it = c.erase(it);
  }
  c.emplace(begin, end);
}

std::int64_t PacketSchedule::BusyFrom(int resource, std::int64_t from) const {
  std::int64_t busy = 0;
  for (const auto& [begin, end] : calendars_[static_cast<size_t>(resource)]) {
    if (end > from) busy += end - std::max(begin, from);
  }
  return busy;
}

std::int64_t PacketSchedule::Send(const std::vector<int>& path, std::int64_t start,
                                  std::int64_t flits, std::int64_t packet_flits,
                                  std::int64_t source_done, std::vector<PacketBooking>* bookings) {
  return SendTree({path}, start, flits, packet_flits, source_done, bookings).front();
}

std::vector<std::int64_t> PacketSchedule::SendTree(const std::vector<std::vector<int>>& paths,
                                                   std::int64_t start, std::int64_t flits,
                                                   std::int64_t packet_flits,
                                                   std::int64_t source_done,
                                                   std::vector<PacketBooking>* bookings) {
  struct Hop {
    int resource;
    int parent;  // index into hops, -1 for the injection port
    int depth;   // position on the path
    std::int64_t head;
    std::int64_t end;
  };
  const std::int64_t t_r = timing_.router_latency, t_l = timing_.link_latency;
  std::vector<Hop> hops;
  std::map<int, int> hop_of;  // resource -> index into hops
  std::vector<std::int64_t> arrivals;
  for (const std::vector<int>& path : paths) {
    if (path.size() < 2) throw std::logic_error("packet schedule: a path needs two resources");
    int prev = -1;
    for (size_t k = 0; k < path.size(); ++k) {
      const int r = path[k];
      auto [it, added] = hop_of.try_emplace(r, static_cast<int>(hops.size()));
      if (!added) {
        prev = it->second;
        continue;
      }
      // The head may cross at `earliest`; the resource is then held for the flits or until the
      // tail, paced by the source or the resource upstream, has passed.
      std::int64_t earliest = start, tail_ready = source_done + 1;
      if (prev >= 0) {
        // Injection port -> first router's switch: the router pipeline; switch -> switch: the
        // link, then the pipeline.
        const std::int64_t latency = k == 1 ? t_r : t_l + t_r;
        const Hop& p = hops[static_cast<size_t>(prev)];
        earliest = p.head + latency;
        tail_ready = p.end + latency;
      }
      const std::int64_t head =
          FirstGap(r, earliest, std::max(flits, tail_ready - earliest));
      hops.push_back({r, prev, static_cast<int>(k), head, std::max(head + flits, tail_ready)});
      prev = it->second;
    }
    // The tail crosses the last resource (the ejection port) one cycle before it is free, then
    // the ejection link.
    arrivals.push_back(hops[static_cast<size_t>(prev)].end - 1 + t_l);
  }
  // Back-pressure, leaves to root: a train of V packets or more fills the V channels of each
  // buffer, which hold B * V of its flits; a resource then sends its tail no earlier than the
  // one downstream has sent all but those, plus the credit's return (the source sees its own
  // router's buffer a cycle later). A shorter train leaves VCs free for other traffic.
  const std::int64_t packets = (flits + packet_flits - 1) / packet_flits;
  if (packets >= timing_.virtual_channels) {
    const std::int64_t capacity =
        static_cast<std::int64_t>(timing_.buffer_flits) * timing_.virtual_channels;
    for (size_t i = hops.size(); i-- > 0;) {
      const Hop& h = hops[i];
      if (h.parent < 0) continue;
      Hop& p = hops[static_cast<size_t>(h.parent)];
      const std::int64_t credit = h.depth == 1 ? 1 : t_l;
      // Held at most until the next train booked on it (it was booked before this one).
      p.end = std::max(p.end, std::min(h.end - capacity + credit, FreeUntil(p.resource, p.head)));
    }
  }
  for (const Hop& h : hops) {
    Book(h.resource, h.head, h.end);
    if (bookings) bookings->push_back({h.resource, h.head, h.end});
  }
  return arrivals;
}

}  // namespace pjsim
