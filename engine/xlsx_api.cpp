#include "engine/xlsx_api.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <mutex>
#include <string>
#include <type_traits>

namespace duban::xl {
namespace {

constexpr const char* kLibrary = "libxlsxwriter.so.4";

Api api;
std::string load_error;

void Open() {
  void* lib = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    load_error = std::string("workbooks need libxlsxwriter (Debian package libxlsxwriter4): ") +
                 (why != nullptr ? why : kLibrary);
    return;
  }
  const char* missing = nullptr;
  auto find = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
    if (fn == nullptr && missing == nullptr) missing = name;
  };
#define DUBAN_XLSX_FIND(name) find(api.name, #name);
  DUBAN_XLSX_FUNCTIONS(DUBAN_XLSX_FIND)
#undef DUBAN_XLSX_FIND
  if (missing != nullptr)
    load_error = std::string("the ") + kLibrary + " found lacks " + missing + ", which duban uses";
}

}  // namespace

Status Load() {
  static std::once_flag once;
  std::call_once(once, Open);
  if (!load_error.empty()) return Status::Internal(load_error);
  return Status::Ok();
}

const Api& Loaded() { return api; }

// Checks `path` can be written without truncating it (libxlsxwriter would print its
// own error to stderr); `existed` says whether to remove the file on a later failure.
namespace {

Status ProbeWritable(const std::string& path, bool* existed) {
  struct stat st;
  *existed = ::stat(path.c_str(), &st) == 0;
  std::FILE* probe = std::fopen(path.c_str(), "ab");  // "a": never truncates
  if (probe == nullptr)
    return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  std::fclose(probe);
  return Status::Ok();
}

}  // namespace

// A new workbook at `path`, after checking that it can be written there (so that
// libxlsxwriter has nothing to print). *existed says whether a file was there before.
Result<lxw_workbook*> OpenWorkbook(const std::string& path, bool* existed) {
  if (Status s = Load(); !s.ok()) return s;
  if (Status s = ProbeWritable(path, existed); !s.ok()) return s;
  lxw_workbook* wb = xl::workbook_new(path.c_str());
  if (wb == nullptr) {
    if (!*existed) std::remove(path.c_str());
    return Status::IoError("cannot create workbook " + path);
  }
  return wb;
}

// Closes (writes and frees) the workbook; on any error removes a file we created.
Status CloseWorkbook(lxw_workbook* wb, lxw_error first_error, const std::string& path,
                     bool existed) {
  lxw_error closed = xl::workbook_close(wb);
  Status s;
  if (first_error != LXW_NO_ERROR)
    s = Status::InvalidInput("cannot build workbook " + path + ": " + xl::lxw_strerror(first_error));
  else if (closed != LXW_NO_ERROR)
    s = Status::IoError("cannot write " + path + ": " + xl::lxw_strerror(closed));
  if (!s.ok() && !existed) std::remove(path.c_str());
  return s;
}

}  // namespace duban::xl
