// The Catch2 runner for styleforge_shared_tests; the tests live in test_<module>.cpp, one tag per module.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
