// Page checks for the HTML report's tests (see html_test_support.h).
#include "src/report/html_test_support.h"

#include <regex>
#include <set>
#include <vector>

namespace goalloc::report {

std::string TagBalanceError(const std::string& html) {
  static const std::set<std::string> kVoid = {"meta", "br", "hr", "img", "input", "link"};
  // Tags outside <style> (its CSS has no '<'); text and attributes are escaped, so every
  // '<' starts a tag.
  std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>)");
  std::vector<std::string> open;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it) {
    std::string name = (*it)[2];
    if ((*it)[1] == "") {
      if (!kVoid.count(name)) open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      return "</" + name + "> at " + std::to_string(it->position()) + " closes <" +
             (open.empty() ? std::string("nothing") : open.back()) + ">";
    } else {
      open.pop_back();
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> is never closed";
}

std::string ExternalReference(const std::string& html) {
  for (const char* bad : {"<script", " src=", " href=", "url(", "@import", "<link", "<iframe"}) {
    if (html.find(bad) != std::string::npos) return bad;
  }
  // The only URL allowed is the SVG namespace name, which is never fetched.
  std::regex url(R"(https?://[^"' ]*)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator();
       ++it) {
    if (it->str() != "http://www.w3.org/2000/svg") return it->str();
  }
  return "";
}

size_t CountOf(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace goalloc::report
