// A tiny command-line parser for the trainer's subcommands: "--name value" and "--flag", nothing else.
// Each subcommand declares its options in one table (name, target variable, help); --help is generated from it.
// Unknown options, missing values and values out of range print a message naming the option and return exit
// code 2. The parsed values can be written to / read from JSON (the run's options.json), which is how --resume
// and `export` recover the settings a run was started with.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "styleforge/result.h"

namespace styleforge::trainer {

class OptionParser {
 public:
  // `command` is the subcommand's name (used in --help), `summary` one line saying what it does.
  OptionParser(std::string command, std::string summary);

  // Targets keep their current value as the default shown in --help. Ranges are inclusive.
  void add_flag(const std::string& name, bool* target, const std::string& help);
  void add_int(const std::string& name, int* target, const std::string& help, int min_value, int max_value);
  void add_int64(const std::string& name, int64_t* target, const std::string& help, int64_t min_value,
                 int64_t max_value);
  void add_float(const std::string& name, double* target, const std::string& help, double min_value,
                 double max_value);
  void add_string(const std::string& name, std::string* target, const std::string& help);
  // A string restricted to `choices`, e.g. --device auto|cpu|cuda.
  void add_choice(const std::string& name, std::string* target, const std::string& help,
                  std::vector<std::string> choices);
  // Marks an option that must be given (listed as "required" in --help).
  void require(const std::string& name);
  // Marks an option that describes this process, not the run (e.g. --rank): left out of to_json(), so it is never
  // saved in options.json nor restored from it by --resume.
  void not_saved(const std::string& name);

  // Parses argv (argv[0] is the subcommand name and is skipped). Returns std::nullopt when the command should
  // go on, otherwise the exit code to return: 0 after --help, 2 after a usage error (message printed).
  // With check_required false, required options are checked later by check_required() (after apply_saved(), so
  // a resumed run need not repeat them).
  std::optional<int> parse(int argc, char** argv, bool check_required = true);
  // Exit code 2 (message printed) when a required option was neither given nor restored from saved options.
  std::optional<int> check_required() const;

  bool was_given(const std::string& name) const;  // given on the command line (not a default)
  std::string help_text() const;

  // All option values, keyed by option name without dashes, e.g. {"steps": 2000, "device": "auto"}.
  nlohmann::json to_json() const;
  // Sets each option that was NOT given on the command line from `saved` (options.json of an earlier run), so a
  // resumed run keeps its settings while the command line can still override some (e.g. a larger --steps).
  Status apply_saved(const nlohmann::json& saved);
  // One line per option, "  name = value", printed at the start of every run.
  std::string describe_values() const;

 private:
  struct Option {
    std::string name;  // without "--"
    std::string help;
    std::string kind;  // "flag", "int", "int64", "float", "string", "choice"
    bool required = false;
    bool given = false;
    bool restored = false;  // set from saved options by apply_saved()
    bool saved = true;      // false: not_saved()
    std::string default_text;
    // Parses text into the target; returns an error message (empty when fine).
    std::function<std::string(const std::string&)> set;
    std::function<nlohmann::json()> get;
    std::function<std::string(const nlohmann::json&)> set_json;
  };
  Option* find(const std::string& name);
  const Option* find(const std::string& name) const;
  void add(Option option);

  std::string command_, summary_;
  std::vector<Option> options_;
};

}  // namespace styleforge::trainer
