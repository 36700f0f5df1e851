// The parts of a report that come from a collecting runtime (docs/report.md, "gc"): the
// `gc` section, the runtime's own heap figures at the snapshots and timeline samples
// (go-runtime), their text rendering, and the check that a final GC leaves exactly the
// live objects' class-size bytes.
#pragma once

#include <string>
#include <vector>

#include "src/replay/go_runtime_result.h"
#include "src/report/json_report.h"
#include "src/report/report_model.h"

namespace goalloc::report {

Json GcJson(const replay::GcFigures& gc);
Json RuntimeSnapshotJson(const replay::RuntimeSnapshot& s);
// Adds the runtime's figures to one timeline sample's JSON.
void AddRuntimeSampleJson(const replay::RuntimeSample& s, Json& sample);

// "GOGC=100", "GOGC=off, limit 512.0 MiB": what a collecting run's column is labelled with.
std::string GcLabel(const replay::GcFigures& gc);

// Text: the runtime's heap at both snapshots, and the gc section.
std::string RuntimeHeapSection(const Report& r, size_t width);
std::string GcSection(const replay::GcFigures& gc, size_t width);

// HeapAlloc after the final GC must equal the class-size sum of the live objects.
void CheckGc(const replay::GcFigures& gc, std::vector<std::string>& failed);

}  // namespace goalloc::report
