// A reported figure, declared once: its JSON key, its label in the text and HTML tables, the
// member of the structure that holds it (or the const member function that derives it), its
// unit and its one-line definition as docs/report.md's field table gives them. Each reported
// structure has a table of them beside the code that owns its rendering (byte_accounting.h,
// fragmentation.h, heap_figures.h); the JSON report writes a table's figures in its order,
// the text and HTML tables take their labels from it, and a test checks docs/report.md
// against it (figures_doc_test.cc). A figure added to a table is therefore reported,
// labelled and documented in one step — mimalloc's MI_STAT_FIELDS(), as constexpr data.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace goalloc::report {

// The kinds of member a reported structure holds its figures in.
template <class S>
using FigureMember =
    std::variant<uint64_t S::*, uint32_t S::*, int S::*, bool S::*, std::string S::*,
                 std::optional<double> S::*, std::array<uint64_t, 5> S::*, double (S::*)() const,
                 bool (S::*)() const>;

template <class S>
struct Figure {
  std::string_view key;    // JSON name
  std::string_view label;  // row or column label in the text and HTML tables
  FigureMember<S> member;
  std::string_view unit;        // docs/report.md's unit column: "B", "objects", "—", …
  std::string_view definition;  // docs/report.md's definition column
};

// The figure of `figures` held in `member` (a table lists each member once).
template <class S, size_t N, class M>
constexpr const Figure<S>& FigureOf(const std::array<Figure<S>, N>& figures, M S::*member) {
  for (const Figure<S>& f : figures) {
    if (const auto* m = std::get_if<M S::*>(&f.member); m && *m == member) return f;
  }
  throw "FigureOf: the member has no figure in this table";  // a compile error in constexpr
}

// The figure's value in `s` as JSON: absent optionals as null.
template <class S>
nlohmann::ordered_json FigureJson(const Figure<S>& f, const S& s) {
  return std::visit(
      [&](auto member) -> nlohmann::ordered_json {
        const auto& v = std::invoke(member, s);
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::optional<double>>) {
          return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
        } else {
          return v;
        }
      },
      f.member);
}

// Adds every figure of `figures` to the JSON object `j`, in table order.
template <class S, size_t N>
void AddFiguresJson(const std::array<Figure<S>, N>& figures, const S& s,
                    nlohmann::ordered_json& j) {
  for (const Figure<S>& f : figures) j[std::string(f.key)] = FigureJson(f, s);
}

}  // namespace goalloc::report
