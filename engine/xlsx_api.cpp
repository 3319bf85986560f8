#include "engine/xlsx_api.h"

#include <dlfcn.h>

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

}  // namespace duban::xl
