// Source Map v3: VLQ, lookup, index maps, comments, data: URLs and damage, exact values.
#include "heapscope/sourcemap/sourcemap.h"

#include <gtest/gtest.h>

namespace heapscope::sourcemap {
namespace {

TEST(Vlq, DecodesTheSpecExamples) {
  // 0 = A, 1 = C, -1 = D, 15 = e, 16 = gB, -16 = hB, 123456 = gkxH.
  const std::pair<const char*, int32_t> cases[] = {
      {"A", 0}, {"C", 1}, {"D", -1}, {"e", 15}, {"gB", 16}, {"hB", -16}, {"gkxH", 123456}};
  for (const auto& [text, want] : cases) {
    size_t pos = 0;
    int32_t v = 7;
    ASSERT_TRUE(DecodeVlq(text, &pos, &v)) << text;
    EXPECT_EQ(v, want) << text;
    EXPECT_EQ(pos, std::string_view(text).size());
  }
}

TEST(Vlq, RefusesDamage) {
  int32_t v = 0;
  for (const char* bad : {"g", "!", "gggggggggA", ""}) {
    size_t pos = 0;
    EXPECT_FALSE(DecodeVlq(bad, &pos, &v)) << bad;
    EXPECT_EQ(pos, 0u) << bad;
  }
}

// Line 0: col 0 -> a.ts 0:0; col 10 -> a.ts 2:4 named "f". Line 2: col 4 -> b.ts 0:0.
constexpr const char* kMap =
    R"({"version":3,"file":"out.js","sourceRoot":"src","sources":["a.ts","b.ts"],)"
    R"("names":["f"],"mappings":"AAAA,UAEIA;;ICFJ"})";

TEST(SourceMap, LooksUpTheGreatestLowerBoundOnTheLine) {
  Result<SourceMap> m = ParseSourceMap(kMap, "out.js.map");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->file, "out.js");
  EXPECT_EQ(m->sources, (std::vector<std::string>{"src/a.ts", "src/b.ts"}));
  ASSERT_EQ(m->segments.size(), 3u);
  auto at = [&](uint32_t l, uint32_t c) { return Lookup(*m, l, c); };
  ASSERT_TRUE(at(0, 0));
  EXPECT_EQ(at(0, 0)->source, "src/a.ts");
  EXPECT_EQ(at(0, 9)->line, 0u);
  EXPECT_EQ(at(0, 10)->line, 2u);
  EXPECT_EQ(at(0, 10)->column, 4u);
  EXPECT_EQ(at(0, 10)->name, "f");
  EXPECT_EQ(at(0, 500)->line, 2u);
  EXPECT_FALSE(at(1, 0));  // an empty line maps nothing
  EXPECT_FALSE(at(2, 3));  // before the line's first segment
  EXPECT_EQ(at(2, 4)->source, "src/b.ts");
  EXPECT_EQ(at(2, 4)->line, 0u);
}

TEST(SourceMap, IndexMapSectionsAreShiftedAndMayNotOverlap) {
  const std::string index =
      R"({"version":3,"sections":[)"
      R"({"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.ts"],"mappings":"AAAA;AACA"}},)"
      R"({"offset":{"line":1,"column":5},"map":{"version":3,"sources":["b.ts"],"mappings":"AAAA,EAAE"}}]})";
  Result<SourceMap> m = ParseSourceMap(index, "index.map");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->sections, 2u);
  // a.ts's second line (generated 1:0) is kept; b.ts starts at 1:5, its second segment at 1:7.
  EXPECT_EQ(Lookup(*m, 1, 0)->source, "a.ts");
  EXPECT_EQ(Lookup(*m, 1, 0)->line, 1u);
  EXPECT_EQ(Lookup(*m, 1, 5)->source, "b.ts");
  EXPECT_EQ(Lookup(*m, 1, 7)->column, 2u);
  EXPECT_EQ(m->damaged_segments, 0u);
  // A first section reaching past the second's offset: those segments are damage.
  const std::string overlap =
      R"({"version":3,"sections":[)"
      R"({"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.ts"],"mappings":"AAAA,oBAAC"}},)"
      R"({"offset":{"line":0,"column":10},"map":{"version":3,"sources":["b.ts"],"mappings":"AAAA"}}]})";
  Result<SourceMap> o = ParseSourceMap(overlap, "overlap.map");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->damaged_segments, 1u);
  EXPECT_EQ(Lookup(*o, 0, 20)->source, "b.ts");
}

