// Element tree rendering and escaping (see xml.h).
#include "src/report/svg/xml.h"

#include <fmt/core.h>

#include <array>
#include <cmath>

namespace goalloc::report::svg {
namespace {

// HTML void elements must not have an end tag; every other element gets one even when
// empty (a self-closed <div/> or <td/> is not empty in HTML, it swallows what follows).
bool IsVoidElement(std::string_view tag) {
  constexpr std::array<std::string_view, 6> kVoid = {"meta", "br", "hr", "img", "input", "link"};
  for (auto v : kVoid) {
    if (tag == v) return true;
  }
  return false;
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormatCoordinate(double value) {
  if (!std::isfinite(value)) return "0";
  std::string s = fmt::format("{:.2f}", value);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

Element& Element::Set(std::string_view name, std::string_view value) {
  for (auto& [n, v] : attributes_) {
    if (n == name) {
      v = value;
      return *this;
    }
  }
  attributes_.emplace_back(name, value);
  return *this;
}

Element& Element::AddText(std::string_view text) {
  children_.push_back(Element(Kind::kText, text));
  return *this;
}

Element& Element::AddRaw(std::string_view markup) {
  children_.push_back(Element(Kind::kRaw, markup));
  return *this;
}

Element& Element::Add(std::string_view tag) { return children_.emplace_back(tag); }

Element& Element::Add(Element child) { return children_.emplace_back(std::move(child)); }

std::string Element::Render() const {
  std::string out;
  RenderTo(out);
  return out;
}

void Element::RenderTo(std::string& out) const {
  switch (kind_) {
    case Kind::kText:
      out += EscapeXml(tag_);
      return;
    case Kind::kRaw:
      out += tag_;
      return;
    case Kind::kElement:
      break;
  }
  out += '<';
  out += tag_;
  for (const auto& [name, value] : attributes_) {
    out += ' ';
    out += name;
    out += "=\"";
    out += EscapeXml(value);
    out += '"';
  }
  out += '>';
  if (IsVoidElement(tag_)) return;
  for (const Element& child : children_) child.RenderTo(out);
  out += "</";
  out += tag_;
  out += '>';
}

}  // namespace goalloc::report::svg
