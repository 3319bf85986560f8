// The README's walkthrough is run exactly as written.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "engine/file_io.h"
#include "tests/test_util.h"

TEST_CASE("README: the walkthrough runs as written", "[readme]") {
  std::string readme = *duban::ReadFile(duban::test::SourcePath("README.md"), 1 << 20);
  auto begin = readme.find("<!-- walkthrough -->\n```sh\n");
  auto end = readme.find("```\n<!-- /walkthrough -->");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  begin += std::string("<!-- walkthrough -->\n```sh\n").size();
  std::string script = readme.substr(begin, end - begin);
  std::string dir = duban::test::TempDir();
  std::filesystem::create_directories(dir + "/bin");
  std::filesystem::create_symlink(DUBAN_BINARY, dir + "/bin/duban");
  std::filesystem::create_directories(dir + "/plans/units");
  for (const char* f : {"plans/jiujiang.yaml", "plans/units/jiujiang.yaml"})
    std::filesystem::copy_file(duban::test::SourcePath(f), dir + "/" + f);
  std::ofstream(dir + "/walkthrough.sh") << "set -euo pipefail\nexport PATH=" << dir << "/bin:$PATH\n" << script;
  int rc = std::system(("cd " + dir + " && bash walkthrough.sh > out.txt 2>&1").c_str());
  std::string out = *duban::ReadFile(dir + "/out.txt", 1 << 20);
  INFO(out);
  REQUIRE(rc == 0);
  CHECK_THAT(out, Catch::Contains("已报送 1 条"));
  CHECK_THAT(out, Catch::Contains("已办结"));
  CHECK_THAT(out, Catch::Contains("审计通过"));
  CHECK_THAT(out, Catch::Contains("审计未通过"));
  CHECK_THAT(out, Catch::Contains("may not report") || Catch::Contains("has no assignment on task '4.4'"));
}