TEST(SourceMap, DamageInMappingsIsCountedNotFatal) {
  // A bad character, a 2-field segment, a source index past `sources` (relative state goes on:
  // the next segment's -1 brings it back), then good segments.
  Result<SourceMap> m = ParseSourceMap(
      R"({"version":3,"sources":["a.ts"],"mappings":"A!AA,AA,ACAA,ADAA;AACA"})", "d.map");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->damaged_segments, 3u);
  EXPECT_EQ(m->segments.size(), 2u);
  ASSERT_TRUE(Lookup(*m, 1, 0));
  EXPECT_EQ(Lookup(*m, 1, 0)->line, 1u);
}

TEST(SourceMap, ErrorsNameTheMapTheFieldAndTheByte) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"version":3,"sources":[],"mappings":)", "m.map: byte 37: malformed JSON: Invalid value."},
      {R"({"version":2,"sources":[],"mappings":""})", "m.map: field 'version': not a version 3 source map"},
      {R"({"version":3,"sources":[]})", "m.map: field 'mappings': missing, or not a string"},
      {R"({"version":3,"mappings":""})", "m.map: field 'sources': missing, or not an array"},
      {R"([1])", "m.map: byte 0: a source map is a JSON object"},
      {R"({"version":3,"sections":[{"offset":{"line":0,"column":0},"url":"x.map"}]})",
       "m.map: field 'sections[0].url': sections that point at another map by URL are not "
       "supported; embed the map (`map`)"},
      {R"({"version":3,"sections":[{"offset":{"line":2,"column":0},"map":{"version":3,"sources":[],"mappings":""}},{"offset":{"line":1,"column":0},"map":{"version":3,"sources":[],"mappings":""}}]})",
       "m.map: field 'sections[1].offset': 1:0 comes before the previous section's 2:0"},
  };
  for (const auto& [json, want] : cases) {
    Result<SourceMap> m = ParseSourceMap(json, "m.map");
    ASSERT_FALSE(m.ok()) << json;
    EXPECT_EQ(m.status().message(), want);
  }
  std::string deep(100000, '[');
  Result<SourceMap> d = ParseSourceMap(deep, "deep.map");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "deep.map: byte 64: JSON nested deeper than 64 levels is refused");
}

TEST(SourceMap, FindsTheLastMappingComment) {
  EXPECT_EQ(FindSourceMappingUrl("x();\n//# sourceMappingURL=a.js.map\n"), "a.js.map");
  EXPECT_EQ(FindSourceMappingUrl("//# sourceMappingURL=old.map\nx();\n//@ sourceMappingURL=b.map  \r\n\n"),
            "b.map");
  EXPECT_EQ(FindSourceMappingUrl("//# sourceMappingURL=a.map\nx();\n"), "");  // code after it
  EXPECT_EQ(FindSourceMappingUrl("s = '//# sourceMappingURL=x.map';"), "");
  EXPECT_EQ(FindSourceMappingUrl(""), "");
}

TEST(SourceMap, DecodesDataUrls) {
  // {"a":1} in Base64 and percent-encoded.
  EXPECT_EQ(*DecodeDataUrl("data:application/json;base64,eyJhIjoxfQ=="), R"({"a":1})");
  EXPECT_EQ(*DecodeDataUrl("data:application/json;charset=utf-8;base64,eyJhIjoxfQ"), R"({"a":1})");
  EXPECT_EQ(*DecodeDataUrl("data:application/json,%7B%22a%22:1%7D"), R"({"a":1})");
  EXPECT_EQ(DecodeDataUrl("data:application/json;base64,ey!h").status().message(),
            "bad Base64 character at character 2 of the payload");
  EXPECT_EQ(DecodeDataUrl("data:image/png;base64,AA").status().message(),
            "media type 'image/png' is not JSON");
  EXPECT_EQ(DecodeDataUrl("data:application/json,%7").status().message(),
            "bad percent escape at character 0");
  EXPECT_FALSE(DecodeDataUrl("file:///x.map").ok());
}

}  // namespace
}  // namespace heapscope::sourcemap
