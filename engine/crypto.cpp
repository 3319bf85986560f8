#include "engine/crypto.h"

#include <nettle/sha2.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace duban {
namespace {

std::string Hex(const unsigned char* p, unsigned n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (unsigned i = 0; i < n; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 15];
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) { return Sha256().Update(data).HexDigest(); }

Sha256::Sha256() : ctx_(new sha256_ctx) { sha256_init(static_cast<sha256_ctx*>(ctx_)); }

Sha256::~Sha256() { delete static_cast<sha256_ctx*>(ctx_); }

Sha256& Sha256::Update(std::string_view data) {
  sha256_update(static_cast<sha256_ctx*>(ctx_), data.size(), reinterpret_cast<const uint8_t*>(data.data()));
  return *this;
}

std::string Sha256::HexDigest() {
  uint8_t md[SHA256_DIGEST_SIZE];
  sha256_digest(static_cast<sha256_ctx*>(ctx_), SHA256_DIGEST_SIZE, md);
  return Hex(md, SHA256_DIGEST_SIZE);
}

Result<FileDigest> Sha256File(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read evidence file '" + path + "': " + std::strerror(errno));
  Sha256 h;
  FileDigest d;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    h.Update(std::string_view(buf, static_cast<size_t>(in.gcount())));
    d.size += in.gcount();
  }
  if (in.bad()) return Status::IoError("error reading evidence file '" + path + "'");
  d.sha256 = h.HexDigest();
  return d;
}

Result<std::string> NewToken() {
  unsigned char raw[32];
  // The kernel's random source; blocks only until it is seeded at boot.
  size_t got = 0;
  while (got < sizeof raw) {
    ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::Internal(std::string("the system's random source failed: ") + std::strerror(errno));
    got += static_cast<size_t>(n);
  }
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "dbn_";
  unsigned bits = 0, acc = 0;
  for (unsigned char c : raw) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      out.push_back(kAlphabet[(acc >> (bits - 6)) & 63]);
      bits -= 6;
    }
  }
  if (bits) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

}  // namespace duban
