// The loader's YAML document against yaml-cpp's own tree: the same parser, so the same
// nodes, kinds, marks and text for every plan and for YAML's awkward corners.
#include <catch2/catch.hpp>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "engine/file_io.h"
#include "engine/yaml_doc.h"
#include "tests/test_util.h"

using namespace duban;
using duban::test::SourcePath;

namespace {

YamlType Expected(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null: return YamlType::kNull;
    case YAML::NodeType::Scalar: return YamlType::kScalar;
    case YAML::NodeType::Sequence: return YamlType::kSequence;
    case YAML::NodeType::Map: return YamlType::kMap;
    default: return YamlType::kUndefined;
  }
}

// Compares two trees node by node; counts the nodes compared.
void Same(const YAML::Node& want, const YamlNode& got, const std::string& path, size_t& nodes) {
  INFO(path);
  ++nodes;
  REQUIRE(got.Type() == Expected(want));
  CHECK(got.Mark().line == want.Mark().line);
  CHECK(got.Mark().column == want.Mark().column);
  if (want.IsScalar()) CHECK(got.Scalar() == want.Scalar());
  REQUIRE(got.size() == want.size());
  if (want.IsSequence()) {
    size_t i = 0;
    auto g = got.begin();
    for (auto w = want.begin(); w != want.end(); ++w, ++g, ++i) {
      REQUIRE(g != got.end());
      Same(*w, *g, path + "[" + std::to_string(i) + "]", nodes);
    }
    CHECK(g == got.end());
  } else if (want.IsMap()) {
    auto g = got.begin();
    for (auto w = want.begin(); w != want.end(); ++w, ++g) {
      REQUIRE(g != got.end());
      Same(w->first, g->first, path + " key", nodes);
      const std::string key = w->first.IsScalar() ? w->first.Scalar() : "?";
      Same(w->second, g->second, path + "." + key, nodes);
      if (w->first.IsScalar()) CHECK(static_cast<bool>(got[key]));
    }
    CHECK(g == got.end());
  }
}

size_t Compare(const std::string& text) {
  size_t nodes = 0;
  auto doc = YamlDocument::Parse(text);
  Same(YAML::Load(text), doc->root(), "root", nodes);
  return nodes;
}

}  // namespace

TEST_CASE("YAML document: every plan file reads as yaml-cpp's tree", "[yaml][loader]") {
  std::vector<std::string> files;
  for (const char* dir : {"plans", "plans/units", "tests/plans/good", "tests/plans/broken"})
    for (const auto& e : std::filesystem::directory_iterator(SourcePath(dir)))
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  REQUIRE(files.size() > 20);
  size_t compared = 0;
  for (const auto& f : files) {
    INFO(f);
    auto text = ReadFile(f, 16 << 20);
    REQUIRE(text.ok());
    bool yaml_cpp_ok = true;
    try {
      YAML::Load(*text);
    } catch (const YAML::Exception&) {
      yaml_cpp_ok = false;
    }
    if (!yaml_cpp_ok) {  // refused by both, with the same message at the same place
      std::string want, got;
      try { YAML::Load(*text); } catch (const YAML::Exception& e) { want = e.what(); }
      try { YamlDocument::Parse(*text); } catch (const YAML::Exception& e) { got = e.what(); }
      CHECK(got == want);
      continue;
    }
    compared += Compare(*text);
  }
  CHECK(compared > 5000);
}

TEST_CASE("YAML document: nulls, aliases, flow style, duplicates and missing keys", "[yaml][loader]") {
  CHECK(Compare("a: ~\nb: null\nc:\nd: 'null'\ne: \"~\"\nf: Null\n") == 13);
  CHECK(Compare("base: &b {x: 1, y: [2, 3]}\ncopy: *b\nlist: [*b, *b]\n") > 10);
  CHECK(Compare("- [a, {b: c}, [d, [e]]]\n- {? complex : key}\n- !!str 12\n- |\n  多行\n  文本\n") > 8);
  CHECK(Compare("k: 1\nk: 2\n") == 5);  // both pairs, in order, as yaml-cpp keeps them
  CHECK(Compare("first: 1\n---\nsecond: 2\n") == 3);  // the first document only
  CHECK(Compare("") == 1);
  CHECK(Compare("just text") == 1);
  auto doc = YamlDocument::Parse("base: &b {x: 1}\ncopy: *b\n");
  YamlNode root = doc->root();
  CHECK(root["copy"]["x"].Scalar() == "1");
  CHECK(!root["missing"]);
  CHECK(root["missing"].Type() == YamlType::kUndefined);
  CHECK(!root["base"]["x"]["deeper"]);
  CHECK(root["base"].Mark().line == root["copy"].Mark().line);  // an alias is its anchor's node
  CHECK(doc->nodes() == 6);  // the root, its 2 keys, the anchored map and its pair: no copy
  CHECK(root.begin()->first.Scalar() == "base");
  // Nested too deeply: the same guard, the same exception.
  std::string deep(3000, '[');
  CHECK_THROWS_AS(YamlDocument::Parse(deep), YAML::DeepRecursion);
  CHECK_THROWS_AS(YamlDocument::Parse("a: [1, 2\nb: 3\n"), YAML::ParserException);
  CHECK_THROWS_AS(YamlDocument::Parse("a: *nowhere\n"), YAML::ParserException);
}
