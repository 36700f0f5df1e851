// Generated event streams (see synthetic_traces.h).
#include "src/replay/synthetic_traces.h"

#include <random>

namespace goalloc::replay {
namespace {

using trace::Event;
using trace::Op;

// Small sizes mostly, now and then a large one, like real programs.
uint64_t DrawSize(std::mt19937_64& rng) {
  const uint64_t r = rng() % 100;
  if (r < 70) return rng() % 128;
  if (r < 95) return 128 + rng() % 4000;
  if (r < 99) return 4096 + rng() % 60000;
  return 64 * 1024 + rng() % (1 << 20);
}

}  // namespace

std::vector<Event> ProducerConsumerTrace(uint32_t threads, uint64_t objects, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Event> out;
  const uint64_t lag = 8;
  const uint32_t consumers = threads > 1 ? threads - 1 : 1;
  auto consume = [&](uint64_t i) {
    const uint32_t tid = threads > 1 ? 1 + uint32_t(i % consumers) : 0;
    const uint64_t id = 1 + i;
    if (i % 5 == 0) {  // grow it on the consumer, then free it there
      out.push_back(
          {.op = Op::kRealloc, .tid = tid, .id = id, .new_id = id, .size = 200 + i % 300});
    }
    out.push_back({.op = Op::kFree, .tid = tid, .id = id});
  };
  for (uint64_t i = 0; i < objects; ++i) {
    out.push_back({.op = i % 7 == 0 ? Op::kCalloc : Op::kMalloc,
                   .scan = i % 3 == 0,
                   .tid = 0,
                   .id = 1 + i,
                   .size = 8 + rng() % 256});
    if (i >= lag) consume(i - lag);
  }
  for (uint64_t i = objects > lag ? objects - lag : 0; i < objects; ++i) consume(i);
  return out;
}

std::vector<Event> ThreadLocalTrace(uint32_t threads, uint64_t events_per_thread, uint64_t window,
                                    uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Event> out;
  out.reserve(threads * events_per_thread);
  // Each thread: alternately allocate into slot k of its window and free what was there.
  std::vector<std::vector<uint64_t>> live(threads, std::vector<uint64_t>(window, 0));
  uint64_t next_id = 1;
  for (uint64_t step = 0; out.size() < threads * events_per_thread; ++step) {
    for (uint32_t t = 0; t < threads; ++t) {
      uint64_t& slot = live[t][rng() % window];
      if (slot != 0) {
        out.push_back({.op = Op::kFree, .tid = t, .id = slot});
        slot = 0;
      } else {
        slot = next_id++;
        out.push_back({.op = Op::kMalloc, .tid = t, .id = slot, .size = 16 + rng() % 240});
      }
    }
  }
  return out;
}

std::vector<Event> MixedTrace(uint32_t threads, uint64_t events, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Event> out;
  std::vector<uint64_t> live;  // ids
  uint64_t next_id = 1;
  while (out.size() < events) {
    const uint32_t tid = uint32_t(rng() % threads);
    const uint64_t r = rng() % 100;
    if (live.empty() || r < 45) {
      Event e{.scan = rng() % 2 == 0, .tid = tid, .id = next_id++, .size = DrawSize(rng)};
      const uint64_t kind = rng() % 10;
      if (kind == 0) {
        e.op = Op::kCalloc;
      } else if (kind == 1) {
        e.op = Op::kAlignedAlloc;
        e.align = uint64_t{1} << (3 + rng() % 10);  // 8 .. 4096
      }
      live.push_back(e.id);
      out.push_back(e);
    } else {
      const size_t k = rng() % live.size();
      if (r < 55) {
        const uint64_t new_id = rng() % 2 == 0 ? live[k] : next_id++;
        out.push_back({.op = Op::kRealloc,
                       .tid = tid,
                       .id = live[k],
                       .new_id = new_id,
                       .size = DrawSize(rng)});
        live[k] = new_id;
      } else {
        out.push_back({.op = Op::kFree, .tid = tid, .id = live[k]});
        live[k] = live.back();
        live.pop_back();
      }
    }
  }
  return out;
}

}  // namespace goalloc::replay
