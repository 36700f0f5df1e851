// trace_read_bench FILE...: decoding throughput of each trace, as scripts/bench-read reports
// it: best of five full decodes (ReadBatch only, no LiveObjects), in MB/s of the file as
// stored and in events/s. Time is the process's CPU time, not wall time, so that other work
// on a shared machine does not distort the figures (decoding is single-threaded). With --nlohmann,
// also the time nlohmann/json's SAX parser needs just to tokenize a JSON file, the baseline the
// hand-written decoder is measured against.
#include <fmt/core.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/trace/trace_reader.h"

namespace goalloc::trace {
namespace {

constexpr size_t kBatch = 4096;

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

uint64_t Decode(const std::string& path) {
  auto reader = OpenTrace(path);
  std::vector<Event> batch(kBatch);
  uint64_t events = 0;
  while (size_t n = reader->ReadBatch(batch)) events += n;
  return events;
}

// Counts the events of a JSON trace through nlohmann's SAX interface (no DOM).
struct SaxCounter : nlohmann::json_sax<nlohmann::json> {
  uint64_t ops = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t& k) override {
    ops += k == "op";
    return true;
  }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    throw std::runtime_error(e.what());
  }
};

uint64_t NlohmannDecode(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  SaxCounter counter;
  nlohmann::json::sax_parse(in, &counter);
  return counter.ops;
}

template <typename F>
void Measure(const std::string& label, const std::string& path, F decode) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + path);
  double best = 1e100;
  uint64_t events = 0;
  for (int run = 0; run < 5; ++run) {
    double start = CpuSeconds();
    events = decode(path);
    best = std::min(best, CpuSeconds() - start);
  }
  double mb = static_cast<double>(st.st_size) / 1e6;
  fmt::print(
      "{:<10} {:<40} {:>9.1f} MB {:>11} events {:>8.3f} s CPU {:>9.1f} MB/s {:>8.2f} M events/s\n",
      label, path, mb, events, best, mb / best, static_cast<double>(events) / best / 1e6);
}

}  // namespace
}  // namespace goalloc::trace

int main(int argc, char** argv) {
  using namespace goalloc::trace;
  bool nlohmann = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--nlohmann") {
      nlohmann = true;
      continue;
    }
    Measure("decode", arg, Decode);
    if (nlohmann) Measure("nlohmann", arg, NlohmannDecode);
  }
  return 0;
}
