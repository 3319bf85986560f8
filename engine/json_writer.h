// JSON written as it is produced, byte for byte what the JSON library's dump(2) writes
// for the same document: two spaces a level, "key": value, empty containers as {} and
// [], UTF-8 kept and control characters escaped. For documents too large to build as a
// tree first (a plan of ten thousand tasks, every assignment of a province).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace duban {

/// A JSON string as the JSON library writes it.
void AppendJsonString(std::string& out, std::string_view s);

class JsonWriter {
 public:
  /// Appends to `out`; `level` is the indentation level the document starts at.
  explicit JsonWriter(std::string& out, int level = 0) : out_(out), level_(level) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  /// The next member's key, in an object.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Null();
  JsonWriter& Bool(bool b);
  JsonWriter& Int(int64_t n);
  /// A number as the JSON library formats a double (shortest form that reads back).
  JsonWriter& Double(double d);
  JsonWriter& StringOrNull(bool present, std::string_view s) { return present ? String(s) : Null(); }

  // Shorthands: a member in one call. A string literal or std::string has its own
  // overload: without them it would convert to bool before to string_view.
  JsonWriter& Member(std::string_view key, std::string_view s) { return Key(key).String(s); }
  JsonWriter& Member(std::string_view key, const char* s) { return Key(key).String(s); }
  JsonWriter& Member(std::string_view key, const std::string& s) { return Key(key).String(s); }
  JsonWriter& Member(std::string_view key, bool b) { return Key(key).Bool(b); }
  JsonWriter& Member(std::string_view key, int n) { return Key(key).Int(n); }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void BeforeValue();
  void Indent(int level);

  std::string& out_;
  int level_;
  std::vector<int> counts_;  // per open container: members or entries written
  bool after_key_ = false;
};

}  // namespace duban
