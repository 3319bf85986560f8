#include <catch2/catch.hpp>

#include "engine/text.h"

using namespace duban;

TEST_CASE("Text: display width counts CJK and full-width as two columns", "[text]") {
  CHECK(DisplayWidth("abc") == 3);
  CHECK(DisplayWidth("市科技局") == 8);
  CHECK(DisplayWidth("〔市、区〕") == 10);
  CHECK(DisplayWidth("A,B") == 3);
  CHECK(DisplayWidth("A，B") == 4);
  CHECK(PadRight("科技", 6) == "科技  ");
  CHECK(PadRight("科技局", 4) == "科技局");  // never truncates
}

TEST_CASE("Text: truncation keeps within the width and marks the cut", "[text]") {
  CHECK(TruncateToWidth("加强知识产权区域创新载体建设", 10) == "加强知识…");
  CHECK(DisplayWidth(TruncateToWidth("加强知识产权区域创新载体建设", 10)) <= 10);
  CHECK(TruncateToWidth("short", 10) == "short");
}

TEST_CASE("Text: invalid UTF-8 is found at its first bad byte", "[text]") {
  CHECK_FALSE(FindInvalidUtf8("中文 ok"));
  CHECK(FindInvalidUtf8(std::string("ab\xff", 3)) == 2u);
  CHECK(FindInvalidUtf8(std::string("a\0b", 3)) == 1u);
  CHECK(FindInvalidUtf8("\xc0\xaf") == 0u);          // overlong '/'
  CHECK(FindInvalidUtf8("\xed\xa0\x80") == 0u);      // surrogate
  CHECK(FindInvalidUtf8("\xe4\xb8") == 0u);          // truncated
}

TEST_CASE("Text: edit distance and suggestions", "[text]") {
  CHECK(EditDistance("kjju", "kjj") == 1);
  CHECK(EditDistance("titel", "title") == 1);  // adjacent swap
  CHECK(EditDistance("市科技厅", "市科技局") == 1);
  CHECK(ClosestMatch("kjju", {"kjj", "amr", "office"}) == std::optional<std::string>("kjj"));
  CHECK_FALSE(ClosestMatch("zzzzzz", {"kjj", "amr"}));
}

TEST_CASE("Text: unit names normalise across bracket and width variants", "[text]") {
  CHECK(NormalizeName("市市场监管局〔知识产权局〕") == NormalizeName("市市场监管局(知识产权局)"));
  CHECK(NormalizeName("市市场监管局（知识产权局）") == NormalizeName("市市场监管局(知识产权局)"));
  CHECK(NormalizeName("各县〔市、区〕人民政府") == NormalizeName("各县(市、区)人民政府"));
  CHECK(NormalizeName("市科技局") != NormalizeName("市科协"));
}

TEST_CASE("Text: slugs", "[text]") {
  CHECK(IsSlug("jj-amr"));
  CHECK(IsSlug("plan_2024"));
  CHECK_FALSE(IsSlug("JJ"));
  CHECK_FALSE(IsSlug("-x"));
  CHECK_FALSE(IsSlug("科技局"));
  CHECK_FALSE(IsSlug(""));
}
