// The page frame of the HTML report (see html_page.h).
#include "src/report/html_page.h"

#include <algorithm>
#include <utility>

#include "src/report/units.h"

namespace goalloc::report {
namespace {

// Sized so that at 1280 px the charts (1120 px wide) are drawn at their natural size.
constexpr std::string_view kStyle = R"css(
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#222;
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif}
main{max-width:1240px;margin:0 auto;padding:20px 24px 40px}
header h1{font-size:24px;margin:0 0 2px}
header p{margin:0;color:#555;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:14px;margin:18px 0}
.card{background:#fff;border:1px solid #dcdfe4;border-radius:8px;padding:12px 16px}
.card .label{color:#555;font-size:13px}
.card .value{font-size:26px;font-weight:600;font-variant-numeric:tabular-nums}
.card .detail{color:#666;font-size:12px}
section{background:#fff;border:1px solid #dcdfe4;border-radius:8px;padding:16px 20px;margin:18px 0}
section.alert{border-color:#d55e00;background:#fff4ec}
section.alert h2{color:#a33a00}
h2{font-size:19px;margin:0 0 6px}
h3{font-size:15px;margin:18px 0 2px}
figure{margin:6px 0 18px}
svg.chart{display:block;width:100%;max-width:1120px;height:auto;margin:6px 0}
.multiples{display:grid;grid-template-columns:repeat(4,1fr);gap:6px;max-width:1120px}
.multiples h4{margin:6px 0 0;font-size:13px;text-align:center}
.note{color:#555;font-size:13px;margin:2px 0 6px;max-width:1000px}
table{border-collapse:collapse;font-size:13px;margin:4px 0}
th,td{padding:3px 10px;border-bottom:1px solid #eceef1;text-align:left;white-space:nowrap}
th{background:#f0f2f5;font-weight:600;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td[title]{text-decoration:underline dotted #aaa}
.table-wrap{overflow:auto;max-height:420px}
details summary{cursor:pointer;color:#0b5cad;margin:4px 0}
.hover:hover{fill-opacity:.07}
.bars rect:hover{opacity:.8}
footer{color:#777;font-size:12px;margin-top:24px}
)css";

}  // namespace

HtmlPage::HtmlPage(std::string_view title, std::string_view subtitle) {
  html_.Set("lang", "en");
  svg::Element& head = html_.Add("head");
  head.Add("meta").Set("charset", "utf-8");
  head.Add("meta").Set("name", "viewport").Set("content", "width=device-width, initial-scale=1");
  head.Add("title").AddText(title);
  head.Add("style").AddRaw(kStyle);
  main_ = &html_.Add("body").Add("main");
  svg::Element& header = main_->Add("header");
  header.Add("h1").AddText(title);
  header.Add("p").AddText(subtitle);
}

void HtmlPage::AddFailedChecks(const std::vector<std::string>& failed) {
  if (failed.empty()) return;
  svg::Element& s = main_->Add("section").Set("class", "alert").Set("id", "failed-checks");
  s.Add("h2").AddText(std::to_string(failed.size()) +
                      (failed.size() == 1 ? " check failed" : " checks failed"));
  svg::Element& list = s.Add("ul");
  for (const std::string& why : failed) list.Add("li").AddText(why);
}

void HtmlPage::AddCard(std::string_view label, std::string_view value, std::string_view detail) {
  if (!cards_) cards_ = &main_->Add("div").Set("class", "cards");
  svg::Element& card = cards_->Add("div").Set("class", "card");
  card.Add("div").Set("class", "label").AddText(label);
  card.Add("div").Set("class", "value").AddText(value);
  card.Add("div").Set("class", "detail").AddText(detail);
}

svg::Element& HtmlPage::AddSection(std::string_view id, std::string_view heading) {
  svg::Element& s = main_->Add("section").Set("id", id);
  s.Add("h2").AddText(heading);
  return s;
}

std::string HtmlPage::Render() const { return "<!DOCTYPE html>\n" + html_.Render() + "\n"; }

void AddFigure(svg::Element& section, std::string_view chart_id, std::string_view heading,
               std::string_view note, svg::Element chart, svg::Element table) {
  svg::Element& figure = section.Add("figure").Set("data-chart", chart_id);
  figure.Add("h3").AddText(heading);
  if (!note.empty()) AddNote(figure, note);
  figure.Add(std::move(chart));
  figure.Add(std::move(table));
}

ValueFormat BytesFormat() {
  return [](double v) { return FormatBytes(uint64_t(std::max(v, 0.0))); };
}
ValueFormat CountFormat() {
  return [](double v) { return FormatCount(uint64_t(std::max(v, 0.0))); };
}
ValueFormat PercentFormat() {
  return [](double v) { return FormatPercent(v); };
}
ValueFormat NanosecondsFormat() {
  return [](double v) { return FormatNanoseconds(uint64_t(std::max(v, 0.0))); };
}

svg::XYChartSpec BytesOverCountChart(std::string description, std::string x_title,
                                     std::string y_title) {
  svg::XYChartSpec spec;
  spec.description = std::move(description);
  spec.x_title = std::move(x_title);
  spec.y_title = std::move(y_title);
  spec.format_x = CountFormat();
  spec.format_y = BytesFormat();
  return spec;
}

void AddNote(svg::Element& parent, std::string_view text) {
  parent.Add("p").Set("class", "note").AddText(text);
}

}  // namespace goalloc::report
