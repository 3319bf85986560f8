// The streaming JSON writer against the JSON library's own dump(2) of the same document.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>

#include "engine/json_writer.h"

using duban::JsonWriter;
using ojson = nlohmann::ordered_json;

namespace {

// Writes `j` through JsonWriter, member by member.
void Write(JsonWriter& w, const ojson& j) {
  if (j.is_object()) {
    w.BeginObject();
    for (auto it = j.begin(); it != j.end(); ++it) {
      w.Key(it.key());
      Write(w, it.value());
    }
    w.EndObject();
  } else if (j.is_array()) {
    w.BeginArray();
    for (const auto& e : j) Write(w, e);
    w.EndArray();
  } else if (j.is_string()) {
    w.String(j.get<std::string>());
  } else if (j.is_boolean()) {
    w.Bool(j.get<bool>());
  } else if (j.is_null()) {
    w.Null();
  } else if (j.is_number_float()) {
    w.Double(j.get<double>());
  } else {
    w.Int(j.get<int64_t>());
  }
}

std::string Written(const ojson& j) {
  std::string out;
  JsonWriter w(out);
  Write(w, j);
  return out;
}

}  // namespace

TEST_CASE("JsonWriter: the same bytes as the library's dump(2)", "[json]") {
  const std::vector<ojson> docs = {
      ojson::object(),
      ojson::array(),
      ojson("text"),
      ojson(nullptr),
      ojson{{"a", ojson::array()}, {"b", ojson::object()}, {"c", {1, 2, 3}}},
      ojson{{"中文", "市市场监管局〔知识产权局〕"}, {"escapes", "\"q\" \\ \b\f\n\r\t \x01 \x1f \x7f /"}},
      ojson{{"numbers", {0, -1, 1234567890123LL, 5.0, 277.64, 0.1, -2.5e-7, 1e21, 398.2}}},
      ojson{{"nested", {{"deeper", {{"deepest", {ojson::array(), ojson::object(), {{"k", true}}}}}}}}, {"f", false}},
      ojson::parse(R"({"plan": {"id": "x", "period": {"start": "2025-01-01"}}, "tasks": [{"id": "1", "lead": [{"id": "a"}], "milestones": []}]})"),
  };
  for (const auto& j : docs) {
    INFO(j.dump());
    CHECK(Written(j) == j.dump(2));
  }
}

TEST_CASE("JsonWriter: a document written deeper in starts at its level", "[json]") {
  std::string out;
  JsonWriter w(out, 2);
  w.BeginObject().Member("plan", "x").Key("list").BeginArray().Int(1).EndArray().EndObject();
  CHECK(out == "{\n      \"plan\": \"x\",\n      \"list\": [\n        1\n      ]\n    }");
}
