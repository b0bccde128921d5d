// The one set of formatters and text-safety functions (heapscope/text.h).
#include "heapscope/text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace heapscope::text {
namespace {

TEST(Text, Thousands) {
  EXPECT_EQ(Thousands(uint64_t{0}), "0");
  EXPECT_EQ(Thousands(uint64_t{999}), "999");
  EXPECT_EQ(Thousands(uint64_t{1000}), "1,000");
  EXPECT_EQ(Thousands(24891), "24,891");
  EXPECT_EQ(Thousands(uint32_t{1234567}), "1,234,567");
  EXPECT_EQ(Thousands(std::numeric_limits<uint64_t>::max()), "18,446,744,073,709,551,615");
  EXPECT_EQ(Thousands(-1600), "-1,600");
  EXPECT_EQ(Thousands(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
  EXPECT_EQ(Thousands(7921.6), "7,922");
  EXPECT_EQ(Thousands(-1234.4), "-1,234");
  EXPECT_EQ(Thousands(-0.2), "0");
  EXPECT_EQ(Signed(0), "0");
  EXPECT_EQ(Signed(1600), "+1,600");
  EXPECT_EQ(Signed(-1600), "-1,600");
  EXPECT_EQ(Signed(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
}

TEST(Text, BytesDurationsRates) {
  EXPECT_EQ(Bytes(0), "0 B");
  EXPECT_EQ(Bytes(999), "999 B");
  EXPECT_EQ(Bytes(1536), "1.5 kB");
  EXPECT_EQ(Bytes(4915200), "4.92 MB");
  EXPECT_EQ(Bytes(1300000000), "1.30 GB");
  EXPECT_EQ(Bytes(2.1e12), "2.10 TB");
  EXPECT_EQ(Bytes(-1536), "-1.5 kB");
  EXPECT_EQ(Duration(41), "41 s");
  EXPECT_EQ(Duration(342.58), "5.7 min");
  EXPECT_EQ(Duration(1080), "18 min");
  EXPECT_EQ(Duration(14149), "3h56m");
  EXPECT_EQ(Duration(10080), "2h48m");
  EXPECT_EQ(Duration(3.2 * 86400), "3.2 days");
  EXPECT_EQ(Duration(-41), "-41 s");
  EXPECT_EQ(Duration(std::numeric_limits<double>::infinity()), "never");
  EXPECT_EQ(RatePerHour(280.65e6 / 3600, true), "+280.65 MB/h");
  EXPECT_EQ(RatePerHour(-673.0 / 3600, false), "-673/h");
  EXPECT_EQ(RatePerHour(0.4 / 3600, false), "+0.4/h");
  EXPECT_DOUBLE_EQ(Percent(1, 4), 25.0);
  EXPECT_DOUBLE_EQ(Percent(1, 0), 0.0);
}

TEST(Text, Sites) {
  EXPECT_EQ(Site("", 3, 9), "(unknown site)");
  EXPECT_EQ(Site("app.js", 0, 0), "app.js");
  EXPECT_EQ(Site("app.js", 3, 0), "app.js:3");
  EXPECT_EQ(Site("app.js", 3, 9), "app.js:3:9");
}

TEST(Text, TerminalSafeShowsControlsAndRepairsUtf8) {
  EXPECT_EQ(TerminalSafe("plain ü €"), "plain ü €");
  EXPECT_EQ(TerminalSafe("\x1b[2J\x07"), "\\x1b[2J\\x07");
  EXPECT_EQ(TerminalSafe(std::string_view("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(TerminalSafe("a\nb\tc\x7f"), "a\\x0ab\\x09c\\x7f");
  EXPECT_EQ(TerminalSafe("\xc2\x9b" "31m"), "\\x9b31m");  // the 8-bit CSI
  EXPECT_EQ(TerminalSafe("P\xffQ\xc3"), "P\uFFFDQ\uFFFD");
  EXPECT_EQ(TerminalSafe("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD");  // an encoded surrogate
}

TEST(Text, ValidUtf8) {
  EXPECT_TRUE(IsValidUtf8("ascii ü € 😀"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));  // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));  // truncated
  EXPECT_EQ(ValidUtf8("Presence\xffService\xc3"), "Presence\uFFFDService\uFFFD");
  EXPECT_EQ(ValidUtf8("\x1b ok"), "\x1b ok");  // controls are the terminal function's job
}

TEST(Text, Columns) {
  EXPECT_EQ(Columns("añb…"), 4u);
  EXPECT_EQ(Ellipsize("abcdef", 4), "abc…");
  EXPECT_EQ(Ellipsize("abcd", 4), "abcd");
  EXPECT_EQ(Ellipsize("ééééé", 3), "éé…");
  EXPECT_EQ(PadRight("é", 3), "é  ");
  EXPECT_EQ(PadRight("abcd", 2), "abcd");
}

}  // namespace
}  // namespace heapscope::text
