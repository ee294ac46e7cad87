# stylize/augment tests (included from tests/trainer/CMakeLists.txt). Two style runs with random weights, written by
# make_style_fixture (no loss network or training needed), are the models; photos from ../shared/data are the inputs.
add_executable(styleforge_image_tool image_tool.cpp)
target_link_libraries(styleforge_image_tool PRIVATE styleforge_shared)
if(NOT TARGET make_style_fixture)  # defined above only with ONNX export; stylize needs it either way
  add_executable(make_style_fixture make_style_fixture.cpp)
  target_link_libraries(make_style_fixture PRIVATE styleforge_trainer_run styleforge_style_core)
endif()

set(STYLIZE_WORK ${WORK}/stylize)
# Width 8 and width 4 nets: two different "styles" for augment.
add_test(NAME trainer.stylize.fixture
         COMMAND sh -c "rm -rf '${STYLIZE_WORK}/run8' '${STYLIZE_WORK}/run4' && \
                        '$<TARGET_FILE:make_style_fixture>' '${STYLIZE_WORK}/run8' 8 2 && \
                        '$<TARGET_FILE:make_style_fixture>' '${STYLIZE_WORK}/run4' 4 1")
set_tests_properties(trainer.stylize.fixture PROPERTIES FIXTURES_SETUP stylize_runs TIMEOUT 60)

add_test(NAME trainer.stylize
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_stylize.sh ${TRAINER} $<TARGET_FILE:styleforge_image_tool>
                 ${STYLIZE_WORK}/run8 ${SHARED_DATA} ${STYLIZE_WORK}/stylize)
add_test(NAME trainer.augment
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_augment.sh ${TRAINER} $<TARGET_FILE:styleforge_image_tool>
                 ${STYLIZE_WORK}/run8 ${STYLIZE_WORK}/run4 ${SHARED_DATA} ${STYLIZE_WORK}/augment)
set_tests_properties(trainer.stylize trainer.augment PROPERTIES FIXTURES_REQUIRED stylize_runs SKIP_RETURN_CODE 77
                     TIMEOUT 240)
