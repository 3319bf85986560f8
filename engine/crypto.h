// Hashes (Nettle's SHA-256) and random tokens (the kernel's getrandom).
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace duban {

/// SHA-256 of `data`, lower-case hex.
std::string Sha256Hex(std::string_view data);

/// SHA-256 over data given in pieces, for inputs too large to gather first.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Sha256& Update(std::string_view data);
  /// The digest, lower-case hex; the object is spent afterwards.
  std::string HexDigest();

 private:
  void* ctx_;
};

/// SHA-256 of a file's bytes, streamed; with its size.
struct FileDigest {
  std::string sha256;
  int64_t size = 0;
};
Result<FileDigest> Sha256File(const std::string& path);

/// A new secret token: "dbn_" and 43 characters of base64url from 32 random bytes.
Result<std::string> NewToken();

}  // namespace duban
