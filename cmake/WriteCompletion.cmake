# cmake -DPROGRAM=mailroutectl -DOUTPUT=FILE -P WriteCompletion.cmake
execute_process(COMMAND "${PROGRAM}" completion bash OUTPUT_FILE "${OUTPUT}.tmp" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  file(REMOVE "${OUTPUT}.tmp")
  message(FATAL_ERROR "${PROGRAM} completion bash failed (${_rc})")
endif()
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
