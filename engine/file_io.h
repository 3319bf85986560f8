// Reading files with a size limit, as values.
#pragma once

#include <string>

#include "engine/status.h"

namespace duban {

/// Reads a whole file. Fails with kNotFound if missing, kInvalidInput if larger than
/// `max_bytes` or a directory, kIoError otherwise. Messages give the reason only;
/// callers name the file.
Result<std::string> ReadFile(const std::string& path, size_t max_bytes);

/// The directory part of `path` ("" for a bare name).
std::string DirName(const std::string& path);

}  // namespace duban
