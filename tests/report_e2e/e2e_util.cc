// Helpers for the reporter's end-to-end tests (see e2e_util.h).
#include "tests/report_e2e/e2e_util.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace goalloc::report_e2e {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

std::string Runfile(const std::string& path) {
  const char* dir = std::getenv("TEST_SRCDIR");
  return std::string(dir ? dir : ".") + "/goalloc_replay/" + path;
}

std::string TempPath(const std::string& name) { return ::testing::TempDir() + name; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ToolRun RunTool(const std::vector<std::string>& args) {
  const std::string out_path = TempPath("tool.out"), err_path = TempPath("tool.err");
  const std::string binary = Runfile("src/cli/goalloc-replay");
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv = {const_cast<char*>(binary.c_str())};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  ToolRun r;
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  return r;
}

std::string WriteTrace(const std::string& name, const nlohmann::json& events) {
  const std::string path = TempPath(name);
  std::ofstream(path) << nlohmann::json{
      {"format", "goalloc-trace"}, {"version", 1}, {"events", events}};
  return path;
}

nlohmann::json ReportOf(const std::vector<std::string>& args) {
  std::vector<std::string> all = args;
  all.insert(all.end(), {"--quiet", "--json", "-"});
  ToolRun r = RunTool(all);
  EXPECT_EQ(r.status, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

std::vector<Field> DocFields(const std::string& heading) {
  std::istringstream doc(ReadFile(Runfile("docs/report.md")));
  std::vector<Field> fields;
  bool in_section = false;
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## " + heading;
    if (!in_section || line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(Trim(cell));
    // field | type | unit | backends | varies | definition (which may contain more '|')
    if (cells.size() < 6) {
      ADD_FAILURE() << "malformed field row: " << line;
      continue;
    }
    Field f;
    f.path = cells[0].substr(1, cells[0].size() - 2);  // strip the backquotes
    f.type = cells[1];
    f.backends = cells[3];
    f.varies = !cells[4].empty();  // "yes", or "go-runtime": on go-runtime only
    f.varies_in_gc_mode = cells[4] == "yes";
    fields.push_back(f);
  }
  return fields;
}

namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream in(path);
  for (std::string s; std::getline(in, s, '.');) out.push_back(s);
  return out;
}

bool IsElementStep(const std::string& seg) {
  return seg.size() >= 2 && seg.compare(seg.size() - 2, 2, "[]") == 0;
}

void Match(nlohmann::json& j, const std::vector<std::string>& segs, size_t i,
           const std::function<void(nlohmann::json&)>& fn) {
  if (i == segs.size()) {
    fn(j);
    return;
  }
  if (!j.is_object()) return;
  const bool element = IsElementStep(segs[i]);
  const std::string name = element ? segs[i].substr(0, segs[i].size() - 2) : segs[i];
  for (auto& [key, child] : j.items()) {
    if (name != "*" && name != key) continue;
    if (!element) {
      Match(child, segs, i + 1, fn);
    } else if (child.is_array()) {
      for (auto& e : child) Match(e, segs, i + 1, fn);
    }
  }
}

void Collect(const nlohmann::json& j, const std::string& prefix,
             std::vector<std::pair<std::string, const nlohmann::json*>>& out) {
  if (!j.is_object()) return;
  for (const auto& [key, child] : j.items()) {
    std::string path = prefix.empty() ? key : prefix + "." + key;
    out.emplace_back(path, &child);
    if (child.is_object()) Collect(child, path, out);
    if (child.is_array()) {
      for (const auto& e : child) Collect(e, path + "[]", out);
    }
  }
}

}  // namespace

void ForEachMatch(nlohmann::json& j, const std::string& pattern,
                  const std::function<void(nlohmann::json&)>& fn) {
  Match(j, Segments(pattern), 0, fn);
}

std::vector<std::pair<std::string, const nlohmann::json*>> FieldsOf(const nlohmann::json& j) {
  std::vector<std::pair<std::string, const nlohmann::json*>> out;
  Collect(j, "", out);
  return out;
}

bool PathMatches(const std::string& pattern, const std::string& path) {
  std::vector<std::string> p = Segments(pattern), c = Segments(path);
  if (p.size() != c.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (IsElementStep(p[i]) != IsElementStep(c[i])) return false;
    std::string name = IsElementStep(p[i]) ? p[i].substr(0, p[i].size() - 2) : p[i];
    std::string key = IsElementStep(c[i]) ? c[i].substr(0, c[i].size() - 2) : c[i];
    if (name != "*" && name != key) return false;
  }
  return true;
}

bool HasType(const nlohmann::json& value, const std::string& type) {
  const std::string kOrNull = " or null";
  if (type.size() > kOrNull.size() &&
      type.compare(type.size() - kOrNull.size(), kOrNull.size(), kOrNull) == 0) {
    return value.is_null() || HasType(value, type.substr(0, type.size() - kOrNull.size()));
  }
  const std::string kArrayOf = "array of ";
  if (type.rfind(kArrayOf, 0) == 0) {
    if (!value.is_array()) return false;
    for (const auto& e : value) {
      if (!HasType(e, type.substr(kArrayOf.size()))) return false;
    }
    return true;
  }
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "object") return value.is_object();
  ADD_FAILURE() << "unknown documented type: " << type;
  return false;
}

}  // namespace goalloc::report_e2e
