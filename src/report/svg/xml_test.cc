// Element tree rendering: escaping of text and attributes, end tags, raw markup.
#include "src/report/svg/xml.h"

#include <gtest/gtest.h>

namespace goalloc::report::svg {
namespace {

TEST(EscapeXml, EscapesMarkupCharacters) {
  EXPECT_EQ(EscapeXml(R"(a<b & "c" 'd'>)"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(EscapeXml("mcentral[3n] µs"), "mcentral[3n] µs");  // UTF-8 passes through
  EXPECT_EQ(EscapeXml(""), "");
}

TEST(FormatCoordinate, TwoDecimalsAtMostWithoutTrailingZeros) {
  EXPECT_EQ(FormatCoordinate(12), "12");
  EXPECT_EQ(FormatCoordinate(12.5), "12.5");
  EXPECT_EQ(FormatCoordinate(1.0 / 3), "0.33");
  EXPECT_EQ(FormatCoordinate(-0.001), "0");
  EXPECT_EQ(FormatCoordinate(-2.25), "-2.25");
  EXPECT_EQ(FormatCoordinate(100.0), "100");
}

TEST(Element, RendersAttributesTextAndChildrenEscaped) {
  Element svg("svg");
  svg.Set("width", 100.0).Set("aria-label", "peak <live> & \"footprint\"");
  svg.Add("title").AddText("a < b");
  EXPECT_EQ(svg.Render(),
            "<svg width=\"100\" aria-label=\"peak &lt;live&gt; &amp; &quot;footprint&quot;\">"
            "<title>a &lt; b</title></svg>");
}

TEST(Element, SettingAnAttributeTwiceKeepsTheLast) {
  Element e("rect");
  e.Set("x", 1.0).Set("x", 2.0);
  EXPECT_EQ(e.Render(), "<rect x=\"2\"></rect>");
}

TEST(Element, EmptyElementsGetEndTagsButVoidOnesDoNot) {
  Element tr("tr");
  tr.Add("td");
  tr.Add("td").AddText("x");
  EXPECT_EQ(tr.Render(), "<tr><td></td><td>x</td></tr>");
  Element meta("meta");
  meta.Set("charset", "utf-8");
  EXPECT_EQ(meta.Render(), "<meta charset=\"utf-8\">");
}

TEST(Element, ChildReferencesStayValidAsSiblingsAreAdded) {
  Element g("g");
  Element& first = g.Add("a");
  for (int i = 0; i < 100; ++i) g.Add("b");
  first.AddText("still here");
  EXPECT_EQ(g.Render().substr(0, 20), "<g><a>still here</a>");
}

TEST(Element, RawMarkupIsNotEscaped) {
  Element div("div");
  div.AddRaw("<svg></svg>").AddText("<svg>");
  EXPECT_EQ(div.Render(), "<div><svg></svg>&lt;svg&gt;</div>");
}

}  // namespace
}  // namespace goalloc::report::svg
