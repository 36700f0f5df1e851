// Where `replay`, `compare`, `inspect` and `convert` write, as users (and careless ones) name
// it: symlinks keep pointing at a report that is replaced, /dev/stdout and redirected stdout
// are written through, paths that cannot be written are refused before the work, one
// output that fails does not lose the others, and file names need not be UTF-8. Every path
// a buggy writer could replace is a link inside the test's own directory (the links that
// stand for /dev/stdout point at /proc/self/fd/1, as /dev/stdout does), never a file of the
// machine, since CI runs these tests as root.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json SmallEvents() {
  json events = json::array();
  for (int i = 0; i < 50; ++i) events.push_back({{"op", "malloc"}, {"id", i}, {"size", 24 + i}});
  for (int i = 0; i < 50; i += 2) events.push_back({{"op", "free"}, {"id", i}});
  return events;
}

// Runs goalloc-replay with stdout into a pipe that the test reads, as `| jq` would.
ToolRun RunToolIntoPipe(const std::vector<std::string>& args) {
  const std::string err_path = TempPath("pipe.err");
  const std::string binary = Runfile("src/cli/goalloc-replay");
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fds[1], 1);
    dup2(err, 2);
    close(fds[0]);
    std::vector<char*> argv = {const_cast<char*>(binary.c_str())};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  ToolRun r;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) r.out.append(buf, n);
  close(fds[0]);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  r.err = ReadFile(err_path);
  return r;
}

bool IsJson(const std::string& s) { return json::accept(s); }
bool IsHtml(const std::string& s) { return s.rfind("<!DOCTYPE html>", 0) == 0; }
bool IsText(const std::string& s) { return s.rfind("  peak live  ", 0) == 0; }
bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

struct Case {
  std::string name;
  // Arguments; "{dir}" is the case's own directory, "{trace}" a small trace in it.
  std::vector<std::string> args;
  std::function<void(const fs::path& dir)> setup;  // links and files the case needs
  bool into_pipe = false;                          // stdout is a pipe, not a file
  int status;
  std::vector<std::string> err_has;  // what stderr must say
  // Checks of stdout and of the files left in dir.
  std::function<void(const std::string& out, const fs::path& dir)> check;
};

// Test names in gtest's output instead of the case's bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

