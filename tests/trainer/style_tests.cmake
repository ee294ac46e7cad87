# Style-side trainer tests (included from tests/trainer/CMakeLists.txt): the MobileNetV2 port against TF.js and
# unit tests of the perceptual loss (Catch2), smoke runs of style/gatys, bad inputs, stylize/augment.
add_executable(styleforge_style_tests test_style_main.cpp test_style_loss.cpp test_arbitrary_nets.cpp
               test_transformer_net.cpp)
target_link_libraries(styleforge_style_tests PRIVATE styleforge_style_core)
target_compile_definitions(styleforge_style_tests PRIVATE STYLEFORGE_TESTS_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
add_test(NAME trainer.style.loss COMMAND ${CMAKE_COMMAND} -E env ${NODE_ENV} $<TARGET_FILE:styleforge_style_tests>)
set_tests_properties(trainer.style.loss PROPERTIES TIMEOUT 180)
# TransformerNet's --edge-kernel alone (issue 10), seconds: the cases tagged [edge_kernel].
add_test(NAME trainer.style.edge_kernel COMMAND styleforge_style_tests "[edge_kernel]")
set_tests_properties(trainer.style.edge_kernel PROPERTIES TIMEOUT 60)

add_test(NAME trainer.style.smoke
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_style_smoke.sh ${TRAINER} ${SHARED_DATA} ${WORK}/style-smoke)
add_test(NAME trainer.style.bad_inputs
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_style_bad_inputs.sh ${TRAINER} ${SHARED_DATA} ${WORK}/style-bad)
set_tests_properties(trainer.style.smoke trainer.style.bad_inputs PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 480)
