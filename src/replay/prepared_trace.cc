// Decoding a trace into a PreparedTrace (see prepared_trace.h), and its transfer to a
// replay child over a file descriptor.
#include "src/replay/prepared_trace.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "src/replay/pointer_table.h"
#include "src/replay/progress.h"
#include "src/replay/replay.h"
#include "src/replay/replay_result_json.h"
#include "src/trace/consistent_events.h"
#include "src/trace/fd_io.h"
#include "src/trace/live_objects.h"
#include "src/trace/trace_error.h"
#include "src/trace/trace_reader.h"

namespace goalloc::replay {
namespace {

void Write(int fd, const void* data, size_t n) {
  trace::WriteAll(fd, data, n, "writing prepared trace");
}
void Read(int fd, void* data, size_t n) {
  trace::ReadExactly(fd, data, n, "reading prepared trace");
}

template <class Vector>
void WriteVector(int fd, const Vector& v) {
  uint64_t n = v.size();
  Write(fd, &n, sizeof n);
  Write(fd, v.data(), n * sizeof(typename Vector::value_type));
}

template <class Vector>
void ReadVector(int fd, Vector& v) {
  uint64_t n = 0;
  Read(fd, &n, sizeof n);
  v.resize(n);
  Read(fd, v.data(), n * sizeof(typename Vector::value_type));
}

constexpr uint64_t kPreparedMagic = 0x3370657270616f67;  // "goaprep3"

// Warnings erase the progress line first.
trace::ConsistentEvents::Options ConsistencyOptions(const DecodeOptions& options) {
  return {.strict = options.strict,
          .before_warning = [progress = options.progress] { ClearProgressLine(progress); }};
}

}  // namespace

uint64_t PreparedTrace::OriginalIndex(uint64_t compact) const {
  // Skipped event j lies just before compact event skipped_[j] - j; the original index of
  // `compact` is `compact` plus the skipped events that lie before it.
  size_t lo = 0, hi = skipped_.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (skipped_[mid] - mid <= compact) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return compact + lo;
}

void PreparedTrace::WriteTo(int fd) const {
  nlohmann::json head = {{"summary", summary_},
                         {"decode_seconds", decode_seconds_},
                         {"slots", slots_},
                         {"peak_live_index", peak_live_index_}};
  // The trace's path need not be valid UTF-8: its bad bytes travel as U+FFFD.
  std::string text = head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  Write(fd, &kPreparedMagic, sizeof kPreparedMagic);
  uint64_t n = text.size();
  Write(fd, &n, sizeof n);
  Write(fd, text.data(), n);
  WriteVector(fd, events_);
  WriteVector(fd, tids_);
  WriteVector(fd, realloc_slots_);
  WriteVector(fd, begin_sizes_);
  WriteVector(fd, end_sizes_);
  WriteVector(fd, times_);
  WriteVector(fd, skipped_);
}

std::shared_ptr<const PreparedTrace> PreparedTrace::ReadFrom(int fd) {
  uint64_t magic = 0, n = 0;
  Read(fd, &magic, sizeof magic);
  if (magic != kPreparedMagic) throw std::runtime_error("not a prepared trace");
  Read(fd, &n, sizeof n);
  std::string text(n, '\0');
  Read(fd, text.data(), n);
  auto head = nlohmann::json::parse(text);
  auto t = std::make_shared<PreparedTrace>();
  head.at("summary").get_to(t->summary_);
  head.at("decode_seconds").get_to(t->decode_seconds_);
  head.at("slots").get_to(t->slots_);
  head.at("peak_live_index").get_to(t->peak_live_index_);
  ReadVector(fd, t->events_);
  ReadVector(fd, t->tids_);
  ReadVector(fd, t->realloc_slots_);
  ReadVector(fd, t->begin_sizes_);
  ReadVector(fd, t->end_sizes_);
  ReadVector(fd, t->times_);
  ReadVector(fd, t->skipped_);
  return t;
}

TraceBuilder::TraceBuilder(std::string path, std::string encoding)
    : trace_(std::make_shared<PreparedTrace>()) {
  trace_->summary_.path = std::move(path);
  trace_->summary_.encoding = std::move(encoding);
}

void TraceBuilder::AssignSlots() {
  // Slots are handed out in blocks of one page of the table per recorded thread, so that
  // replay threads working on their own objects never write the same cache line (see
  // PointerTable::kSlotsPerBlock). The slot of an object that one thread both began and
  // ended is that thread's again once the object has ended, for its next such object: the
  // table then holds about as many slots as the trace has live objects, instead of one per
  // object ever allocated, and an object's slot is often a recently used, cached one. In
  // parallel mode this is safe because every event on such a slot runs on one replay
  // thread, in order; a slot that two threads use is never reused (a thread waiting for a
  // new object there could find the old one's pointer).
  struct Slots {
    uint64_t next = 0, end = 0;   // unused slots [next, end) of the thread's current block
    std::vector<uint32_t> ended;  // its own objects' slots, free again (most recent last)
  };
  std::unordered_map<uint32_t, Slots> by_tid;
  std::vector<uint32_t> slot_of(ended_elsewhere_.size());  // by serial
  uint64_t slots = 0;
  uint32_t* realloc_new = trace_->realloc_slots_.data();
  const auto tids = trace_->tids_;
  Slots* mine = nullptr;
  for (uint64_t i = 0; i < trace_->events_.size(); ++i) {
    if (i == 0 || tids[i] != tids[i - 1]) mine = &by_tid[tids[i]];
    ReplayEvent& e = trace_->events_[i];
    const bool ends = EndsObject(e.op);
    if (ends) {
      const uint32_t serial = e.slot;
      e.slot = slot_of[serial];
      if (!ended_elsewhere_[serial]) mine->ended.push_back(e.slot);
    }
    if (!BeginsObject(e.op)) continue;
    uint32_t& serial = ends ? *realloc_new++ : e.slot;
    uint32_t slot;
    if (!ended_elsewhere_[serial] && !mine->ended.empty()) {
      slot = mine->ended.back();
      mine->ended.pop_back();
    } else {
      if (mine->next == mine->end) {
        mine->next = slots;
        mine->end = slots += PointerTable::kSlotsPerBlock;
        if (mine->end > std::numeric_limits<uint32_t>::max()) {
          throw trace::TraceError(trace_->summary_.path, trace_->OriginalIndex(i), "",
                                  "more than 2^32 objects live or shared between threads: too "
                                  "many to replay");
        }
      }
      slot = uint32_t(mine->next++);
    }
    slot_of[serial] = slot;
    serial = slot;
  }
  trace_->slots_ = slots;
}

void TraceBuilder::Add(const trace::Event& e, const trace::LiveObjects::Applied& a) {
  TraceSummary& s = trace_->summary_;
  const uint64_t index = s.events++;
  s.ops[size_t(e.op)]++;
  if (!any_tid_ || e.tid != last_tid_) {
    seen_tids_.insert(e.tid);
    any_tid_ = true;
    last_tid_ = e.tid;
  }
  if (!a.consistent) {
    trace_->skipped_.push_back(index);
    return;
  }
  // Objects are named by serial here; AssignSlots gives them their slots at the end.
  ReplayEvent r;
  r.op = e.op;
  r.scan = e.scan;
  if (a.ended_valid) {
    r.slot = uint32_t(a.ended.serial);
    trace_->end_sizes_.push_back(a.ended.size);
    if (a.ended.tid != e.tid) ended_elsewhere_[a.ended.serial] = true;
  }
  if (a.begun_valid) {
    if (a.begun.serial > std::numeric_limits<uint32_t>::max()) {
      throw trace::TraceError(s.path, index, "", "more than 2^32 objects: too many to replay");
    }
    ended_elsewhere_.push_back(false);  // serials are dense: this is a.begun.serial
    trace_->begin_sizes_.push_back(a.begun.size);
    if (a.ended_valid) {
      trace_->realloc_slots_.push_back(uint32_t(a.begun.serial));
    } else {
      r.slot = uint32_t(a.begun.serial);
    }
  }
  if (e.op == trace::Op::kAlignedAlloc) {
    if (!trace::IsValidAlign(e.align)) {
      throw trace::TraceError(s.path, index, "",
                              fmt::format("alignment {} is not a power of two", e.align));
    }
    r.align_shift = uint8_t(__builtin_ctzll(e.align));
  }
  const uint64_t compact = trace_->events_.size();
  if (compact > std::numeric_limits<uint32_t>::max()) {
    throw trace::TraceError(s.path, index, "", "more than 2^32 events: too many to replay");
  }
  trace_->events_.push_back(r);
  trace_->tids_.push_back(e.tid);
  if (e.t != trace::kNoTime && trace_->times_.empty()) {
    s.has_time = true;
    trace_->times_.assign(compact, trace::kNoTime);  // earlier events carried no `t`
  }
  if (s.has_time) trace_->times_.push_back(e.t);
  if (a.new_peak) trace_->peak_live_index_ = compact;
}

std::shared_ptr<const PreparedTrace> TraceBuilder::Finish(const trace::LiveObjects& live,
                                                          double decode_seconds) {
  TraceSummary& s = trace_->summary_;
  s.threads = uint32_t(seen_tids_.size());
  s.inconsistent = live.inconsistent();
  s.peak_live_bytes = live.peak_bytes();
  s.peak_live_objects = live.peak_objects();
  s.peak_live_event = live.peak_event();
  s.final_live_bytes = live.live_bytes();
  s.final_live_objects = live.live_objects();
  AssignSlots();
  trace_->decode_seconds_ = decode_seconds;
  trace_->events_.shrink_to_fit();
  trace_->tids_.shrink_to_fit();
  trace_->realloc_slots_.shrink_to_fit();
  trace_->begin_sizes_.shrink_to_fit();
  trace_->end_sizes_.shrink_to_fit();
  trace_->times_.shrink_to_fit();
  return std::move(trace_);
}

std::shared_ptr<const PreparedTrace> PrepareEvents(const std::string& name,
                                                   std::span<const trace::Event> events,
                                                   const DecodeOptions& options) {
  trace::ConsistentEvents consistent(name, ConsistencyOptions(options));
  TraceBuilder builder(name, "memory");
  for (const trace::Event& e : events) builder.Add(e, consistent.Apply(e));
  consistent.Finish();
  return builder.Finish(consistent.live(), 0);
}

std::shared_ptr<const PreparedTrace> DecodeTrace(const std::string& path,
                                                 const DecodeOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<trace::TraceReader> reader = trace::OpenTrace(path);
  trace::ConsistentEvents consistent(path, ConsistencyOptions(options));
  TraceBuilder builder(path, std::string(trace::EncodingName(reader->encoding())));
  ProgressLine progress(options.progress, "decoding");
  trace::ReadConsistentEvents(
      *reader, consistent,
      [&](const trace::Event& e, const trace::LiveObjects::Applied& a) { builder.Add(e, a); },
      [&] { progress.Update([&] { return fmt::format("{} events", builder.events_read()); }); });
  progress.Done();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return builder.Finish(consistent.live(), elapsed.count());
}

const TraceSummary& SummaryOf(const PreparedTrace& trace) { return trace.summary(); }
double DecodeSecondsOf(const PreparedTrace& trace) { return trace.decode_seconds(); }

}  // namespace goalloc::replay
