// A minimal XML/HTML element tree for the HTML report and its SVG charts: elements with
// attributes, escaped text and (trusted) raw markup, rendered to a string. Everything that
// comes from a trace or the user (paths, lock names, labels) goes through EscapeXml, so a
// name such as "a<b & c" can never break the page.
#pragma once

#include <list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace goalloc::report::svg {

// Escapes & < > " ' for use in text and in double-quoted attribute values.
std::string EscapeXml(std::string_view text);

// A number for an SVG coordinate or length: at most two decimals, no trailing zeros.
std::string FormatCoordinate(double value);

class Element {
 public:
  explicit Element(std::string_view tag) : tag_(tag) {}

  Element& Set(std::string_view name, std::string_view value);
  Element& Set(std::string_view name, const char* value) {
    return Set(name, std::string_view(value));
  }
  Element& Set(std::string_view name, double value) { return Set(name, FormatCoordinate(value)); }
  // Appends text content, escaped.
  Element& AddText(std::string_view text);
  // Appends markup as is; only for markup this program produced (e.g. a rendered chart).
  Element& AddRaw(std::string_view markup);
  // Appends a child and returns it; the reference stays valid as more children are added.
  Element& Add(std::string_view tag);
  Element& Add(Element child);

  const std::string& tag() const { return tag_; }
  std::string Render() const;
  void RenderTo(std::string& out) const;

 private:
  enum class Kind { kElement, kText, kRaw };
  Element(Kind kind, std::string_view content) : kind_(kind), tag_(content) {}

  Kind kind_ = Kind::kElement;
  std::string tag_;  // the text or raw markup for kText / kRaw nodes
  std::vector<std::pair<std::string, std::string>> attributes_;
  std::list<Element> children_;  // std::list: references to children stay valid
};

}  // namespace goalloc::report::svg
