// mheap: span allocation and freeing, mcache registry, scavenger trigger, totals.
#include "src/alloc/mheap.h"

#include <algorithm>
#include <new>

#include "src/alloc/os_mem.h"
#include "src/alloc/scavenger.h"

namespace goalloc::alloc {

namespace {

// The arrays by span class of each mcache (alloc, counters) and of MHeap::retired_ have room
// for the largest table; like Go's, the metadata holds only this table's span classes.
size_t UnusedSpanClasses(const SizeClassTable& classes) {
  return size_t(kMaxSpanClasses - classes.num_span_classes());
}
size_t FixedMetadata(const SizeClassTable& classes) {
  return sizeof(MHeap) - UnusedSpanClasses(classes) * sizeof(ClassCounters) +
         size_t(classes.num_span_classes()) * sizeof(MCentral);
}
size_t MCacheMetadata(const SizeClassTable& classes) {
  return sizeof(MCache) - UnusedSpanClasses(classes) * (sizeof(MSpan*) + sizeof(ClassCounters));
}

}  // namespace

MHeap::MHeap(const HeapConfig& config)
    : config_(config),
      classes_(config.size_classes ? *config.size_classes : SizeClassTable::Go()),
      central_(std::make_unique<MCentral[]>(size_t(classes_.num_span_classes()))),
      cycle_end_(CycleBudget(config, 0)) {
  for (int sc = 0; sc < classes_.num_span_classes(); sc++) central_[sc].Init(SpanClass(sc), this);
  metadata_ = MetadataBytes();  // the fixed part: nothing is mapped yet
  footprint_.store(metadata_, std::memory_order_relaxed);
  if (config.gc.enabled) gc_ = std::make_unique<Collector>(this, config.gc);
}

MHeap::~MHeap() {
  for (MCache* c : caches_) delete c;
}

// FixAlloc memory is zeroed already: default-initialise, no second clearing pass.
MSpan* MHeap::NewSpanStruct() {
  void* p = span_alloc_.Alloc();
  return p == nullptr ? nullptr : new (p) MSpan;
}

MSpan* MHeap::AllocSpan(MCache* c, uintptr_t npages, SpanClass sc, uintptr_t align_pages) {
  if (gc_ != nullptr && c != nullptr) gc_->Reclaim(c, npages);  // mheap.alloc's reclaim
  SpanParts p;
  const bool use_pcache = c != nullptr && npages < kPageCachePages / 4 && align_pages == 1;
  if (use_pcache && !c->pcache.empty()) p.base = c->pcache.Alloc(npages, &p.scav);
  if (c != nullptr && c->span_cache_n > 0) p.s = c->span_cache[--c->span_cache_n];
  if (p.base == 0 || p.s == nullptr || sc == kTinySpanClass) {
    MutexLock l(lock_);
    const bool ok = AllocSpanLocked(c, npages, sc, align_pages, use_pcache, &p);
    NoteMetadata();
    if (!ok) return nullptr;
  }
  MSpan* s = p.s;
  s->Init(p.base, npages, sc, classes_.info(sc));
  s->tiny_counts = p.counts;
  index_.SetSpans(p.base, npages, s);
  uintptr_t bytes = npages * kPageSize;
  CountGrowth(p.grown, p.scav);
  const uint64_t inuse = inuse_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  spans_in_use_.fetch_add(1, std::memory_order_relaxed);
  if (gc_ != nullptr) gc_->OnHeapGrowth(inuse);
  MaybeScavenge(bytes);
  return s;
}

bool MHeap::AllocSpanLocked(MCache* c, uintptr_t npages, SpanClass sc, uintptr_t align_pages,
                            bool use_pcache, SpanParts* p) {
  if (p->base == 0 && use_pcache && c->pcache.empty()) {
    c->pcache = pages_.AllocToCache(&p->grown);
    p->base = c->pcache.Alloc(npages, &p->scav);
  }
  if (p->s == nullptr) {
    p->s = NewSpanStruct();
    if (c != nullptr && p->s != nullptr) {  // refill the P's mspan cache while we hold the lock
      while (c->span_cache_n < MCache::kSpanCacheMax / 2) {
        MSpan* spare = NewSpanStruct();
        if (spare == nullptr) break;
        c->span_cache[c->span_cache_n++] = spare;
      }
    }
  }
  if (p->base == 0 && p->s != nullptr) {
    p->base = pages_.Alloc(npages, align_pages, &p->scav, &p->grown);
  }
  if (sc == kTinySpanClass && p->base != 0) {
    p->counts = static_cast<std::atomic<int8_t>*>(tiny_counts_alloc_.Alloc());
  }
  if (p->s == nullptr || p->base == 0 || (sc == kTinySpanClass && p->counts == nullptr)) {
    FailSpan(*p, npages);
    return false;
  }
  return true;
}

void MHeap::CountGrowth(uintptr_t grown, uintptr_t scav_pages) {
  // Usually nothing grew and nothing was scavenged: skip those read-modify-writes.
  if (grown != 0) sys_.fetch_add(grown, std::memory_order_relaxed);
  if (grown != scav_pages * kPageSize) {
    released_.fetch_add(grown - scav_pages * kPageSize, std::memory_order_relaxed);
  }
  // sys − released grows by the scavenged pages reused (fresh growth counts as released).
  if (scav_pages != 0) footprint_.fetch_add(scav_pages * kPageSize, std::memory_order_relaxed);
}

void MHeap::NoteMetadata() {
  const uint64_t metadata = MetadataBytes();
  if (metadata == metadata_) return;
  footprint_.fetch_add(metadata - metadata_, std::memory_order_relaxed);  // modulo 2^64
  metadata_ = metadata;
}

void MHeap::FailSpan(const SpanParts& p, uintptr_t npages) {
  failure_ = p.s == nullptr || p.base != 0 ? "cannot map span metadata" : pages_.failure();
  if (p.s != nullptr) {
    p.s->~MSpan();
    span_alloc_.Free(p.s);
  }
  // Pages taken before a metadata failure go back free, no longer counted as scavenged.
  if (p.base != 0) pages_.Free(p.base, npages);
  CountGrowth(p.grown, p.scav);  // growth done before the failure stays
}

void MHeap::FreeSpan(MSpan* s) {
  MutexLock l(lock_);
  index_.SetSpans(s->base, s->npages, nullptr);
  pages_.Free(s->base, s->npages);
  if (s->tiny_counts != nullptr) tiny_counts_alloc_.Free(s->tiny_counts);
  inuse_.fetch_sub(s->npages * kPageSize, std::memory_order_relaxed);
  spans_in_use_.fetch_sub(1, std::memory_order_relaxed);
  s->in_use = false;
  s->~MSpan();
  span_alloc_.Free(s);
}

void MHeap::MaybeScavenge(uintptr_t bytes) {
  if (!config_.scavenger_enabled || gc_ != nullptr) return;  // GC mode paces its own
  const uint64_t volume = alloc_volume_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (volume < cycle_end_.load(std::memory_order_relaxed)) return;
  uint64_t goal_pages;
  {
    MutexLock l(lock_);
    if (volume < cycle_end_.load(std::memory_order_relaxed)) return;  // another P ended it
    const uint64_t inuse = inuse_.load(std::memory_order_relaxed);
    cycle_end_.store(volume + CycleBudget(config_, inuse), std::memory_order_relaxed);
    const uint64_t retained =
        sys_.load(std::memory_order_relaxed) - released_.load(std::memory_order_relaxed);
    goal_pages = (ScavengeGoal(config_, inuse, retained) + kPageSize - 1) / kPageSize;
  }
  ReleasePages(goal_pages);
  // The scavenger ran within the ending cycle, where a chunk that was dense when the cycle
  // began is spared (Go's background scavenger works during the cycle).
  MutexLock l(lock_);
  pages_.NextGeneration();
}

uint64_t MHeap::ReleasePages(uint64_t goal_pages) {
  {
    MutexLock l(lock_);
    scavenger_runs_++;
  }
  uint64_t released = 0;
  uintptr_t cursor = ~uintptr_t{0};
  while (goal_pages > 0) {
    std::pair<uintptr_t, uint32_t> run;
    {
      MutexLock l(lock_);
      run = pages_.TakeScavengeRun(&cursor, uint32_t(std::min<uint64_t>(goal_pages, 64)));
    }
    if (run.second == 0) break;
    SysUnused(run.first, run.second * kPageSize);  // outside the lock, like Go's sysUnused
    MutexLock l(lock_);
    pages_.ReturnScavenged(run.first, run.second);
    released_.fetch_add(run.second * kPageSize, std::memory_order_relaxed);
    footprint_.fetch_sub(run.second * kPageSize, std::memory_order_relaxed);
    scavenged_bytes_ += run.second * kPageSize;
    released += run.second * kPageSize;
    goal_pages -= run.second;
  }
  return released;
}

MCache* MHeap::NewMCache() {
  auto* c = new MCache(this);
  MutexLock l(lock_);
  caches_.push_back(c);
  NoteMetadata();
  return c;
}

void MHeap::ReleaseMCache(MCache* c) {
  c->ReleaseAll();
  MutexLock l(lock_);
  pages_.FlushCache(&c->pcache);
  while (c->span_cache_n > 0) span_alloc_.Free(c->span_cache[--c->span_cache_n]);
  retired_.Add(c->counters);
  caches_.erase(std::find(caches_.begin(), caches_.end(), c));
  NoteMetadata();
  delete c;
}

MCacheCounters MHeap::SumCounters() const {
  MCacheCounters sum = retired_;
  for (const MCache* c : caches_) sum.Add(c->counters);
  return sum;
}

HeapTotals MHeap::ReadTotals() const {
  HeapTotals t;
  t.sys = sys_.load(std::memory_order_relaxed);
  t.released = released_.load(std::memory_order_relaxed);
  t.inuse = inuse_.load(std::memory_order_relaxed);
  t.idle = t.sys - t.released - t.inuse;
  t.spans_in_use = spans_in_use_.load(std::memory_order_relaxed);
  t.metadata = MetadataBytes();
  return t;
}

uint64_t MHeap::MetadataBytes() const {
  return index_.metadata_bytes() + span_alloc_.mapped_bytes() + tiny_counts_alloc_.mapped_bytes() +
         FixedMetadata(classes_) + caches_.size() * MCacheMetadata(classes_);
}

}  // namespace goalloc::alloc
