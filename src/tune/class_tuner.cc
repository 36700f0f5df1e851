// The waste of a table, the floor, and the dynamic programme (class_tuner.h).
//
// The programme: the candidate class sizes are the distinct request sizes rounded by the
// rules (at most 2 + 62 + 248 of them between 17 B and 32 KiB, however many distinct sizes
// the histograms hold). A table is a partition of the candidates, in order, into runs, each
// served by one class of a size from its largest candidate to below the next candidate, and
// pages (Shapes); classes 8 B and 16 B are fixed. The cost of a run is independent of the
// other runs, so best[k][j], the least cost of serving candidates 0..j with k classes, is
// min over i of best[k-1][i-1] + cost(i..j): O(N × m²) steps with the costs computed once,
// O(m² × shapes × traces).
#include "src/tune/class_tuner.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

namespace goalloc::tune {
namespace {

using alloc::kPageSize;

bool IsTiny(const ObjectGroup& g) { return alloc::IsTinyRequest(g.size, g.align, g.noscan); }
// Small under every table the tuner makes (its largest class holds the largest such request).
bool IsSmall(const ObjectGroup& g) { return g.size <= alloc::kMaxSmallAlloc; }
uint64_t WithHeader(const ObjectGroup& g) { return alloc::WithMallocHeader(g.size, g.noscan); }
uint64_t CeilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

// Objects sharing one class: counts by noscan and their requested bytes.
struct ClassLoad {
  uint64_t noscan = 0, scan = 0, requested = 0;
};

// The packed waste of `load` in a class of `size` bytes and `pages` pages.
Waste ClassWaste(uint32_t size, uint32_t pages, const ClassLoad& load) {
  Waste w;
  w.requested = load.requested;
  w.rounding = uint64_t(size) * (load.noscan + load.scan) - load.requested;
  for (bool noscan : {true, false}) {
    const uint64_t n = noscan ? load.noscan : load.scan;
    if (n == 0) continue;
    const alloc::SpanClassInfo info = alloc::DeriveSpanClass(size, pages, noscan);
    const uint64_t spans = CeilDiv(n, info.nelems);
    w.tail += spans * info.tail;
    w.partial_spans += uint64_t(pages) * kPageSize / 2;
  }
  return w;
}

void Add(Waste& to, const Waste& w) {
  to.requested += w.requested;
  to.rounding += w.rounding;
  to.tail += w.tail;
  to.partial_spans += w.partial_spans;
}

// Candidates and, per histogram, the load of each candidate (prefix sums over candidates).
struct Candidates {
  std::vector<uint32_t> sizes;  // ascending, all > 16
  // [j]: the shapes a class serving candidates up to sizes[j] may take (below).
  std::vector<std::vector<alloc::SizeClassRow>> shapes;
  std::vector<std::vector<ClassLoad>> prefix;  // [histogram][j]: candidates < j
  std::vector<ClassLoad> fixed8, fixed16;      // [histogram]: objects of classes 8 B, 16 B
};

// A class serving the candidates up to sizes[j] may be any size from sizes[j] to below the
// next candidate (which it would otherwise serve too). Raising its size while its slots per
// span stay the same adds N × step of rounding and takes at least as much tail (its spans
// hold at least N slots), so only the largest size of each slot count can be best: sizes[j]
// and, per pages, usable span bytes / k rounded down by the rules, for each k in range.
std::vector<alloc::SizeClassRow> Shapes(const Candidates& c, size_t j) {
  const uint32_t low = c.sizes[j];
  const uint32_t high = j + 1 < c.sizes.size() ? c.sizes[j + 1] : alloc::kMaxSmallSize + 1;
  std::set<std::pair<uint32_t, uint32_t>> shapes;  // (size, pages)
  for (uint32_t pages = 1; pages <= alloc::kMaxClassPages; pages++) {
    const uint32_t span = pages * uint32_t(kPageSize);
    shapes.insert({low, pages});
    for (uint32_t usable : {span, span - span / 64}) {  // noscan, scan with heap bits
      for (uint32_t k = std::max(1u, usable / high); k <= usable / low; k++) {
        uint32_t size = usable / k;
        size -= size % alloc::AlignmentStep(size);
        if (size >= low && size < high) shapes.insert({size, pages});
      }
    }
  }
  std::vector<alloc::SizeClassRow> out;
  for (const auto& [size, pages] : shapes) {
    if (alloc::PagesProblem(size, pages).empty()) out.push_back({size, pages});
  }
  return out;
}

Candidates MakeCandidates(const std::vector<Histogram>& hs) {
  std::map<uint32_t, std::vector<ClassLoad>> by_size;
  Candidates c;
  c.fixed8.resize(hs.size());
  c.fixed16.resize(hs.size());
  for (size_t t = 0; t < hs.size(); t++) {
    for (const ObjectGroup& g : hs[t].groups) {
      if (IsTiny(g) || !IsSmall(g)) continue;
      const uint32_t r = RoundToRules(WithHeader(g));
      ClassLoad* load;
      if (r <= 8) {
        load = &c.fixed8[t];
      } else if (r <= 16) {
        load = &c.fixed16[t];
      } else {
        auto& v = by_size[r];
        v.resize(hs.size());
        load = &v[t];
      }
      (g.noscan ? load->noscan : load->scan) += g.count;
      load->requested += g.count * g.size;
    }
  }
  c.prefix.assign(hs.size(), std::vector<ClassLoad>(by_size.size() + 1));
  size_t j = 0;
  for (const auto& [size, loads] : by_size) {
    c.sizes.push_back(size);
    for (size_t t = 0; t < hs.size(); t++) {
      ClassLoad& p = c.prefix[t][j + 1];
      p = c.prefix[t][j];
      p.noscan += loads[t].noscan;
      p.scan += loads[t].scan;
      p.requested += loads[t].requested;
    }
    j++;
  }
  for (j = 0; j < c.sizes.size(); j++) c.shapes.push_back(Shapes(c, j));
  return c;
}

ClassLoad Between(const std::vector<ClassLoad>& prefix, size_t i, size_t j) {  // [i, j]
  return {prefix[j + 1].noscan - prefix[i].noscan, prefix[j + 1].scan - prefix[i].scan,
          prefix[j + 1].requested - prefix[i].requested};
}

// Normalised cost of serving candidates i..j with one class, and its best shape.
struct RunCost {
  double cost = 0;
  alloc::SizeClassRow shape;
};

RunCost CostOf(const Candidates& c, const std::vector<Histogram>& hs,
               const std::vector<double>& scale, PageLimit limit, size_t i, size_t j) {
  RunCost best{std::numeric_limits<double>::infinity(), {}};
  for (const alloc::SizeClassRow& shape : c.shapes[j]) {
    if (limit == PageLimit::kGoRule && shape.pages > alloc::PagesByGoRule(shape.size)) continue;
    double cost = 0;
    for (size_t t = 0; t < hs.size(); t++) {
      cost += scale[t] *
              double(ClassWaste(shape.size, shape.pages, Between(c.prefix[t], i, j)).total());
    }
    if (cost < best.cost) best = {cost, shape};
  }
  return best;
}

}  // namespace

uint64_t Histogram::requested() const {
  uint64_t n = 0;
  for (const ObjectGroup& g : groups) {
    if (!IsTiny(g)) n += g.count * g.size;
  }
  return n;
}

uint32_t RoundToRules(uint64_t size) {
  const uint64_t step = alloc::AlignmentStep(size);
  return uint32_t(std::max<uint64_t>(8, CeilDiv(size, step) * step));
}

Waste PredictWaste(const alloc::SizeClassTable& table, const Histogram& h) {
  Waste w;
  std::vector<ClassLoad> loads(size_t(table.num_span_classes()));
  for (const ObjectGroup& g : h.groups) {
    if (IsTiny(g)) {
      w.tiny_objects += g.count;
      continue;
    }
    int sc = -1;  // large
    if (g.size <= table.max_small(g.noscan)) {
      if (g.align <= 8) {
        sc = table.SmallSpanClass(g.size, g.noscan);
      } else {
        for (int cls = table.SizeToClass(WithHeader(g)); cls < table.num_classes(); cls++) {
          if (table.info(alloc::MakeSpanClass(cls, g.noscan)).min_align >= g.align) {
            sc = alloc::MakeSpanClass(cls, g.noscan);
            break;
          }
        }
      }
    }
    if (sc < 0) {
      const uint64_t bytes = std::max<uint64_t>(1, CeilDiv(g.size, kPageSize)) * kPageSize;
      w.requested += g.count * g.size;
      w.rounding += g.count * (bytes - g.size);
      continue;
    }
    ClassLoad& load = loads[size_t(sc)];
    (g.noscan ? load.noscan : load.scan) += g.count;
    load.requested += g.count * g.size;
  }
  for (int c = 1; c < table.num_classes(); c++) {
    ClassLoad both;
    for (bool noscan : {false, true}) {
      const ClassLoad& l = loads[alloc::MakeSpanClass(c, noscan)];
      both.noscan += l.noscan;
      both.scan += l.scan;
      both.requested += l.requested;
    }
    Add(w, ClassWaste(table.class_size(c), table.class_pages(c), both));
  }
  return w;
}

Waste FloorWaste(const Histogram& h) {
  const std::vector<Histogram> one = {h};
  const Candidates c = MakeCandidates(one);
  Waste w;
  Add(w, ClassWaste(8, 1, c.fixed8[0]));
  Add(w, ClassWaste(16, 1, c.fixed16[0]));
  for (size_t j = 0; j < c.sizes.size(); j++) {
    const RunCost best = CostOf(c, one, {1.0}, PageLimit::kAny, j, j);
    Add(w, ClassWaste(best.shape.size, best.shape.pages, Between(c.prefix[0], j, j)));
  }
  for (const ObjectGroup& g : h.groups) {  // large objects: whole pages, whatever the table
    if (IsTiny(g) || IsSmall(g)) continue;
    w.requested += g.count * g.size;
    w.rounding += g.count * (CeilDiv(g.size, kPageSize) * kPageSize - g.size);
  }
  return w;
}

Tuned TuneClasses(const std::vector<Histogram>& hs, int max_classes, PageLimit limit) {
  if (max_classes < 3 || max_classes > alloc::kMaxSizeClasses - 1) {
    throw std::invalid_argument("the number of classes must be 3 to 127");
  }
  const Candidates c = MakeCandidates(hs);
  std::vector<double> scale;
  for (const Histogram& h : hs)
    scale.push_back(h.weight / double(std::max<uint64_t>(1, h.requested())));
  Tuned out;
  out.rows = {{8, 1}, {16, 1}};
  for (size_t t = 0; t < hs.size(); t++) {
    out.objective += scale[t] * double(ClassWaste(8, 1, c.fixed8[t]).total() +
                                       ClassWaste(16, 1, c.fixed16[t]).total());
  }
  const size_t m = c.sizes.size();
  if (m == 0) return out;
  // cost[i][j], j >= i: candidates i..j in one class.
  std::vector<std::vector<RunCost>> cost(m, std::vector<RunCost>(m));
  for (size_t i = 0; i < m; i++) {
    for (size_t j = i; j < m; j++) cost[i][j] = CostOf(c, hs, scale, limit, i, j);
  }
  const size_t k_max = std::min<size_t>(size_t(max_classes) - 2, m);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // best[k][j]: candidates 0..j-1 in k classes; from[k][j]: where the last run starts.
  std::vector<std::vector<double>> best(k_max + 1, std::vector<double>(m + 1, kInf));
  std::vector<std::vector<size_t>> from(k_max + 1, std::vector<size_t>(m + 1, 0));
  best[0][0] = 0;
  for (size_t k = 1; k <= k_max; k++) {
    for (size_t j = k; j <= m; j++) {
      for (size_t i = k - 1; i < j; i++) {
        const double v = best[k - 1][i] + cost[i][j - 1].cost;
        if (v < best[k][j]) {
          best[k][j] = v;
          from[k][j] = i;
        }
      }
    }
  }
  size_t k = 1;
  for (size_t kk = 1; kk <= k_max; kk++) {
    if (best[kk][m] < best[k][m]) k = kk;
  }
  out.objective += best[k][m];
  std::vector<alloc::SizeClassRow> runs;
  for (size_t j = m; k > 0; k--) {
    const size_t i = from[k][j];
    runs.push_back(cost[i][j - 1].shape);
    j = i;
  }
  out.rows.insert(out.rows.end(), runs.rbegin(), runs.rend());
  return out;
}

}  // namespace goalloc::tune
