// The allocators a replay can run on, and how: in this process (go and the hidden noop
// floor), in a fresh child process (the system allocators: glibc with no preload, the others
// with their Debian library preloaded, so that the system allocator's heap holds only the
// replay's objects, not what decoding and the earlier runs left in it), or in the project's
// Go program (go-runtime). One registry: the command line resolves a name into its entry once
// (Allocator), and everything below takes that entry as a value.
#pragma once

#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goalloc::replay {

// How the replay runs (docs/design.md, "Two modes"). Implicit from a name, as the command
// line and the tests write it ({.mode = "sim"}); an unknown name is std::invalid_argument.
class Mode {
 public:
  enum Value : uint8_t { kSim, kParallel };
  constexpr Mode(Value v = kParallel) : value_(v) {}  // parallel: every allocator's default
  template <class Name>
  requires std::convertible_to<const Name&, std::string_view> Mode(const Name& name)
      : value_(Parse(name)) {}

  bool parallel() const { return value_ == kParallel; }
  std::string_view name() const { return value_ == kSim ? "sim" : "parallel"; }

 private:
  static Value Parse(std::string_view name);
  Value value_;
};

// Where a replay on an allocator runs.
enum class Where : uint8_t {
  kInProcess,  // a backend of this process (in_process_replay.h)
  kChild,      // a child of this binary with the library preloaded, or none (replay_child.h)
  kGoRuntime,  // the project's Go program (go_runtime_backend.h)
};

// One entry of the registry.
struct AllocatorInfo {
  std::string_view name;
  Where where;
  std::string_view library;             // kChild: the library to preload; "" for none (glibc)
  std::span<const Mode> compare_modes;  // what `compare` runs it in when --mode is not given
  bool collects;                        // takes --gogc and --memory-limit
  bool listed;                          // named to users (noop is for the benchmarks only)
};

// An entry of the registry, by value (it refers to the static table). Implicit from a name, as
// the command line and the tests write it ({.allocator = "go"}); an unknown name is
// std::invalid_argument naming the known ones.
class Allocator {
 public:
  template <class Name>
  requires std::convertible_to<const Name&, std::string_view> Allocator(const Name& name)
      : info_(&Find(name)) {}

  std::string_view name() const { return info_->name; }
  Where where() const { return info_->where; }
  std::string_view library() const { return info_->library; }
  std::span<const Mode> compare_modes() const { return info_->compare_modes; }
  bool collects() const { return info_->collects; }

 private:
  static const AllocatorInfo& Find(std::string_view name);
  const AllocatorInfo* info_;
};

// Go's own runtime, in a child running the project's Go program (go_runtime_backend.h).
inline constexpr std::string_view kGoRuntime = "go-runtime";

// Preloaded allocators cannot work in a sanitizer build (its runtime owns malloc).
bool PreloadSupported();

// Allocator names installed on this machine, `go` first.
std::vector<std::string> InstalledAllocators();

}  // namespace goalloc::replay
