# Arbitrary-style tests (included from tests/trainer/CMakeLists.txt): the `arbitrary` smoke run (train, resume,
# SIGTERM, held-out paintings, stylize --style-image, export within 8 MB), then export parity of its two ONNX files
# against LibTorch (onnxruntime-node), fp32 and fp16, on the run the smoke test leaves.
add_test(NAME trainer.arbitrary.smoke
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_arbitrary_smoke.sh ${TRAINER} $<TARGET_FILE:styleforge_image_tool>
                 ${SHARED_DATA} ${WORK}/arbitrary)
set_tests_properties(trainer.arbitrary.smoke PROPERTIES FIXTURES_SETUP arbitrary_run SKIP_RETURN_CODE 77 TIMEOUT 480)
if(STYLEFORGE_WITH_ONNX)
  foreach(precision fp32 fp16)
    add_test(NAME trainer.arbitrary.export_${precision}
             COMMAND ${CMAKE_COMMAND} -E env ${NODE_ENV}
                     ${NODE_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/export_parity.js ${TRAINER} ${WORK}/arbitrary/run
                     ${WORK}/export-arbitrary-${precision} arbitrary ${precision})
    set_tests_properties(trainer.arbitrary.export_${precision} PROPERTIES FIXTURES_REQUIRED arbitrary_run TIMEOUT 120)
  endforeach()
endif()
