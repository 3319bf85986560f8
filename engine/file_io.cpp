#include "engine/file_io.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace duban {

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound("no such file");
    return Status::IoError(std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return Status::InvalidInput("is a directory");
  if (S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) > max_bytes) {
    return Status::InvalidInput("file is too large (" + std::to_string(st.st_size) +
                                " bytes; limit " + std::to_string(max_bytes) + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(std::string("cannot open: ") + std::strerror(errno));
  std::string data;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > max_bytes)  // a pipe or device that keeps going
      return Status::InvalidInput("file is too large (limit " + std::to_string(max_bytes) + " bytes)");
  }
  if (in.bad()) return Status::IoError("read error");
  return data;
}

std::string DirName(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

}  // namespace duban
