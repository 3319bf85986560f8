// Helpers shared by the tests: loading plans from the source tree, running the binary.
#pragma once

#include <string>
#include <vector>

#include "engine/loader.h"

namespace duban::test {

/// The source tree's path to `rel` (e.g. "plans/jiujiang.yaml").
std::string SourcePath(const std::string& rel);

/// Loads a plan file as `duban plan check` does; the diagnostic name is `name`.
LoadResult LoadFile(const std::string& path, const std::string& name = "");

/// Loads plan text with no units_file access.
LoadResult LoadText(const std::string& text, const std::string& name = "test.yaml");

/// All diagnostics formatted as the CLI prints them.
std::string FormatAll(const LoadResult& r);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs the built duban with `args` (shell-quoted here) in directory `cwd`,
/// with extra environment assignments `env` ("NAME=value").
RunResult RunDuban(const std::vector<std::string>& args, const std::string& cwd = "",
                   const std::vector<std::string>& env = {}, const std::string& stdin_text = "");

/// A fresh empty temporary directory, removed at exit.
std::string TempDir();

/// The bytes of a file, or "" when it cannot be read.
std::string ReadBytes(const std::string& path);

/// The example store of plans/examples/jiujiang-history.sh, built once per test run.
/// Tests copy it (CopyStore) rather than write to it.
const std::string& ExampleStore();
/// Copies a store file (with its WAL) to `dir`/duban.db; returns the new path.
std::string CopyStore(const std::string& db, const std::string& dir);

}  // namespace duban::test
