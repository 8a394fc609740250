#include "report/table.h"

#include <gtest/gtest.h>

namespace salesradar::report {
namespace {

TEST(TableTest, AlignsChineseAndLatinCells) {
  Table table({{"阶段", Align::kLeft}, {"商机数", Align::kRight}});
  table.AddRow({"赢单", "4,238"});
  table.AddRow({"Prospecting", "500"});
  table.AddRule();
  table.AddRow({"合计", "4,738"});

  EXPECT_EQ(table.Render(),
            "阶段         商机数\n"
            "-----------  ------\n"
            "赢单          4,238\n"
            "Prospecting     500\n"
            "-----------  ------\n"
            "合计          4,738\n");
}

TEST(TableTest, TrimsTrailingSpaces) {
  Table table({{"a", Align::kLeft}, {"name", Align::kLeft}});
  table.AddRow({"1", "x"});
  EXPECT_EQ(table.Render(), "a  name\n-  ----\n1  x\n");
}

}  // namespace
}  // namespace salesradar::report
