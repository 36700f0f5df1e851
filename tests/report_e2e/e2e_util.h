// Helpers for the reporter's end-to-end tests: run the built goalloc-replay, write small JSON
// traces, and read the field tables of docs/report.md (the contract the JSON report follows).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace goalloc::report_e2e {

struct ToolRun {
  int status = -1;  // exit status
  std::string out, err;
};

// Path of a file in the test's runfiles (e.g. "docs/report.md").
std::string Runfile(const std::string& path);
// A fresh file path in the test's temporary directory.
std::string TempPath(const std::string& name);
// Runs goalloc-replay with `args` (each passed as one argument).
ToolRun RunTool(const std::vector<std::string>& args);
std::string ReadFile(const std::string& path);

// Writes a goalloc-trace JSON file of `events` and returns its path.
std::string WriteTrace(const std::string& name, const nlohmann::json& events);
// Replays (or compares) and returns the parsed JSON report; fails the test on a non-zero
// exit status.
nlohmann::json ReportOf(const std::vector<std::string>& args);

// One row of a field table of docs/report.md.
struct Field {
  std::string path;                // e.g. "heap.*.sys", "locks[].name"
  std::string type;                // e.g. "integer", "number or null", "array of integer"
  std::string backends;            // all, go, system, glibc, go-runtime, gc, go-gc
  bool varies = false;             // differs between two sim replays (of some backend)
  bool varies_in_gc_mode = false;  // also between two sim replays of go in GC mode
};
// The rows of the table under the heading `heading` ("Replay report fields" or
// "Compare report fields").
std::vector<Field> DocFields(const std::string& heading);

// Field paths: segments separated by '.', "*" matches any key, a "[]" suffix steps into each
// element of an array. Calls fn on every node of `j` that `pattern` names.
void ForEachMatch(nlohmann::json& j, const std::string& pattern,
                  const std::function<void(nlohmann::json&)>& fn);
// Every field of `j` as a path in the same notation with concrete keys ("heap.at_end.sys",
// "locks[].name"), paired with the node; arrays of scalars are leaves.
std::vector<std::pair<std::string, const nlohmann::json*>> FieldsOf(const nlohmann::json& j);
// Whether `path` (concrete) is named by `pattern`.
bool PathMatches(const std::string& pattern, const std::string& path);
// Whether `value` has the documented type ("integer", "number or null", "array of string"...).
bool HasType(const nlohmann::json& value, const std::string& type);

}  // namespace goalloc::report_e2e
