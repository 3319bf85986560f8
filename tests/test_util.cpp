#include "tests/test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "engine/file_io.h"

namespace duban::test {
namespace fs = std::filesystem;

std::string SourcePath(const std::string& rel) { return std::string(DUBAN_SOURCE_DIR) + "/" + rel; }

LoadResult LoadFile(const std::string& path, const std::string& name) {
  auto text = ReadFile(path, kMaxPlanBytes);
  if (!text.ok()) {
    LoadResult r;
    r.unusable = true;
    r.diagnostics.Error(Location{}, text.status().message());
    return r;
  }
  std::string dir = DirName(path);
  return LoadPlan(name.empty() ? path : name, std::move(text.value()),
                  [dir](const std::string& rel) { return ReadFile(dir + rel, kMaxPlanBytes); });
}

LoadResult LoadText(const std::string& text, const std::string& name) {
  return LoadPlan(name, text, NoFileReader());
}

std::string FormatAll(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics.items()) out += FormatDiagnostic(d);
  return out;
}

static std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

static std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string TempDir() {
  static int counter = 0;
  fs::path p = fs::temp_directory_path() /
               ("duban-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(p);
  fs::create_directories(p);
  struct Cleanup {
    std::vector<fs::path> dirs;
    ~Cleanup() {
      std::error_code ec;
      for (const auto& d : dirs) fs::remove_all(d, ec);
    }
  };
  static Cleanup cleanup;
  cleanup.dirs.push_back(p);
  return p.string();
}

RunResult RunDuban(const std::vector<std::string>& args, const std::string& cwd,
                   const std::vector<std::string>& env, const std::string& stdin_text) {
  std::string dir = TempDir();
  std::string out = dir + "/out", err = dir + "/err", in = dir + "/in";
  { std::ofstream f(in, std::ios::binary); f << stdin_text; }
  std::string cmd;
  if (!cwd.empty()) cmd += "cd " + ShellQuote(cwd) + " && ";
  cmd += "env";
  for (const auto& e : env) cmd += " " + ShellQuote(e);
  cmd += " " + ShellQuote(DUBAN_BINARY);
  for (const auto& a : args) cmd += " " + ShellQuote(a);
  cmd += " <" + ShellQuote(in) + " >" + ShellQuote(out) + " 2>" + ShellQuote(err);
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  fs::remove_all(dir);
  return r;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const std::string& ExampleStore() {
  static const std::string db = [] {
    std::string dir = TempDir();
    std::string path = dir + "/example.db";
    std::string cmd = "bash " + SourcePath("plans/examples/jiujiang-history.sh") + " " + path + " " + DUBAN_BINARY +
                      " > " + dir + "/build.log 2>&1";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("the example history did not build; see " + dir + "/build.log");
    return path;
  }();
  return db;
}

std::string CopyStore(const std::string& db, const std::string& dir) {
  std::string to = dir + "/duban.db";
  fs::copy_file(db, to, fs::copy_options::overwrite_existing);
  for (const char* ext : {"-wal", "-shm"})
    if (fs::exists(db + ext)) fs::copy_file(db + ext, to + ext, fs::copy_options::overwrite_existing);
  return to;
}

}  // namespace duban::test
