// Catch2 main for the style-side trainer tests (loss network port, perceptual loss, TransformerNet).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
