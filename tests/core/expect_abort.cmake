# Runs PROGRAM; passes when it fails (abort) and its stderr contains EXPECT.
execute_process(COMMAND "${PROGRAM}" RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(rc EQUAL 0)
  message(FATAL_ERROR "expected an abort, the program exited 0")
endif()
string(FIND "${err}" "${EXPECT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "expected '${EXPECT}' on stderr, got: ${err}")
endif()