void Link(const fs::path& target, const fs::path& link) { fs::create_symlink(target, link); }
void Write(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

const Case kCases[] = {
    // §4: symlinks and /dev/stdout.
    {"JsonThroughASymlinkReplacesItsTarget",
     {"replay", "{trace}", "--quiet", "--json", "{dir}/links/r.json"},
     [](const fs::path& d) {
       fs::create_directories(d / "links");
       fs::create_directories(d / "reports");
       Write(d / "reports/r.json", "old");
       Link("../reports/r.json", d / "links/r.json");
     },
     false,
     0,
     {},
     [](const std::string& out, const fs::path& d) {
       EXPECT_TRUE(IsText(out));
       EXPECT_TRUE(fs::is_symlink(d / "links/r.json"));
       EXPECT_TRUE(IsJson(ReadFile(d / "reports/r.json")));
       EXPECT_EQ(std::distance(fs::directory_iterator(d / "links"), {}), 1);
       EXPECT_EQ(std::distance(fs::directory_iterator(d / "reports"), {}), 1);
     }},
    {"HtmlThroughADanglingSymlinkCreatesItsTarget",
     {"replay", "{trace}", "--quiet", "--html", "{dir}/r.html"},
     [](const fs::path& d) {
       fs::create_directories(d / "reports");
       Link(d / "reports/new.html", d / "r.html");
     },
     false,
     0,
     {},
     [](const std::string&, const fs::path& d) {
       EXPECT_TRUE(fs::is_symlink(d / "r.html"));
       EXPECT_TRUE(IsHtml(ReadFile(d / "reports/new.html")));
     }},
    {"ConvertThroughASymlinkReplacesItsTarget",
     {"convert", "{trace}", "-o", "{dir}/link.gat"},
     [](const fs::path& d) { Link("real.gat", d / "link.gat"); },
     false,
     0,
     {},
     [](const std::string&, const fs::path& d) {
       EXPECT_TRUE(fs::is_symlink(d / "link.gat"));
       EXPECT_GT(fs::file_size(d / "real.gat"), 0u);
     }},
    {"DevStdoutRedirectedToAFileIsWrittenThrough",
     {"replay", "{trace}", "--quiet", "--json", "{dir}/stdout"},
     [](const fs::path& d) { Link("/proc/self/fd/1", d / "stdout"); },
     false,
     0,
     {},
     [](const std::string& out, const fs::path& d) {
       EXPECT_TRUE(IsJson(out)) << out;  // the JSON takes stdout's place of the text report
       EXPECT_TRUE(fs::is_symlink(d / "stdout"));
     }},
    {"DevStdoutIntoAPipeIsWrittenThrough",
     {"replay", "{trace}", "--quiet", "--html", "{dir}/stdout"},
     [](const fs::path& d) { Link("/proc/self/fd/1", d / "stdout"); },
     true,
     0,
     {},
     [](const std::string& out, const fs::path& d) {
       EXPECT_TRUE(IsHtml(out)) << out;
       EXPECT_TRUE(fs::is_symlink(d / "stdout"));
     }},
    {"ConvertToDevStdoutIntoAPipe",
     {"convert", "{trace}", "-o", "{dir}/stdout.json"},
     [](const fs::path& d) { Link("/proc/self/fd/1", d / "stdout.json"); },
     true,
     0,
     {},
     [](const std::string& out, const fs::path& d) {
       EXPECT_TRUE(IsJson(out)) << out;
       EXPECT_TRUE(fs::is_symlink(d / "stdout.json"));
     }},
    // §5: paths checked before the work.
    {"MissingDirectoryIsRefusedBeforeDecoding",
     {"compare", "{dir}/broken.json", "--quiet", "--json", "/nonexistent/dir/r.json"},
     [](const fs::path& d) { Write(d / "broken.json", "{\"format\": \"goalloc-trace\", [}"); },
     false,
     2,
     {"error: --json: cannot write /nonexistent/dir/r.json: no directory /nonexistent/dir"},
     [](const std::string& out, const fs::path&) { EXPECT_EQ(out, ""); }},
    {"DirectoryAsOutputIsRefused",
     {"replay", "{trace}", "--quiet", "--html", "{dir}"},
     nullptr,
     false,
     2,
     {"error: --html: cannot write ", "Is a directory"},
     nullptr},
    {"OutputThatIsTheInputIsRefused",
     {"replay", "{trace}", "--quiet", "--json", "{dir}/alias.json"},
     [](const fs::path& d) { Link("trace.json", d / "alias.json"); },
     false,
     2,
     {"error: --json ", "alias.json is the trace being read"},
     [](const std::string&, const fs::path& d) {
       EXPECT_EQ(json::parse(ReadFile(d / "trace.json"))["format"], "goalloc-trace");
     }},
    {"TwoOutputsOnOneFileAreRefused",
     {"compare", "{trace}", "--quiet", "--json", "{dir}/r", "--html", "{dir}/./r"},
     nullptr,
     false,
     2,
     {"would write the same file"},
     [](const std::string&, const fs::path& d) { EXPECT_FALSE(fs::exists(d / "r")); }},
    {"TwoOutputsOnStdoutAreRefused",
     {"replay", "{trace}", "--quiet", "--json", "-", "--html", "{dir}/stdout"},
     [](const fs::path& d) { Link("/proc/self/fd/1", d / "stdout"); },
     true,
     2,
     {"error: --json - and --html ", "would write the same stdout"},
     nullptr},
    // §5: '-' means stdout for every output.
    {"HtmlDashIsStdout",
     {"replay", "{trace}", "--quiet", "--html", "-", "--json", "{dir}/r.json"},
     nullptr,
     false,
     0,
     {},
     [](const std::string& out, const fs::path& d) {
       EXPECT_TRUE(IsHtml(out)) << out;
       EXPECT_FALSE(fs::exists(d / "-"));
       EXPECT_TRUE(IsJson(ReadFile(d / "r.json")));
     }},
    // §5: one failing output does not lose the others.
    {"AFailingHtmlKeepsTheTextAndTheJson",
     {"replay", "{trace}", "--quiet", "--html", "/dev/full", "--json", "{dir}/r.json"},
     nullptr,
     false,
     1,
     {"error: the HTML report was not written: cannot write /dev/full"},
     [](const std::string& out, const fs::path& d) {
       EXPECT_TRUE(IsText(out)) << out;
       EXPECT_TRUE(IsJson(ReadFile(d / "r.json")));
     }},
    {"AFailingJsonKeepsTheHtml",
     {"compare", "{trace}", "--quiet", "--allocators", "go", "--json", "/dev/full", "--html",
      "{dir}/r.html"},
     nullptr,
     false,
     1,
     {"error: the JSON report was not written: cannot write /dev/full"},
     [](const std::string& out, const fs::path& d) {
       EXPECT_TRUE(Has(out, "Compare  ")) << out;
       EXPECT_TRUE(IsHtml(ReadFile(d / "r.html")));
     }},
    // §5: names that are not UTF-8 are written with U+FFFD for each bad byte.
    // Every installed allocator: those replayed in a child get the path through JSON too.
    {"NonUtf8TraceNameInTheJsonReport",
     {"compare", "{dir}/bad\xff\xfe.json", "--quiet", "--json", "-"},
     [](const fs::path& d) { fs::copy_file(d / "trace.json", d / "bad\xff\xfe.json"); },
     false,
     0,
     {},
     [](const std::string& out, const fs::path&) {
       EXPECT_TRUE(Has(json::parse(out)["trace"]["path"], "/bad\uFFFD\uFFFD.json")) << out;
     }},
    {"NonUtf8TraceNameInInspectJson",
     {"inspect", "{dir}/bad\xff.json", "--json"},
     [](const fs::path& d) { fs::copy_file(d / "trace.json", d / "bad\xff.json"); },
     false,
     0,
     {},
     [](const std::string& out, const fs::path&) {
       EXPECT_TRUE(Has(json::parse(out)["path"], "/bad\uFFFD.json")) << out;
     }},
};

class ReportOutput : public ::testing::TestWithParam<Case> {};

TEST_P(ReportOutput, Case) {
  const Case& c = GetParam();
  const fs::path dir = fs::path(TempPath("outputs")) / c.name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(WriteTrace("outputs-trace.json", SmallEvents()), dir / "trace.json");
  if (c.setup) c.setup(dir);
  std::vector<std::string> args;
  for (std::string a : c.args) {
    if (a == "{trace}") a = (dir / "trace.json").string();
    if (a.rfind("{dir}", 0) == 0) a = dir.string() + a.substr(5);
    args.push_back(a);
  }
  const ToolRun r = c.into_pipe ? RunToolIntoPipe(args) : RunTool(args);
  EXPECT_EQ(r.status, c.status) << r.err;
  for (const std::string& part : c.err_has) EXPECT_TRUE(Has(r.err, part)) << r.err;
  if (c.check) c.check(r.out, dir);
}

INSTANTIATE_TEST_SUITE_P(Cases, ReportOutput, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace goalloc::report_e2e
