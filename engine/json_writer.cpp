#include "engine/json_writer.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace duban {

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  // Runs of bytes that need no escape (nearly all of a Chinese text) are copied whole.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void JsonWriter::Indent(int level) { out_.append(static_cast<size_t>(2 * level), ' '); }

// A value in an array starts on its own line; after a key it follows the key.
void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (counts_.empty()) return;
  out_ += counts_.back()++ ? ",\n" : "\n";
  Indent(level_ + static_cast<int>(counts_.size()));
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  out_ += counts_.back()++ ? ",\n" : "\n";
  Indent(level_ + static_cast<int>(counts_.size()));
  AppendJsonString(out_, key);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::Open(char c) {
  BeforeValue();
  out_ += c;
  counts_.push_back(0);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  const int n = counts_.back();
  counts_.pop_back();
  if (n) {
    out_ += '\n';
    Indent(level_ + static_cast<int>(counts_.size()));
  }
  out_ += c;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonString(out_, s);
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  BeforeValue();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t n) {
  BeforeValue();
  out_ += std::to_string(n);
  return *this;
}

JsonWriter& JsonWriter::Double(double d) {
  BeforeValue();
  out_ += nlohmann::json(d).dump();
  return *this;
}

}  // namespace duban
