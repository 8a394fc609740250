// Helpers for the report's integration tests: temporary folders and running the real
// `salesradar` binary (its path comes from the build as SALESRADAR_BIN).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>

namespace salesradar::report::testing {

namespace fs = std::filesystem;

// A fresh folder under the system's temporary folder, removed with everything in it.
class TempDirectory {
 public:
  explicit TempDirectory(const std::string& prefix) {
    path_ = fs::temp_directory_path() /
            (prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

inline std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CommandOutput {
  int status = -1;   // the exit status, or -1 when the command could not run
  std::string text;  // standard output followed by standard error
};

// Runs a shell command and returns its exit status and output. Standard error is captured
// into a file so that it cannot interleave with the JSON on standard output.
inline CommandOutput RunCommand(const std::string& command) {
  char error_path[] = "/tmp/salesradar_stderr_XXXXXX";
  int error_fd = ::mkstemp(error_path);
  if (error_fd >= 0) {
    ::close(error_fd);
  }

  CommandOutput output;
  std::string full = command + " 2>" + ShellQuote(error_path);
  if (FILE* pipe = ::popen(full.c_str(), "r")) {
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
      output.text.append(buffer, n);
    }
    int status = ::pclose(pipe);
    output.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  output.text += ReadFile(error_path);
  std::remove(error_path);
  return output;
}

// Runs the salesradar binary with `arguments`.
inline CommandOutput RunSalesradar(std::initializer_list<std::string> arguments) {
  std::string command = ShellQuote(SALESRADAR_BIN);
  for (const std::string& argument : arguments) {
    command += " " + ShellQuote(argument);
  }
  return RunCommand(command);
}

inline fs::path SampleDataDirectory() {
  return fs::path(SALESRADAR_SOURCE_DIR) / "examples" / "data" / "crm-sales-opportunities";
}

// Imports the four files of a folder laid out like the bundled sample (sales_teams.csv,
// accounts.csv, products.csv, sales_pipeline.csv) with the sample's mapping files, through
// scripts/import_sample.sh as `make run` does. Returns the script's exit status; its output
// goes to `log`.
inline int ImportSample(const fs::path& data_directory, const std::string& database,
                        const fs::path& log) {
  std::string command = ShellQuote(std::string(SALESRADAR_SOURCE_DIR) + "/scripts/import_sample.sh") +
                        " " + ShellQuote(SALESRADAR_BIN) + " " + ShellQuote(database) + " " +
                        ShellQuote(data_directory.string()) + " >" + ShellQuote(log.string()) +
                        " 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Imports one file with one of the sample's mapping files. Returns the exit status.
inline int ImportOne(const fs::path& file, const std::string& mapping,
                     const std::string& database, const fs::path& log) {
  fs::path mapping_path = fs::path(SALESRADAR_SOURCE_DIR) / "examples" / "mappings" / mapping;
  std::string command = ShellQuote(SALESRADAR_BIN) + " --database " + ShellQuote(database) +
                        " import --mapping " + ShellQuote(mapping_path.string()) + " " +
                        ShellQuote(file.string()) + " >" + ShellQuote(log.string()) + " 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace salesradar::report::testing
